export { ObjectStore, objectKey } from './object-store.js';
