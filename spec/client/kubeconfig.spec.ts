/** Parsing, decoding and merging kubeconfig files (no network). */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { KubeconfigError } from '../../lib/errors/config-errors.js';
import { loadKubeconfigs, parseKubeconfig, splitKubeconfigEnv } from '../../lib/client/kubeconfig.js';
import { tempDir, writePrivate } from './config-helpers.js';

describe('parseKubeconfig', () => {
  it('accepts kubectl output with null lists, and an empty file as an empty config', () => {
    const config = parseKubeconfig(
      'apiVersion: v1\nkind: Config\nclusters: null\ncontexts: []\nusers:\n- name: u\n  user:\n    exec:\n      command: x\n      apiVersion: client.authentication.k8s.io/v1\n      args: null\n      env: null\n      interactiveMode: Never\npreferences: {}\n',
      '/k',
    );
    expect(config.users).toEqual([{ name: 'u', user: { exec: { command: 'x', apiVersion: 'client.authentication.k8s.io/v1', args: [], env: [], interactiveMode: 'Never' } } }]);
    expect(config.clusters).toEqual([]);
    expect(parseKubeconfig('', '/k')).toEqual({});
  });

  it('names the field path through lists, intersections and maps, never the value', () => {
    const text = 'users:\n- name: a\n  user: {}\n- name: b\n  user:\n    exec:\n      command: x\n      apiVersion: v\n      args: [ok, {secret: s3cr3t}]\n';
    expect(() => parseKubeconfig(text, '/k')).toThrow(new KubeconfigError('expected a string', { file: '/k', field: 'users[1].user.exec.args[1]' }));
    expect(() => parseKubeconfig('clusters: {}\n', '/k')).toThrow('/k: clusters: expected a list');
    expect(() => parseKubeconfig('- just\n- a list\n', '/k')).toThrow('/k: (root): expected a mapping');
    expect(() => parseKubeconfig('users:\n- name: u\n  user:\n    as-user-extra:\n      k: 5\n', '/k')).toThrow('users[0].user.as-user-extra.k: expected a list');
  });

  it('reports YAML syntax errors by line and column without quoting the text', () => {
    const error = (() => {
      try {
        parseKubeconfig('users:\n- name: u\n  user:\n    token: "sekret-in-yaml\n', '/k');
      } catch (e) {
        return e as KubeconfigError;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(KubeconfigError);
    expect(error.message).toMatch(/^\/k: not valid YAML at line \d+, column \d+/);
    expect(error.message).not.toContain('sekret');
  });
});

describe('loadKubeconfigs', () => {
  let tmp: { dir: string; cleanup(): Promise<void> };
  beforeEach(async () => (tmp = await tempDir()));
  afterEach(() => tmp.cleanup());

  it('resolves file references against the file that holds them (a bare exec command stays a PATH name)', async () => {
    const sub = join(tmp.dir, 'sub');
    await import('node:fs/promises').then((fs) => fs.mkdir(sub));
    const file = await writePrivate(
      join(sub, 'config'),
      [
        'clusters:',
        '- name: c',
        '  cluster: { server: "https://x", certificate-authority: ca.crt }',
        'users:',
        '- name: u',
        '  user: { client-certificate: ../c.crt, client-key: /abs/k.key, tokenFile: t, exec: { command: ./bin/plugin, apiVersion: v } }',
        '- name: v',
        '  user: { exec: { command: kubelogin, apiVersion: v } }',
      ].join('\n'),
    );
    const merged = await loadKubeconfigs([file], true);
    expect(merged.clusters.get('c')!.cluster['certificate-authority']).toBe(join(sub, 'ca.crt'));
    expect(merged.users.get('u')!.user).toMatchObject({
      'client-certificate': join(tmp.dir, 'c.crt'),
      'client-key': '/abs/k.key',
      tokenFile: join(sub, 't'),
      exec: { command: join(sub, 'bin', 'plugin') },
    });
    expect(merged.users.get('v')!.user.exec!.command).toBe('kubelogin');
  });

  it('skips missing files of a path list, but not an explicit file; an unreadable one is an error', async () => {
    expect((await loadKubeconfigs([join(tmp.dir, 'none')], false)).files).toEqual([]);
    await expect(loadKubeconfigs([join(tmp.dir, 'none')], true)).rejects.toThrow(/none: file not found/);
    await expect(loadKubeconfigs([tmp.dir], false)).rejects.toThrow(/cannot read the file \(EISDIR\)/);
  });

  it('splits KUBECONFIG on the path delimiter and drops empty entries', () => {
    expect(splitKubeconfigEnv('/a::/b:')).toEqual(['/a', '/b']);
  });
});
