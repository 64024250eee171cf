/**
 * The browser test's page (spec/browser/watch-pods.spec.ts bundles it with esbuild for `platform: 'browser'`): the
 * core of kubex-rx in a real browser, through the browser's own `fetch` and its WHATWG `ReadableStream` bodies,
 * against the FakeApiServer (CORS on) named by `?server=`.
 *
 * It shows the live pod list of an informer in `#pods` (one `<li>` per pod), every event of a plain `watch$` in
 * `#events`, the informer's phase in `#state`, and any failure in `#error`.
 */
import { map } from 'rxjs';
import { Api, createClient } from '../../../lib/index.js';
import { Pod } from '../../../lib/k8s/v1_35/core/v1.js';

const element = (id: string): HTMLElement => document.getElementById(id) ?? document.body.appendChild(Object.assign(document.createElement('ul'), { id }));
const fail = (where: string) => (error: unknown): void => {
  element('error').textContent += `${where}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`;
};

async function main(): Promise<void> {
  const server = new URLSearchParams(location.search).get('server');
  if (server === null) throw new Error('no ?server=');
  const client = await createClient({ server, fetch: window.fetch.bind(window) });
  const pods = new Api(Pod, { client, namespace: 'default' });

  const informer = pods.informer({ timeoutSeconds: 30 });
  informer.store$
    .pipe(map((store) => [...store.values()].map((pod) => pod.metadata?.name ?? '?').sort()))
    .subscribe({
      next: (names) => element('pods').replaceChildren(...names.map((name) => Object.assign(document.createElement('li'), { textContent: name }))),
      error: fail('informer'),
    });
  informer.state$.subscribe((state) => (element('state').textContent = state.phase));

  pods.watch$({ allowBookmarks: true }).subscribe({
    next: (event) => {
      const name = event.type === 'BOOKMARK' ? event.object.metadata.resourceVersion : event.object.metadata?.name;
      element('events').append(Object.assign(document.createElement('li'), { textContent: `${event.type} ${name}` }));
    },
    error: fail('watch$'),
  });
  document.body.dataset['started'] = 'true';
}

main().catch(fail('main'));
