export { defineResource, collectionPath, itemPath, type Resource, type ResourceOptions } from './define-resource.js';
