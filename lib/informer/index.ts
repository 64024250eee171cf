export { Informer, type InformerOptions, type InformerState, type InformerObject } from './informer.js';
