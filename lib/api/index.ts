export { Api, type ApiOptions } from './api.js';
export { isStatus } from './is-status.js';
export { type WatchOptions } from './watch-options.js';
export { type ListOptions, type ObjectList } from './list.js';
export { PATCH_CONTENT_TYPES, type PatchType, type PatchOptions, type DeleteOptions, type WriteOptions, type ObjectCallOptions, type ObjectInput } from './crud.js';
