/**
 * What the FakeApiServer's built-in controllers (the kube-controller-manager loops a cluster always runs, and a
 * stand-in kubelet) see of the server: the store they read and write through, and the served resource types.
 * Controllers are driven by store events and work asynchronously (after the write that woke them has answered),
 * as real controllers do; their writes go through the same store and delete path as HTTP requests, so watches see
 * the real sequence of events.
 * @internal
 */
import type { FakeStore, JsonObject, ObjectRecord, StoreEvent, StoreResource } from '../store.js';

/** The server as controllers see it. @internal */
export interface ControllerContext {
  readonly store: FakeStore;
  /** Every served resource type. */
  resources(): readonly StoreResource[];
  /** The served resource type with this store key (`apps/deployments`: `group/plural`, shared by the versions). */
  resource(key: string): StoreResource | undefined;
}

/** A controller fed with every committed store event. @internal */
export interface Controller {
  observe(e: StoreEvent): void;
  stop(): void;
}

/** `metadata` of a stored object. @internal */
export function metaOf(obj: JsonObject): JsonObject {
  return (obj['metadata'] ?? {}) as JsonObject;
}

/** Where an object lives: enough to read it back. @internal */
export interface ObjectLocation {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
}

/** The location of a record. @internal */
export function locationOf(rec: ObjectRecord): ObjectLocation {
  return { key: rec.resourceKey, namespace: rec.namespace, name: rec.name };
}

/** Reads the current state at a location, or `undefined`. @internal */
export function readAt(ctx: ControllerContext, loc: ObjectLocation): { r: StoreResource; rec: ObjectRecord } | undefined {
  const r = ctx.resource(loc.key);
  if (!r) return undefined;
  const rec = ctx.store.get(r, loc.name, loc.namespace || undefined);
  return rec ? { r, rec } : undefined;
}

/**
 * Runs `work` once after the current turn, however many times it is asked before then (a work queue's dedup).
 * @internal
 */
export class Debounced {
  private pending: NodeJS.Immediate | undefined;
  private stopped = false;
  constructor(private readonly work: () => void) {}

  request(): void {
    if (this.pending || this.stopped) return;
    this.pending = setImmediate(() => {
      this.pending = undefined;
      if (!this.stopped) this.work();
    });
    this.pending.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.pending) clearImmediate(this.pending);
    this.pending = undefined;
  }
}
