/**
 * Response compression as kube-apiserver does it (responsewriters/writers.go `SerializeObject`,
 * `defaultGzipThresholdBytes = 128 * 1024`): a body over 128 KiB to a client whose Accept-Encoding has a `gzip`
 * token is gzip'd with `Content-Encoding: gzip` and `Vary: Accept-Encoding`; smaller bodies and watch streams are
 * not. The SDK's own transport (node-fetch) asks for and decompresses it.
 */
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { firstValueFrom } from 'rxjs';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';

function get(url: string, headers: Record<string, string>, maxBytes = Infinity): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= maxBytes) {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
          req.destroy();
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', () => undefined);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('gzip of large responses', () => {
  let server: FakeApiServer;
  const PAD = 'x'.repeat(4096);
  beforeAll(async () => {
    server = await FakeApiServer.start();
    for (let i = 0; i < 40; i++) server.create(testResources.ConfigMap, { metadata: { name: `big-${String(i).padStart(2, '0')}`, namespace: 'default' }, data: { pad: PAD } });
    server.create(testResources.ConfigMap, { metadata: { name: 'small', namespace: 'default' }, data: { a: '1' } });
  });
  afterAll(() => server.close());

  it('a list over 128 KiB is gzip’d for Accept-Encoding: gzip', async () => {
    const res = await get(`${server.url}/api/v1/namespaces/default/configmaps?labelSelector=`, { 'Accept-Encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['vary']).toContain('Accept-Encoding');
    expect(res.headers['content-length']).toBeUndefined();
    const text = gunzipSync(res.body).toString('utf8');
    expect(text.length).toBeGreaterThan(128 * 1024);
    expect(JSON.parse(text).items).toHaveLength(41);
    // Go's negotiateContentEncoding takes any comma-separated token that is exactly "gzip".
    expect((await get(`${server.url}/api/v1/namespaces/default/configmaps?labelSelector=`, { 'Accept-Encoding': 'br, gzip' })).headers['content-encoding']).toBe('gzip');
  });

  it('is not compressed without gzip in Accept-Encoding, below the threshold, or on a watch', async () => {
    const plain = await get(`${server.url}/api/v1/namespaces/default/configmaps?labelSelector=`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(plain.body.toString('utf8')).items).toHaveLength(41);
    expect((await get(`${server.url}/api/v1/namespaces/default/configmaps?labelSelector=`, { 'Accept-Encoding': 'gzip;q=1.0' })).headers['content-encoding']).toBeUndefined();
    const small = await get(`${server.url}/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name%3Dsmall`, { 'Accept-Encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.headers['vary'] ?? '').not.toContain('Accept-Encoding');
    const watch = await get(`${server.url}/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=0&timeoutSeconds=1`, { 'Accept-Encoding': 'gzip' }, 128 * 1024);
    expect(watch.headers['content-encoding']).toBeUndefined();
    expect(watch.body.toString('utf8').startsWith('{"type":"ADDED"')).toBe(true);
  });

  it('the SDK asks for gzip and reads the compressed list', async () => {
    const client = await createClient({ server: server.url });
    const api = new Api(testResources.ConfigMap, { client, namespace: 'default' });
    const list = await firstValueFrom(api.list$());
    expect(list.items).toHaveLength(41);
    const request = server.requests.at(-1)!;
    expect(request.headers['accept-encoding']).toMatch(/\bgzip\b/);
  });
});
