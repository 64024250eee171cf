import type { InformerState } from '../informer/informer.js';

/**
 * `up` or `down`, as Terminus spells them.
 * @since 0.1.0
 */
export type InformerHealthStatus = 'up' | 'down';

/**
 * What a health report says about an informer, taken from its {@link InformerState}: JSON-safe (the error is its
 * `name: message`, which never holds credentials).
 * @since 0.1.0
 */
export interface InformerHealthDetails {
  /** The informer's phase: `idle`, `connecting`, `syncing`, `watching`, `backingOff`, `stalled` or `failed`. */
  readonly phase: InformerState['phase'];
  /** Whether the store has held the complete state at least once. */
  readonly synced: boolean;
  /** `watching`: the last resourceVersion seen. */
  readonly resourceVersion?: string;
  /** `backingOff`/`stalled`: the number of the next attempt, and the wait before it (ms). */
  readonly attempt?: number;
  /** `backingOff`/`stalled`: the wait before the next attempt (ms). */
  readonly delay?: number;
  /** `backingOff`/`stalled`/`failed`: what went wrong, as `Name: message`. */
  readonly error?: string;
}

/**
 * The result of {@link informerHealth}.
 * @since 0.1.0
 */
export interface InformerHealth {
  /** `up` or `down`. */
  readonly status: InformerHealthStatus;
  /** What the status is based on. */
  readonly details: InformerHealthDetails;
}

/**
 * Options of {@link informerHealth} and {@link KubexHealthIndicator.isHealthy}.
 * @since 0.1.0
 */
export interface InformerHealthOptions {
  /**
   * `true`: only `watching` is up. Default `false`: an informer that has synced and is recovering from transient
   * trouble (`connecting`, `syncing` after a 410, `backingOff`, `stalled`) is up too, as its store still serves the
   * last complete state and restarting the process would not help.
   */
  readonly requireWatching?: boolean;
}

/**
 * What is read of an informer: its current state. An `Informer`, or a stub in a test.
 *
 * @example
 * ```ts
 * informerHealth({ state: { phase: 'watching', synced: true, resourceVersion: '42' } }); // { status: 'up', ... }
 * ```
 * @since 0.1.0
 */
export interface InformerStateSource {
  /** The informer's current state. */
  readonly state: InformerState;
}

/** An error as `Name: message` (never holds credentials: kubex-rx messages cut URLs to scheme, host and path). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * The health of an informer, from its current state (`informer.state`; nothing is subscribed):
 *
 * - `down` when it is `idle` (nobody holds it, so it follows nothing), `failed` (an unrecoverable error: 401, 403,
 *   404, ...; it stopped), or has never synced (the initial state has not arrived yet);
 * - `up` when `watching`, or when it has synced and is recovering from transient trouble (unless
 *   `requireWatching`).
 *
 * Usable with or without Nest; {@link KubexHealthIndicator} wraps it for `@nestjs/terminus`.
 *
 * @example
 * ```ts
 * const informer = pods.informer();
 * informer.store$.subscribe(render);
 * app.get('/healthz', (req, res) => {
 *   const health = informerHealth(informer);
 *   res.status(health.status === 'up' ? 200 : 503).json(health);
 * });
 * ```
 * @since 0.1.0
 */
export function informerHealth(informer: InformerStateSource, options: InformerHealthOptions = {}): InformerHealth {
  const state = informer.state;
  const details: { -readonly [K in keyof InformerHealthDetails]: InformerHealthDetails[K] } = { phase: state.phase, synced: state.synced };
  let up: boolean;
  switch (state.phase) {
    case 'watching':
      if (state.resourceVersion !== undefined) details.resourceVersion = state.resourceVersion;
      up = true;
      break;
    case 'backingOff':
    case 'stalled':
      details.attempt = state.attempt;
      details.delay = state.delay;
      details.error = describeError(state.error);
      up = state.synced && options.requireWatching !== true;
      break;
    case 'connecting':
    case 'syncing':
      up = state.synced && options.requireWatching !== true;
      break;
    case 'failed':
      details.error = describeError(state.error);
      up = false;
      break;
    case 'idle':
      up = false;
      break;
  }
  return { status: up ? 'up' : 'down', details };
}

/**
 * A Terminus health indicator result: `{ [key]: { status, ...details } }`, the shape `HealthCheckService.check()`
 * takes from an indicator function (`HealthIndicatorResult` of `@nestjs/terminus`).
 * @since 0.1.0
 */
export type KubexHealthIndicatorResult<Key extends string = string> = Record<
  Key,
  {
    /** `up` or `down`. */
    readonly status: InformerHealthStatus;
  } & InformerHealthDetails
>;

/**
 * A health indicator for `@nestjs/terminus` 11 or later, built on an informer's state channel (see
 * {@link informerHealth}). `KubexModule` provides and exports it. It returns Terminus's result shape directly, and
 * Terminus counts a `down` result as an error (from 11 on; 10 counted every returned result as up): no exception is
 * thrown, so it does not import `@nestjs/terminus`, which stays an optional dependency.
 *
 * @example
 * ```ts
 * @Controller('health')
 * export class HealthController {
 *   constructor(
 *     private readonly health: HealthCheckService,
 *     private readonly kubex: KubexHealthIndicator,
 *     @InjectInformer(Pod) private readonly pods: Informer<Pod>,
 *   ) {}
 *
 *   @Get()
 *   @HealthCheck()
 *   check() {
 *     return this.health.check([() => this.kubex.isHealthy('pods', this.pods)]);
 *   }
 * }
 * // GET /health -> 200 {"status":"ok","info":{"pods":{"status":"up","phase":"watching","synced":true,...}},...}
 * //             -> 503 {"status":"error","error":{"pods":{"status":"down","phase":"failed","error":"ForbiddenError: ..."}},...}
 * ```
 * @since 0.1.0
 */
export class KubexHealthIndicator {
  /**
   * The health of `informer` under `key`: `{ [key]: { status: 'up' | 'down', phase, synced, ... } }`.
   * @since 0.1.0
   */
  isHealthy<const Key extends string>(key: Key, informer: InformerStateSource, options: InformerHealthOptions = {}): KubexHealthIndicatorResult<Key> {
    const { status, details } = informerHealth(informer, options);
    return { [key]: { status, ...details } } as KubexHealthIndicatorResult<Key>;
  }
}
