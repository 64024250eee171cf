/**
 * Jest in native ESM mode through ts-jest (run with `node --experimental-vm-modules`, see package.json).
 * @type {import('jest').Config}
 */
export default {
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/spec/setup-env.ts'],
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // Sources import './x.js' as Node ESM requires; map that back to the .ts file for ts-jest.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
  testTimeout: 20000,
};
