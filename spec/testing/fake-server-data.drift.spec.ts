/**
 * The FakeApiServer's generated data modules (`lib/testing/generated/`) must hold exactly what
 * `npm run codegen:fake-server-data` builds from `vendor/` today: a stale descriptor or spec (or a vendored file
 * changed without regenerating) fails here. The payloads are compared decompressed (brotli output may differ across
 * zlib versions; the JSON may not), and the module texts apart from the payload.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { buildOpenApiPayload, buildProtoPayload, fakeServerDataFiles } from '../../scripts/fake-server-data/targets.js';
import { K8S_PROTOS_V1_35 } from '../../lib/testing/generated/k8s-protos-v1_35.js';
import { OPENAPI_V2_V1_35 } from '../../lib/testing/generated/openapi-v1_35.js';
import { REPO_ROOT } from '../../vendor/index.js';

const unpack = (b64: string): string => brotliDecompressSync(Buffer.from(b64, 'base64')).toString('utf8');
const withoutPayload = (text: string): string => text.replace(/: string = '[A-Za-z0-9+\/=]*';/, ": string = '';");

describe('generated FakeApiServer data is up to date (run `npm run codegen:fake-server-data` if this fails)', () => {
  it('the protobuf descriptor and kind table', () => {
    const payload = buildProtoPayload();
    expect(unpack(K8S_PROTOS_V1_35)).toBe(JSON.stringify(payload));
    // The kinds kubectl creates with protobuf bodies are in the table.
    expect(payload.kinds['/v1/ConfigMap']).toBe('api.core.v1.ConfigMap');
    expect(payload.kinds['apps/v1/Deployment']).toBe('api.apps.v1.Deployment');
    expect(payload.kinds['apiextensions.k8s.io/v1/CustomResourceDefinition']).toBe('apiextensions_apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition');
  }, 60_000);

  it('the OpenAPI v2 spec', () => {
    expect(unpack(OPENAPI_V2_V1_35)).toBe(JSON.stringify(buildOpenApiPayload()));
  }, 60_000);

  it('the module texts around the payloads', () => {
    for (const [path, text] of Object.entries(fakeServerDataFiles(() => ''))) {
      expect(withoutPayload(readFileSync(join(REPO_ROOT, path), 'utf8'))).toBe(withoutPayload(text));
    }
  }, 60_000);
});
