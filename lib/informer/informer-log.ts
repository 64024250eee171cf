/** What an informer logs through: its Api's client log, each line naming what the informer follows. */
import type { Log } from '../client/log.js';
import type { WatchOptions } from '../api/watch-options.js';
import type { InformerSource } from './informer-source.js';

/** A log that drops everything: an informer over a source without a client (a stub in a marble test). */
const SILENT: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** `Name: message` of an error, or its text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The client's log with every line prefixed as kubectl names resources: `informer deployments.apps in team-a
 * (app=web): ...` (`in all namespaces`, nothing for cluster-scoped kinds; the selectors, if any).
 */
export function informerLog<T>(api: InformerSource<T>, options: Pick<WatchOptions, 'namespace' | 'labelSelector' | 'fieldSelector'>): Log {
  const log = api.client?.log ?? SILENT;
  const { plural, apiVersion, namespaced } = api.resource;
  const group = apiVersion.includes('/') ? `.${apiVersion.slice(0, apiVersion.indexOf('/'))}` : '';
  const namespace = options.namespace === undefined ? api.namespace : (options.namespace ?? undefined);
  const where = namespaced ? (namespace === undefined ? ' in all namespaces' : ` in ${namespace}`) : '';
  const selectors = [options.labelSelector, options.fieldSelector].filter(Boolean).join(',');
  const name = `informer ${plural}${group}${where}${selectors ? ` (${selectors})` : ''}`;
  return {
    debug: (m) => log.debug(`${name}: ${m}`),
    info: (m) => log.info(`${name}: ${m}`),
    warn: (m) => log.warn(`${name}: ${m}`),
    error: (m) => log.error(`${name}: ${m}`),
  };
}
