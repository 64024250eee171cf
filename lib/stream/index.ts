/**
 * Streaming line decoding for newline-delimited JSON bodies (Kubernetes watch streams).
 */
export { readLines, readChunks } from './read-lines.js';
export type { ByteStream } from './read-lines.js';
export { LineSplitter, DEFAULT_MAX_LINE_BYTES } from './line-splitter.js';
export type { LineSplitterOptions, LineHandler } from './line-splitter.js';
export { LineTooLongError } from './line-too-long-error.js';
export { InvalidUtf8Error } from './invalid-utf8-error.js';
