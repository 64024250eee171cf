export { Informer, type InformerOptions, type InformerState, type InformerObject, type InformerSource } from './informer.js';
export type { EventOrigin, InformerEvent } from './informer-event.js';
export { stripManagedFields } from './strip-managed-fields.js';
export { BookmarkCadence, type BookmarkCadenceOptions } from './bookmark-cadence.js';
export { TransformError } from './transform-events.js';
export type { CheckpointStore, CheckpointIdentity } from './checkpoint.js';
export type { CheckpointOptions } from './checkpointing.js';
export { fileCheckpoint, type FileCheckpoint } from './file-checkpoint.js';
