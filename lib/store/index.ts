export { ObjectStore, objectKey, type StoreObject } from './object-store.js';
