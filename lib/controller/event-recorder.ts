/**
 * `EventRecorder`: `events.k8s.io/v1` Events about the objects a controller acts on, aggregated and rate limited so
 * that a hot reconcile loop cannot flood the API server.
 *
 * Follows client-go's events.k8s.io recorder (`tools/events/event_broadcaster.go`, `recordToSink`, `getKey`,
 * `recordEvent`, `finishSeries`): Events are keyed "isomorphically" by type, action, reason, reporting controller
 * and instance, regarding and related object (not by note); the first one is created, a repeat within the series
 * window becomes `series: { count, lastObservedTime }` patched onto the same Event, a series patched onto an Event
 * that expired meanwhile (404) is created again; a series ends when nothing was observed for 6 minutes
 * (`finishTime`). And the spam filter of client-go's legacy recorder (`tools/record/events_cache.go`,
 * `EventSourceObjectSpamFilter`): a token bucket per source+object, 25 at once then one per 5 minutes.
 *
 * Where we differ, on purpose:
 * - client-go writes the second occurrence at once and later counts only every 30 minutes (`refreshTime`); we
 *   coalesce repeats into at most one patch per `patchIntervalMs` (10 s), each taking a token, so `kubectl events`
 *   shows a current count and a hot loop still costs one write per interval at most.
 * - the key leaves out the object's resourceVersion (client-go's `ObjectReference` carries it, so every write to
 *   the object starts a new Event); the Event records the version of its first occurrence.
 * - nothing throws into the reconcile: every failure is logged on the client's log and `recordEvent` resolves at the
 *   first attempt; a create that failed for a transient reason is retried in the background (client-go's 12 tries,
 *   10 s apart, in `attemptRecording`), on the recorder's scheduler.
 * - time comes from an RxJS scheduler, so aggregation and rate limiting run in virtual time in tests.
 */
import { asyncScheduler, firstValueFrom, type SchedulerLike, type Subscription } from 'rxjs';
import { Api } from '../api/api.js';
import type { KubeClient } from '../client/kube-client.js';
import { NotFoundError, StatusError } from '../errors/status-error.js';
import { TransportError } from '../errors/kubex-error.js';
import { Event } from '../k8s/v1_35/events.k8s.io/v1.js';
import { EVENT_FIELD_LIMIT, EVENT_NOTE_LIMIT, cutUtf8, eventProblems, microTime, utf8Length } from './event-validation.js';
import type { ObjectLike } from './object-ref.js';
import { isQualifiedName } from './qualified-name.js';
import { TokenBuckets } from './token-bucket.js';
import { eventKey, eventName, referenceTo, type ObjectReference } from './event-key.js';

/**
 * Options of the {@link EventRecorder}.
 * @since 0.3.0
 */
export interface EventRecorderOptions {
  /** `reportingController`: a qualified name, e.g. `example.com/replicator`. */
  readonly controller: string;
  /** `reportingInstance` (at most 128 bytes of UTF-8: longer is cut). Default: `<controller>-<hostname>`, as client-go. */
  readonly instance?: string;
  /** A series ends when nothing was observed for this long; the next one creates a new Event. Default 6 minutes. */
  readonly seriesWindowMs?: number;
  /** Repeats are written at most once per this interval (per Event). Default 10 s. */
  readonly patchIntervalMs?: number;
  /** Writes per object (and reporting source) at once. Default 25 (client-go `defaultSpamBurst`). */
  readonly burst?: number;
  /** Milliseconds to earn one more write per object. Default 300 000 (client-go `defaultSpamQPS = 1/300`). */
  readonly refillMs?: number;
  /** The most Events remembered for aggregation; the least recently seen are forgotten beyond. Default 4096. */
  readonly maxCached?: number;
  /**
   * A create that failed for a transient reason (no connection, 429, 5xx) is tried again this much later, in the
   * background. Default 10 000 (client-go `defaultSleepDuration`, without its jitter).
   */
  readonly retryDelayMs?: number;
  /** How many times a create is tried in all. Default 12 (client-go `maxTriesPerEvent`). */
  readonly maxTries?: number;
  /** The clock and timers. Default `asyncScheduler`; a `TestScheduler` in tests. */
  readonly scheduler?: SchedulerLike;
}

/**
 * What happened, as given to {@link EventRecorder.recordEvent}.
 * @since 0.3.0
 */
export interface EventInput {
  /** `Normal` or `Warning`. */
  readonly type: 'Normal' | 'Warning';
  /** Why, in UpperCamelCase, machine-readable (at most 128 bytes of UTF-8): `Replicated`, `CleanupFailed`. */
  readonly reason: string;
  /** For humans (`note`; cut to 1024 bytes of UTF-8). Not part of the aggregation key: repeats keep the first one. */
  readonly message?: string;
  /** What was done or tried, machine-readable (at most 128 bytes of UTF-8). Default `Reconcile`. */
  readonly action?: string;
  /** A second object involved (e.g. the child that was written). */
  readonly related?: ObjectLike;
}

/**
 * What a `recordEvent` call did: `created` a new Event, `counted` it into a series (written within `patchIntervalMs`),
 * `throttled` (no token left: not written), `invalid` (a rule of the API server would refuse it), `retrying` (a
 * transient failure: the create is tried again in the background, repeats are counted meanwhile) or `failed` (the
 * server refused it, or the tries ran out; logged).
 * @since 0.3.0
 */
export type RecordOutcome = 'created' | 'counted' | 'throttled' | 'invalid' | 'retrying' | 'failed';

interface Series {
  readonly key: string;
  readonly sourceObject: string;
  /** The Event as created (name, namespace, fields); `series` is set from the counters when written. */
  readonly event: Record<string, unknown> & { metadata: { name: string; namespace: string } };
  count: number;
  written: number;
  lastObserved: number;
  lastWrite: number;
  flush: Subscription | undefined;
  chain: Promise<unknown>;
  /** Its Event could not be created: nothing more is written for it. */
  dead: boolean;
  /** Its Event exists on the server (created): series patches may go. */
  created: boolean;
  /** The timer of a create retry. */
  retry: Subscription | undefined;
}

/** The Event type the recorder writes. @since 0.3.0 */
export type EventsV1Event = Event;

/** Worth another try: the network, throttling or the server's own trouble (not a refusal of the Event). */
function transient(error: unknown): boolean {
  if (error instanceof TransportError) return true;
  return error instanceof StatusError && (error.code === 429 || error.code >= 500);
}

function hostname(): string {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.['HOSTNAME'] ?? 'unknown';
}

/**
 * Records `events.k8s.io/v1` Events for one controller (its `reportingController` and `reportingInstance`).
 * See the module comment for the aggregation and rate limiting rules; `recordEvent` never rejects.
 *
 * @example
 * ```ts
 * const events = new EventRecorder(client, { controller: 'example.com/replicator' });
 * await events.recordEvent(replicate, { type: 'Normal', reason: 'Replicated', message: `copied to ${n} namespaces` });
 * ```
 * @since 0.3.0
 */
export class EventRecorder {
  /** `reportingController` of every Event. */
  readonly controller: string;
  /** `reportingInstance` of every Event. */
  readonly instance: string;
  readonly #client: KubeClient;
  readonly #events: Api<Event>;
  readonly #scheduler: SchedulerLike;
  readonly #windowMs: number;
  readonly #patchIntervalMs: number;
  readonly #maxCached: number;
  readonly #retryDelayMs: number;
  readonly #maxTries: number;
  readonly #buckets: TokenBuckets;
  readonly #series = new Map<string, Series>();
  #sequence = 0;
  #closed = false;
  /** Final writes of forgotten series, still running (awaited by `settled` and `close`). */
  readonly #finishing = new Set<Promise<unknown>>();

  constructor(client: KubeClient, options: EventRecorderOptions) {
    if (!isQualifiedName(options.controller)) throw new TypeError(`EventRecorder: controller ${JSON.stringify(options.controller)} is not a qualified name (e.g. example.com/replicator)`);
    this.controller = options.controller;
    // The API server's limit is 128 bytes (Go's len), so a multi-byte instance is cut by bytes.
    this.instance = cutUtf8(options.instance ?? `${options.controller}-${hostname()}`, EVENT_FIELD_LIMIT);
    if (this.instance === '') throw new TypeError('EventRecorder: instance must not be empty');
    this.#client = client;
    this.#events = new Api(Event, { client, namespace: null });
    this.#scheduler = options.scheduler ?? asyncScheduler;
    this.#windowMs = options.seriesWindowMs ?? 6 * 60_000;
    this.#patchIntervalMs = options.patchIntervalMs ?? 10_000;
    this.#maxCached = options.maxCached ?? 4096;
    this.#retryDelayMs = options.retryDelayMs ?? 10_000;
    this.#maxTries = options.maxTries ?? 12;
    this.#buckets = new TokenBuckets({ burst: options.burst ?? 25, refillMs: options.refillMs ?? 300_000 });
  }

  /**
   * Records that `type`/`reason` happened to `object`. A new Event is created, or a repeat within the series window
   * is counted into the existing one (written at most once per `patchIntervalMs`), within the per-object rate
   * limit. Resolves when the Event is created (or the repeat counted); never rejects: failures are logged on the
   * client's log and reported in the outcome.
   * @since 0.3.0
   */
  async recordEvent(object: ObjectLike, input: EventInput): Promise<RecordOutcome> {
    try {
      return await this.#record(object, input);
    } catch (error) {
      this.#client.log.warn(`EventRecorder: could not record ${input.type} ${input.reason}: ${(error as Error)?.message ?? String(error)}`);
      return 'failed';
    }
  }

  /**
   * Writes every counted but unwritten repeat now (within the rate limit; throttled ones are dropped and logged at
   * debug), cancels the timers and resolves when the writes end. After it, `recordEvent` writes nothing and resolves
   * `'failed'`. Call it when the controller drains.
   * @since 0.3.0
   */
  async close(): Promise<void> {
    this.#closed = true;
    const all = [...this.#series.values()];
    for (const series of all) this.#forget(series);
    await Promise.all([...all.map((s) => s.chain), ...this.#finishing]);
  }

  /**
   * Resolves when every write started so far has ended (scheduled writes not yet due are not waited for): lets a
   * test assert what was written at a point of virtual time.
   * @since 0.3.0
   */
  async settled(): Promise<void> {
    await Promise.all([...[...this.#series.values()].map((s) => s.chain), ...this.#finishing]);
  }

  /** How many Events are remembered for aggregation (for tests and metrics). @since 0.3.0 */
  get cached(): number {
    return this.#series.size;
  }

  async #record(object: ObjectLike, input: EventInput): Promise<RecordOutcome> {
    const now = this.#scheduler.now();
    const regarding = referenceTo(object);
    const related = input.related === undefined ? undefined : referenceTo(input.related);
    const action = input.action ?? 'Reconcile';
    const key = eventKey({ type: input.type, action, reason: input.reason, controller: this.controller, instance: this.instance, regarding, related });
    const sourceObject = `${this.controller}\u0000${this.instance}\u0000${regarding.uid ?? `${regarding.kind}/${regarding.namespace ?? ''}/${regarding.name}`}`;
    const existing = this.#series.get(key);
    if (this.#closed) return 'failed';
    if (existing !== undefined && now - existing.lastObserved < this.#windowMs) {
      existing.count += 1;
      existing.lastObserved = now;
      this.#touch(existing);
      this.#scheduleFlush(existing, now);
      return 'counted';
    }
    if (existing !== undefined) this.#forget(existing);
    const event = this.#newEvent(regarding, related, input, action, now);
    const problems = eventProblems(event);
    if (problems.length > 0) {
      this.#client.log.warn(`EventRecorder: not recording ${input.type} ${input.reason} for ${regarding.kind} ${regarding.name}: ${problems.join('; ')}`);
      return 'invalid';
    }
    if (!this.#buckets.take(sourceObject, now)) {
      this.#client.log.debug(`EventRecorder: throttled ${input.type} ${input.reason} for ${regarding.kind} ${regarding.name}`);
      return 'throttled';
    }
    const series: Series = { key, sourceObject, event, count: 1, written: 1, lastObserved: now, lastWrite: now, flush: undefined, chain: Promise.resolve(), dead: false, created: false, retry: undefined };
    this.#series.set(key, series);
    this.#evict(now);
    const created = this.#create(series, event, 1);
    series.chain = created;
    return created;
  }

  #newEvent(regarding: ObjectReference, related: ObjectReference | undefined, input: EventInput, action: string, now: number): Series['event'] {
    const note = input.message ?? '';
    return {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      // client-go: the regarding object's namespace, `default` for cluster-scoped objects.
      metadata: { name: eventName(regarding.name, now, this.#sequence++), namespace: regarding.namespace || 'default' },
      eventTime: microTime(now),
      type: input.type,
      reason: input.reason,
      action,
      // 1024 UTF-8 bytes (Go's len), not characters: a note of 600 'é' is cut too.
      ...(note !== '' ? { note: utf8Length(note) > EVENT_NOTE_LIMIT ? `${cutUtf8(note, EVENT_NOTE_LIMIT - 3)}...` : note } : {}),
      reportingController: this.controller,
      reportingInstance: this.instance,
      regarding,
      ...(related !== undefined ? { related } : {}),
    };
  }

  /**
   * Creates the Event. A transient failure (client-go `recordEvent`: transport errors and unexpected answers are
   * retried, a refusal is not; we also retry 429 and 5xx) schedules another try and answers `retrying`; the final
   * failure is logged and the series forgotten, so the next occurrence creates again.
   */
  async #create(series: Series, event: Record<string, unknown>, tries: number): Promise<RecordOutcome> {
    const { name, namespace } = series.event.metadata;
    try {
      await firstValueFrom(this.#events.create$(event as unknown as Event, { namespace }));
      series.created = true;
      // Repeats counted while the create was under way are written on the usual schedule.
      if (series.count > series.written && !series.dead) this.#scheduleFlush(series, this.#scheduler.now());
      return 'created';
    } catch (error) {
      if (transient(error) && tries < this.#maxTries && !this.#closed) {
        this.#client.log.debug(`EventRecorder: could not create Event ${namespace}/${name} (try ${tries} of ${this.#maxTries}, again in ${this.#retryDelayMs} ms): ${(error as Error).message}`);
        series.retry = this.#scheduler.schedule(() => {
          series.retry = undefined;
          series.chain = this.#create(series, event, tries + 1);
        }, this.#retryDelayMs);
        return 'retrying';
      }
      this.#client.log.warn(`EventRecorder: could not create Event ${namespace}/${name}: ${(error as Error).message}`);
      series.dead = true;
      if (this.#series.get(series.key) === series) this.#forget(series);
      return 'failed';
    }
  }

  /** Schedules the write of counted repeats: at once when the last write is older than the interval, else then. */
  #scheduleFlush(series: Series, now: number): void {
    if (series.flush !== undefined) return;
    const due = Math.max(0, series.lastWrite + this.#patchIntervalMs - now, this.#buckets.waitMs(series.sourceObject, now));
    series.flush = this.#scheduler.schedule(() => {
      series.flush = undefined;
      series.chain = series.chain.then(() => this.#writeSeries(series));
    }, due);
  }

  /** Patches `series` onto the Event (creating it again if it expired), if a token allows; else tries later. */
  async #writeSeries(series: Series): Promise<void> {
    const now = this.#scheduler.now();
    if (series.dead || !series.created || series.count <= series.written) return;
    if (!this.#buckets.take(series.sourceObject, now)) {
      if (this.#closed) this.#client.log.debug(`EventRecorder: closed with ${series.count - series.written} repeats of ${series.event.metadata.name} unwritten (throttled)`);
      else this.#scheduleFlush(series, now);
      return;
    }
    const count = series.count;
    const body = { series: { count, lastObservedTime: microTime(series.lastObserved) } };
    const { name, namespace } = series.event.metadata;
    series.lastWrite = now;
    try {
      await firstValueFrom(this.#events.patch$(name, body, { namespace }));
      series.written = count;
    } catch (error) {
      if (error instanceof NotFoundError) {
        // The Event expired (the API server keeps Events an hour by default): create it again with its series.
        try {
          await firstValueFrom(this.#events.create$({ ...series.event, ...body } as unknown as Event, { namespace }));
          series.written = count;
          return;
        } catch (again) {
          error = again;
        }
      }
      this.#client.log.warn(`EventRecorder: could not update Event ${namespace}/${name} (count ${count}): ${(error as Error).message}`);
    }
  }

  /** Moves a series to the end of the map's order: the map is least recently seen first. */
  #touch(series: Series): void {
    this.#series.delete(series.key);
    this.#series.set(series.key, series);
  }

  /** Stops aggregating into `series`; counted repeats not yet written are written now (client-go `finishSeries`). */
  #forget(series: Series): void {
    series.flush?.unsubscribe();
    series.flush = undefined;
    if (series.retry !== undefined && this.#closed) {
      // Closing: a create still waiting for its retry is given up.
      series.retry.unsubscribe();
      series.retry = undefined;
      series.dead = true;
    }
    if (this.#series.get(series.key) === series) this.#series.delete(series.key);
    if (series.dead || series.count <= series.written) return;
    const last = series.chain.then(() => this.#writeSeries(series));
    series.chain = last;
    this.#finishing.add(last);
    void last.finally(() => this.#finishing.delete(last));
  }

  /** Bounds memory: ended series go first, then the least recently seen (their last counts written first). */
  #evict(now: number): void {
    if (this.#series.size <= this.#maxCached) return;
    for (const series of [...this.#series.values()]) {
      if (now - series.lastObserved >= this.#windowMs) this.#forget(series);
    }
    for (const series of this.#series.values()) {
      if (this.#series.size <= this.#maxCached) break;
      this.#forget(series);
    }
    this.#buckets.sweep(now);
  }
}
