/** Metadata-only reads (`api.metadata()`) over loopback against the FakeApiServer. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { firstValueFrom, take, toArray } from 'rxjs';
import { Api } from '../../lib/api/api.js';
import { createClient } from '../../lib/client/create-client.js';
import { FakeApiServer, testResources } from '../../lib/testing/index.js';
import { isInitialEventsEnd } from '../../lib/watch/watch-event.js';

const { Pod } = testResources;
let server: FakeApiServer;
let pods: Api<Record<string, unknown> & { apiVersion: string; kind: string; metadata: object }>;

beforeEach(async () => {
  server = await FakeApiServer.start({ bookmarkIntervalMs: 0 });
  pods = new Api(Pod, { client: await createClient({ server: server.url }), namespace: 'default' });
  server.create(Pod, { metadata: { name: 'web-0', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
});

afterEach(async () => {
  await server.close();
});

describe('api.metadata()', () => {
  it('watches PartialObjectMetadata, asking with the Accept header client-go uses, bookmarks keeping their annotation', async () => {
    const events = await firstValueFrom(pods.metadata().watch$({ sendInitialEvents: true }).pipe(take(2), toArray()));
    expect(server.requests[0]!.headers['accept']).toBe('application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1');
    expect(events[0]).toEqual({
      type: 'ADDED',
      object: expect.objectContaining({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: expect.objectContaining({ name: 'web-0', labels: { app: 'web' } }) }),
    });
    expect(events[0]!.object).not.toHaveProperty('spec');
    expect(isInitialEventsEnd(events[1]!)).toBe(true);
  });

  it('lists and gets metadata only', async () => {
    const list = await firstValueFrom(pods.metadata().list$());
    expect(server.requests[0]!.headers['accept']).toBe('application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1');
    expect(list.items.map((i) => [i.kind, i.metadata.name])).toEqual([['PartialObjectMetadata', 'web-0']]);
    const one = await firstValueFrom(pods.metadata().get$('web-0'));
    expect(one).toMatchObject({ kind: 'PartialObjectMetadata', metadata: { name: 'web-0' } });
    expect(one).not.toHaveProperty('spec');
  });

  it('refuses writes at call time', () => {
    expect(() => pods.metadata().delete$('web-0')).toThrow(/metadata-only/);
    expect(() => pods.metadata().create$({ metadata: { name: 'x' } })).toThrow(/metadata-only/);
  });
});
