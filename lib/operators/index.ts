export { trackBookmarks } from './track-bookmarks.js';
export { RETRY_ON_GONE_FLOOR_MS, retryOnGone, type RetryOnGoneConfig } from './retry-on-gone.js';
export { reconnectOnTimeout, type ReconnectOnTimeoutConfig } from './reconnect-on-timeout.js';
export { retryWithBackoff, isTransientError, type RetryWithBackoffConfig, type RetryInfo } from './retry-with-backoff.js';
export { idleTimeout, idleTimeoutFor, type IdleTimeoutConfig, type IdleTimeoutForOptions } from './idle-timeout.js';
export { reflect } from './reflect.js';
