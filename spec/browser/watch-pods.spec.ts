/**
 * The core of kubex-rx in a real browser: headless Chromium (Debian's `chromium`, driven by playwright-core) loads
 * a page bundled by esbuild for `platform: 'browser'` from spec/browser/page/watch-pods.ts, which watches a
 * FakeApiServer (CORS on) through `window.fetch` and its ReadableStream bodies. The page must show pods created
 * and deleted on the server. Skipped with a message when Chromium is not installed, except in CI (`CI` set).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'esbuild';
import { Pod } from '../../lib/k8s/v1_35/core/v1.js';
import { FakeApiServer } from '../../lib/testing/index.js';
import { REPO_ROOT } from '../../vendor/index.js';
import { browserBuildOptions, bundleForBrowser, findChromium, launchChromium, pageHtml, servePage } from './browser-harness.js';

const chromiumPath = findChromium();
const ENTRY = join(REPO_ROOT, 'spec/browser/page/watch-pods.ts');
const pod = (name: string) => ({ metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });

describe('the browser bundle', () => {
  it('bundles the core for the browser without node-fetch or any Node built-in', async () => {
    const { code, inputs } = await bundleForBrowser(ENTRY);
    expect(code.length).toBeGreaterThan(1000);
    expect(inputs.some((i) => i.includes('lib/api/api.ts'))).toBe(true);
    expect(inputs.filter((i) => /node-fetch|lib\/testing\//.test(i))).toEqual([]);
  });

  it('fails the build when a Node built-in or node-fetch is pulled in', async () => {
    for (const contents of ["import 'node:http';", "export { readFile } from 'fs';", "export const f = () => import('node-fetch');"]) {
      await expect(
        build(browserBuildOptions('', { entryPoints: undefined, stdin: { contents, resolveDir: REPO_ROOT, loader: 'ts' } })),
      ).rejects.toThrow(/would be bundled for the browser|Could not resolve/);
    }
  });
});

if (chromiumPath === undefined) {
  describe('real browser', () => {
    it('needs Chromium (apt-get install -y chromium); required in CI', () => {
      if (process.env['CI']) throw new Error('CI is set but Chromium is not installed: .ci/run installs it (apt-get install -y chromium)');
      console.warn('spec/browser: Chromium not found (/usr/bin/chromium or KUBEX_CHROMIUM); the real-browser tests did not run');
    });
  });
} else {
  const executablePath = chromiumPath;
  describe('real browser: watching the FakeApiServer from a page', () => {
    let browser: Browser;
    let script: string;
    beforeAll(async () => {
      ({ code: script } = await bundleForBrowser(ENTRY));
      browser = await launchChromium(executablePath);
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });

    /** Opens the page against `fake`; collects console and page errors for failure messages. */
    async function open(fake: FakeApiServer): Promise<{ page: Page; logs: string[]; close(): Promise<void> }> {
      const site = await servePage(pageHtml('kubex-rx browser test', '<ul id="pods"></ul><ul id="events"></ul><p id="state"></p><pre id="error"></pre>'), script);
      const page = await browser.newPage();
      const logs: string[] = [];
      page.on('console', (m) => logs.push(`console.${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
      await page.goto(`${site.url}?server=${encodeURIComponent(fake.url)}`);
      return {
        page,
        logs,
        close: async () => {
          await page.close();
          await site.close();
        },
      };
    }

    const podsShown = (page: Page) => page.$$eval('#pods li', (items) => items.map((li) => li.textContent).join(','));

    it('shows pods created and deleted on the server, through fetch + ReadableStream and CORS', async () => {
      const fake = await FakeApiServer.start({ cors: true });
      const { page, logs, close } = await open(fake);
      try {
        fake.create(Pod, pod('web-0'));
        const waitFor = async (expected: string) => {
          try {
            await page.waitForFunction((want) => [...document.querySelectorAll('#pods li')].map((li) => li.textContent).join(',') === want, expected, { timeout: 10_000 });
          } catch (error) {
            throw new Error(`page shows "${await podsShown(page)}", not "${expected}"; #error: ${await page.textContent('#error')}; ${logs.join(' | ')}`, { cause: error });
          }
        };
        await waitFor('web-0');
        expect(await page.textContent('#state')).toBe('watching');
        fake.create(Pod, pod('web-1'));
        await waitFor('web-0,web-1');
        fake.delete(Pod, 'web-0', 'default');
        await waitFor('web-1');
        await page.waitForFunction(() => document.querySelector('#events')?.textContent?.includes('DELETED web-0'), undefined, { timeout: 10_000 });
        const events = await page.$$eval('#events li', (items) => items.map((li) => li.textContent ?? '').filter((t) => !t.startsWith('BOOKMARK')));
        expect(events).toEqual(['ADDED web-0', 'ADDED web-1', 'DELETED web-0']);
        expect(await page.textContent('#error')).toBe('');
        // The browser really sent cross-origin requests: the Origin header reached the server.
        expect(fake.watches.length).toBeGreaterThanOrEqual(2);
        expect(fake.watches.every((w) => typeof w.request.headers['origin'] === 'string' && w.request.headers['origin'].startsWith('http://localhost:'))).toBe(true);
      } finally {
        await close();
        await fake.close();
      }
    }, 60_000);

    it('closing the page closes its watches on the server', async () => {
      const fake = await FakeApiServer.start({ cors: true });
      try {
        const { page, close } = await open(fake);
        let open_: typeof fake.watches;
        try {
          await page.waitForFunction(() => document.querySelector('#state')?.textContent === 'watching', undefined, { timeout: 10_000 });
          await fake.waitForOpenWatches(2);
          open_ = fake.watches;
          expect(open_.every((w) => w.closeReason === undefined)).toBe(true);
        } finally {
          await close();
        }
        expect(await Promise.all(open_.map((w) => w.closed))).toEqual(['client', 'client']);
        expect(fake.openWatches).toBe(0);
      } finally {
        await fake.close();
      }
    }, 60_000);

    it('the Angular sample (the README app, zoneless, JIT) lists pods live in the page `ng new` generates', async () => {
      const { code } = await bundleForBrowser(join(REPO_ROOT, 'samples/angular/main.ts'), { tsconfig: join(REPO_ROOT, 'samples/angular/tsconfig.json') });
      // The body of the index.html `ng new` writes (`<app-root></app-root>`): the app must render into it.
      const body = /<body>([\s\S]*)<\/body>/.exec(readFileSync(join(REPO_ROOT, 'spec/packaging/stand-ins/angular/src/index.html'), 'utf8'))![1]!;
      const site = await servePage(pageHtml('kubex-rx Angular sample', body), code);
      const fake = await FakeApiServer.start({ cors: true });
      const page = await browser.newPage();
      const logs: string[] = [];
      page.on('console', (m) => logs.push(`console.${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
      const shown = () => page.$$eval('#pods li', (items) => items.map((li) => li.textContent?.trim() ?? '').join(','));
      const waitFor = async (expected: string) => {
        try {
          await page.waitForFunction((want) => [...document.querySelectorAll('#pods li')].map((li) => li.textContent?.trim()).join(',') === want, expected, { timeout: 10_000 });
        } catch (error) {
          throw new Error(`the sample shows "${await shown()}", not "${expected}"; ${logs.join(' | ')}`, { cause: error });
        }
      };
      try {
        fake.create(Pod, { ...pod('api-0'), status: { phase: 'Running' } });
        await page.goto(`${site.url}?server=${encodeURIComponent(fake.url)}`);
        await waitFor('api-0 Running');
        await page.waitForFunction(() => document.querySelector('h1')?.textContent?.includes('(watching)'), undefined, { timeout: 10_000 });
        fake.create(Pod, pod('api-1'));
        await waitFor('api-0 Running,api-1 Pending');
        fake.delete(Pod, 'api-0', 'default');
        fake.delete(Pod, 'api-1', 'default');
        await waitFor('no pods');
        expect(logs.filter((l) => l.startsWith('pageerror') || l.startsWith('console.error'))).toEqual([]);
      } catch (error) {
        await fake.close(); // else its open watches keep jest from exiting after the failure
        throw error;
      } finally {
        await page.close();
        await site.close();
      }
      // Closing the page closed the informer's watch: race-free, from the watch's own record.
      try {
        const watches = fake.watchLog;
        expect(watches.length).toBeGreaterThan(0);
        expect(await Promise.all(watches.map((w) => w.closed))).toEqual(watches.map(() => 'client'));
      } finally {
        await fake.close();
      }
    }, 60_000);

    it('without CORS on the server the browser refuses the cross-origin watch, and the page reports it', async () => {
      const fake = await FakeApiServer.start();
      const { page, close } = await open(fake);
      try {
        await page.waitForFunction(() => (document.querySelector('#error')?.textContent ?? '') !== '', undefined, { timeout: 10_000 });
        expect(await page.textContent('#error')).toMatch(/watch\$: TransportError: .*Failed to fetch/);
        expect(await podsShown(page)).toBe('');
      } finally {
        await close();
        await fake.close();
      }
    }, 60_000);
  });
}
