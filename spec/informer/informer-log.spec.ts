import { describe, expect, it } from '@jest/globals';
import { EMPTY } from 'rxjs';
import type { Log } from '../../lib/client/log.js';
import type { KubeClient } from '../../lib/client/kube-client.js';
import { errorText, informerLog } from '../../lib/informer/informer-log.js';
import type { InformerSource } from '../../lib/informer/informer.js';
import { defineResource } from '../../lib/resource/define-resource.js';
import { ForbiddenError } from '../../lib/errors/status-error.js';

/** A source whose client records what is logged (no request is made). */
function source(apiVersion: string, kind: string, plural: string, namespaced: boolean, namespace: string | undefined, lines: string[]): InformerSource<unknown> {
  const log: Log = { debug: (m) => lines.push(`debug ${m}`), info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
  return { resource: defineResource({ apiVersion, kind, plural, namespaced }), watch$: () => EMPTY, list$: () => EMPTY, client: { log } as unknown as KubeClient, namespace };
}

describe('informerLog', () => {
  it('names what the informer follows as kubectl names resources: plural.group, namespace, selectors', () => {
    const lines: string[] = [];
    informerLog(source('apps/v1', 'Deployment', 'deployments', true, 'team-a', lines), { labelSelector: 'app=web', fieldSelector: 'metadata.name=x' }).info('a');
    informerLog(source('v1', 'Pod', 'pods', true, 'team-a', lines), { namespace: null }).warn('b');
    informerLog(source('v1', 'Node', 'nodes', false, undefined, lines), {}).debug('c');
    informerLog(source('v1', 'Pod', 'pods', true, 'default', lines), { namespace: 'other' }).error('d');
    expect(lines).toEqual([
      'info informer deployments.apps in team-a (app=web,metadata.name=x): a',
      'warn informer pods in all namespaces: b',
      'debug informer nodes: c',
      'error informer pods in other: d',
    ]);
  });

  it('a source without a client logs nothing; errors read Name: message', () => {
    const { client: _client, ...stub } = source('v1', 'Pod', 'pods', true, 'default', []);
    expect(() => informerLog(stub, {}).warn('dropped')).not.toThrow();
    expect(errorText(new ForbiddenError({ code: 403, message: 'no' }))).toBe('ForbiddenError: no');
    expect(errorText('plain')).toBe('plain');
  });
});
