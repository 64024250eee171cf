/**
 * This package's version, as in its package.json. A constant compiled into dist, so neither the published package
 * nor a browser bundle has to find and read package.json at run time (a JSON import needs import attributes and
 * breaks bundlers; a path relative to the module breaks when dist moves). spec/client/version.spec.ts fails when
 * it drifts from package.json: bump both together.
 */
export const VERSION = '0.2.0';
