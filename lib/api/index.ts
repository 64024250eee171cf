export { Api, type ApiOptions } from './api.js';
export { type WatchOptions } from './watch-options.js';
