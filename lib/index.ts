/**
 * kubex-rx: watch Kubernetes resources as RxJS Observables.
 *
 * @packageDocumentation
 */
export * from './errors/index.js';
export * from './watch/index.js';
export * from './resource/index.js';
export * from './client/index.js';
export * from './api/index.js';
export { LineTooLongError, InvalidUtf8Error, DEFAULT_MAX_LINE_BYTES, LineSplitter, readLines, type LineSplitterOptions, type ByteStream, type LineHandler } from './stream/index.js';
export * from './operators/index.js';
export * from './store/index.js';
export * from './informer/index.js';
export * from './controller/index.js';
