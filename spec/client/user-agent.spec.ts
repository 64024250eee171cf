import { describe, expect, it } from '@jest/globals';
import { defaultUserAgent } from '../../lib/client/user-agent.js';
import { VERSION } from '../../lib/client/version.js';

describe('defaultUserAgent', () => {
  it('in Node: kubex-rx/<version> (<platform>/<arch>) node/<version>, client-go\'s shape', () => {
    expect(defaultUserAgent()).toBe(`kubex-rx/${VERSION} (${process.platform}/${process.arch}) node/${process.versions.node}`);
    expect(defaultUserAgent({ versions: { node: '22.1.0' }, platform: 'darwin', arch: 'arm64' })).toBe(`kubex-rx/${VERSION} (darwin/arm64) node/22.1.0`);
  });

  it('outside Node (a browser, which sends its own): none', () => {
    expect(defaultUserAgent({})).toBeUndefined();
  });
});
