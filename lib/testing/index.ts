/**
 * `kubex-rx/testing`: the FakeApiServer and helpers for testing code that watches Kubernetes.
 * @since 0.1.0
 */
export {
  FakeApiServer,
  type FakeApiServerOptions,
  type FakeApiServerConfig,
  type ExpiredStyle,
  type RegisterOptions,
  type ResourceRef,
  type RecordedRequest,
  type WatchInfo,
  type WatchCloseReason,
  type HttpFault,
  type WatchErrorInput,
  type FakeTlsOptions,
} from './fake-api-server.js';
export type { BuiltInControllers } from './server-types.js';
export { FakeAuth, type FakeAuthOptions, type FakeUser, type FakeAuthMethod, type RequestAuth, type AuthorizationAttributes } from './auth.js';
export { createTestPki, type TestPki, type TestCertificate, type IssueOptions } from './pki.js';
export { type ChunkingMode } from './watch-output.js';
export { type ObjectValidator, type ValidationContext } from './writes.js';
export type { NameRule } from './name-rules.js';
export { FakeStoreError, type ObjectInput } from './store.js';
export { testResources } from './resources.js';
export { allKinds, type KindSet } from './all-kinds.js';
export {
  parseLabelSelector,
  LabelSelectorError,
  type LabelSelector,
  type LabelRequirement,
  type LabelOperator,
} from './label-selector.js';
export { parseFieldSelector, FieldSelectorError, type FieldSelector, type FieldRequirement } from './field-selector.js';
export {
  makeStatus,
  tooOldResourceVersionStatus,
  tooLargeResourceVersionStatus,
  internalErrorStatus,
  unauthorizedStatus,
  forbiddenStatus,
  resourceNotFoundStatus,
  objectNotFoundStatus,
  badRequestStatus,
  tooManyRequestsStatus,
  invalidListOptionsStatus,
  invalidStatus,
  fieldErrorBody,
  alreadyExistsStatus,
  conflictStatus,
  unsupportedMediaTypeStatus,
  requestEntityTooLargeStatus,
  deleteSuccessStatus,
  OPTIMISTIC_LOCK_MESSAGE,
  type FieldErrorType,
  type StatusBody,
  type StatusInput,
  type StatusDetailsBody,
  type StatusCauseBody,
  type ForbiddenInput,
  type FieldError,
} from './status.js';
export {
  testObjects,
  added,
  modified,
  deleted,
  bookmark,
  initialEventsEnd,
  objectList,
  type TestKind,
  type TestObjects,
  type TestObjectOptions,
} from './kit/events.js';
export {
  StubApi,
  connected,
  rejected,
  type StubApiOptions,
  type StubConnected,
  type StubWatchStream,
  type WatchCall,
  type ListCall,
} from './kit/stub-api.js';
export { goneError } from './kit/errors.js';
