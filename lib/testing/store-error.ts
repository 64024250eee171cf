/**
 * The error of the FakeApiServer's store, in its own module so that the store and the modules it calls back into
 * (`namespaces.ts`) can both throw it without a runtime import cycle. `store.ts` re-exports it.
 */

/**
 * Why a programmatic write failed. `reason` mirrors the Status reason a future POST/PUT/DELETE handler will answer.
 * @since 0.1.0
 */
export class FakeStoreError extends Error {
  /** The class name, `FakeStoreError`, also in stack traces and `String(error)`. */
  override readonly name = 'FakeStoreError';
  constructor(
    /** The Status reason the failure corresponds to. */
    readonly reason: 'AlreadyExists' | 'NotFound' | 'Conflict' | 'Invalid' | 'Forbidden',
    message: string,
  ) {
    super(message);
  }
}
