/**
 * The public names of the controller helpers (issue #15: finalizers, owner references, events), for the integrator
 * to merge into `lib/controller/index.ts`.
 */
export { finalizer, finalizerState, FinalizerError, type FinalizerContext, type FinalizerHandlers, type FinalizerOptions, type FinalizerState } from './finalizer.js';
export { controllerReference, ownedBy, controllerOf, controllerKeyOf, AlreadyOwnedError, type OwnerReference, type OwnerKind } from './owner-reference.js';
export { EventRecorder, type EventRecorderOptions, type EventInput, type RecordOutcome, type EventsV1Event } from './event-recorder.js';
export type { ObjectReference } from './event-key.js';
export type { ObjectLike } from './object-ref.js';
