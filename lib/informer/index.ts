export { Informer, type InformerOptions, type InformerState, type InformerObject, type InformerSource } from './informer.js';
