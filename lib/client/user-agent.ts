import { nodeProcess, type NodeProcessLike } from './node-process.js';
import { VERSION } from './version.js';

/**
 * The `User-Agent` kubex-rx sends by default in Node: `kubex-rx/0.2.0 (linux/x64) node/20.19.0`, client-go's
 * shape (`rest.DefaultKubernetesUserAgent`: `command/version (os/arch) kubernetes/commit`).
 *
 * Why it matters: for a write without `fieldManager`, the API server takes the User-Agent up to its first `/` as
 * the field manager (`managerOrUserAgent` and `prefixFromUserAgent` in k8s.io/apiserver
 * `pkg/endpoints/handlers/create.go`), so `managedFields` show `kubex-rx` rather than `node-fetch`; the audit log
 * records it too.
 *
 * `undefined` outside Node: browsers send their own User-Agent. Chromium ignores a `User-Agent` set through
 * `fetch`, and where a browser does send it, it is not a CORS-safelisted header, so a cross-origin request would
 * need a preflight that kube-apiserver's default `Access-Control-Allow-Headers` does not allow
 * (k8s.io/apiserver `pkg/server/filters/cors.go`). A custom `X-` header would fail that preflight the same way.
 */
export function defaultUserAgent(proc: NodeProcessLike | undefined = nodeProcess()): string | undefined {
  const node = proc?.versions?.node;
  if (typeof node !== 'string') return undefined;
  return `kubex-rx/${VERSION} (${proc?.platform ?? 'unknown'}/${proc?.arch ?? 'unknown'}) node/${node}`;
}
