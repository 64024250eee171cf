export { Api, type ApiOptions } from './api.js';
export { DEFAULT_MAX_LINE_BYTES, type WatchOptions } from './watch-options.js';
