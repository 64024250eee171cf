/**
 * The read verbs of the FakeApiServer (GET of an object, list, watch), following kube-apiserver's
 * `pkg/endpoints/handlers/get.go` and `watch.go` and the cacher (`pkg/storage/cacher`): resourceVersion semantics,
 * paging, PartialObjectMetadata and Table output, and how a watch starts.
 * @internal
 */
import type { ServerResponse } from 'node:http';
import { objectNotFoundStatus, makeStatus, badRequestStatus, tooLargeResourceVersionStatus, tooOldResourceVersionStatus } from './status.js';
import { recordFor, type FakeStore } from './store.js';
import { tableJson, type IncludeObject } from './table.js';
import { HttpError } from './responses.js';
import type { Route } from './routing.js';
import { decodeContinue, encodeContinue, matcher, parseResourceVersion, type ListOptions } from './list-options.js';
import { writeRaw } from './responses.js';
import { listTooOldStatus, snapshotAt } from './exact-list.js';
import { timer } from './wait-list.js';
import type { Registered } from './registry.js';
import { Watch, type ServerInternals } from './watch.js';
import type { FakeApiServerConfig, RecordedRequest } from './server-types.js';

/** What the read handlers need from the server. @internal */
export interface ReadServer {
  readonly config: FakeApiServerConfig;
  readonly internals: ServerInternals;
  /** A watch was accepted (headers sent): it joins the open watches and the watch log. */
  watchOpened(w: Watch): void;
}

/** GET of one object, list and watch. @internal */
export class ReadHandlers {
  private nextWatchId = 1;

  constructor(
    private readonly store: FakeStore,
    private readonly server: ReadServer,
  ) {}

  /** One object: as stored, as PartialObjectMetadata, or a one-row Table. */
  getItem(res: ServerResponse, reg: Registered, route: Route, metadataOnly: boolean, table?: IncludeObject): void {
    const rec = this.store.get(reg.store, route.name!, route.namespace);
    if (!rec) throw new HttpError(objectNotFoundStatus(reg.resource.plural, reg.resource.group, route.name!));
    if (table) return writeRaw(res, 200, 'application/json', tableJson([rec], { resourceVersion: String(rec.rv) }, table, true, Date.now(), reg.store.strategy.columns));
    writeRaw(res, 200, 'application/json', `${metadataOnly ? rec.metadataJson() : rec.json}\n`);
  }

  /** A list, paged with `limit`/`continue`, as stored items, PartialObjectMetadataList or a Table. */
  async serveList(res: ServerResponse, reg: Registered, route: Route, opts: ListOptions, metadataOnly: boolean, table?: IncludeObject): Promise<void> {
    const rv = parseResourceVersion(opts.resourceVersion);
    // A list from a future RV waits, then answers HTTP 504 with Retry-After: 1 (§4.3).
    if (rv > this.store.currentRV && !(await this.store.waitForRV(rv, this.server.config.tooLargeResourceVersionWaitMs))) {
      throw new HttpError(tooLargeResourceVersionStatus(rv, this.store.currentRV));
    }
    const match = matcher(route, opts, undefined);
    // Paging (`limit`/`continue`): the token carries the list's resourceVersion and the key to start after, as
    // etcd's does; later pages are read at that revision, like `resourceVersionMatch=Exact` (lib/testing/exact-list.ts).
    // A token older than the history answers 410 Expired, as an etcd compaction would.
    let listRV = this.store.currentRV;
    let at = opts.resourceVersionMatch === 'Exact' ? rv : undefined;
    let start: string | undefined;
    if (opts.continue !== '') {
      const token = decodeContinue(opts.continue);
      if (token === undefined) throw new HttpError(badRequestStatus('continue key is not valid: illegal base64 data'));
      if (token.rv < this.store.historyBoundaryRV) {
        throw new HttpError(
          makeStatus({
            code: 410,
            reason: 'Expired',
            message:
              'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.',
          }),
        );
      }
      at = token.rv;
      start = token.start;
    }
    const snapshot = at === undefined ? this.store.snapshot(reg.store.key, route.namespace) : snapshotAt(this.store, reg.store.key, route.namespace, at);
    if (snapshot === undefined) throw new HttpError(listTooOldStatus());
    if (at !== undefined) listRV = at;
    let items = snapshot.filter(match);
    if (start !== undefined) items = items.filter((r) => r.key > start);
    let next = '';
    let remaining = 0;
    if (opts.limit > 0 && items.length > opts.limit) {
      remaining = items.length - opts.limit;
      items = items.slice(0, opts.limit);
      next = encodeContinue(listRV, items[items.length - 1]!.key);
    }
    // Stored in the storage version; listed in the request's (versions.ts).
    items = items.map((rec) => recordFor(reg.store, rec));
    if (table) {
      const listMeta = { resourceVersion: String(listRV), ...(next === '' ? {} : { continue: next, remainingItemCount: remaining }) };
      return writeRaw(res, 200, 'application/json', tableJson(items, listMeta, table, true, Date.now(), reg.store.strategy.columns));
    }
    const prefix = reg.typeMetaPrefix;
    const itemJson = metadataOnly
      ? items.map((r) => r.metadataJson())
      : // List items carry no kind/apiVersion (§10); stored JSON always starts with them, then metadata.
        items.map((r) => (r.json.startsWith(prefix) ? `{${r.json.slice(prefix.length)}` : r.json));
    const head = metadataOnly
      ? `{"kind":"PartialObjectMetadataList","apiVersion":"meta.k8s.io/v1"`
      : `{"kind":${JSON.stringify(`${reg.resource.kind}List`)},"apiVersion":${JSON.stringify(reg.resource.apiVersion)}`;
    const paging = next === '' ? '' : `,"continue":${JSON.stringify(next)},"remainingItemCount":${remaining}`;
    writeRaw(res, 200, 'application/json', `${head},"metadata":{"resourceVersion":"${listRV}"${paging}},"items":[${itemJson.join(',')}]}\n`);
  }

  /** A watch: its start (exact RV, snapshot, WatchList), timers, bookmarks, and the expired and too-large answers. */
  async serveWatch(
    res: ServerResponse,
    reg: Registered,
    route: Route,
    opts: ListOptions,
    metadataOnly: boolean,
    recorded: RecordedRequest,
    table?: IncludeObject,
  ): Promise<void> {
    const rv = parseResourceVersion(opts.resourceVersion);
    const sie = opts.sendInitialEvents;
    // The stream's lifetime counts from the start of the handler (§5).
    const timeoutMs =
      opts.timeoutSeconds !== undefined && opts.timeoutSeconds > 0
        ? opts.timeoutSeconds * 1000
        : this.server.config.minRequestTimeoutSeconds * 1000 * (1 + Math.random());
    const exact = sie !== true && rv > 0;
    const expired = exact && rv < this.store.historyBoundaryRV;
    const style = this.server.config.expiredStyle;
    if (expired && style === 'http') {
      throw new HttpError(tooOldResourceVersionStatus(rv, this.store.historyBoundaryRV));
    }

    // 200 and the headers go out at once, before any event (§2, checklist 6).
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const w = new Watch(this.nextWatchId++, recorded, reg, route.namespace, route.name, timeoutMs, opts, metadataOnly, res, this.server.internals, table);
    this.server.watchOpened(w);
    if (w.output.closed) return; // the client went away while we were setting up

    w.addTimer(timer(timeoutMs, () => w.end('timeout')));

    if (expired) {
      // Too old: HTTP 200, exactly one ERROR, clean close (§4.2, checklist 13).
      if (style === 'empty') w.end('error');
      else w.fail(tooOldResourceVersionStatus(rv, this.store.historyBoundaryRV, style === 'event-gone' ? 'Gone' : 'Expired'));
      return;
    }
    if (opts.allowWatchBookmarks) {
      const before = this.server.config.bookmarkBeforeDeadlineMs;
      if (timeoutMs > before) w.addTimer(timer(timeoutMs - before, () => w.maybeBookmark()));
      const every = this.server.config.bookmarkIntervalMs;
      if (every > 0) {
        const interval = setInterval(() => w.maybeBookmark(), every);
        interval.unref();
        w.addTimer(interval);
      }
    }

    if (sie === true) {
      // Not older than N: wait (configurable, real 3 s) for the RV to exist, else the in-stream 504 (§4.3, checklist 14).
      if (rv > this.store.currentRV) {
        const reached = await this.store.waitForRV(rv, this.server.config.tooLargeResourceVersionWaitMs);
        if (w.output.terminal) return;
        if (!reached) return w.fail(tooLargeResourceVersionStatus(rv, this.store.currentRV));
      }
      this.startFromSnapshot(w, reg, route, true);
    } else if (rv === 0 && sie === undefined) {
      // Legacy RV unset/"0": synthetic ADDED for the current state, then changes (§6).
      this.startFromSnapshot(w, reg, route, false);
    } else if (rv === 0) {
      // sendInitialEvents=false with RV unset/"0": start at the current RV, no initial state (§6).
      w.lastRV = this.store.currentRV;
      w.live = true;
    } else {
      // Start at exact N: every change after N, replayed from history; a future N simply waits (§4.3).
      w.lastRV = rv;
      w.live = true;
      for (const e of this.store.eventsSince(rv)) if (e.resourceKey === reg.store.key) w.deliver(e, true);
    }
  }

  private startFromSnapshot(w: Watch, reg: Registered, route: Route, watchList: boolean): void {
    // Snapshot and going live happen in one synchronous step, so no write can fall between them.
    w.sendSnapshot(this.store.snapshot(reg.store.key, route.namespace));
    const rv = this.store.currentRV;
    w.lastRV = rv;
    w.live = true;
    // The end of the initial events: annotated bookmark at the current global RV, only with bookmarks allowed (§3.3).
    if (watchList && w.allowBookmarks) w.sendBookmark(rv, true);
  }
}
