/**
 * Namespaces for specs written before the FakeApiServer refused content in namespaces that do not exist (as a real
 * cluster's NamespaceLifecycle admission does): start a server on which more namespaces exist from the start, with
 * the same resourceVersion and history a server without them would have.
 */
import { FakeApiServer, testResources, type FakeApiServerOptions } from '../../lib/testing/index.js';

/**
 * Starts a FakeApiServer with `namespaces` already there: they take the RVs below the initial one (like the system
 * namespaces), so `server.resourceVersion` and `oldestResourceVersion` start at `initialResourceVersion` (default
 * 1000) and the history starts empty.
 */
export async function startWithNamespaces(options: FakeApiServerOptions = {}, namespaces: readonly string[] = ['ns']): Promise<FakeApiServer> {
  const initial = options.initialResourceVersion ?? 1000;
  const server = await FakeApiServer.start({ ...options, initialResourceVersion: initial - namespaces.length });
  createNamespaces(server, namespaces);
  server.compact();
  return server;
}

/** Creates the namespaces that do not exist yet (programmatically: each takes an RV and an ADDED event). */
export function createNamespaces(server: FakeApiServer, namespaces: readonly string[]): void {
  for (const name of namespaces) {
    if (!server.get(testResources.Namespace, name)) server.create(testResources.Namespace, { metadata: { name }, spec: { finalizers: ['kubernetes'] } });
  }
}
