export { Api, type ApiOptions } from './api.js';
export { type WatchOptions } from './watch-options.js';
export { type ListOptions, type ObjectList } from './list.js';
