export type { StateConnector } from './connector.js';
export type {
  AdministeredStateConnector,
  ConnectorOptions,
  ConnectorSetup,
} from './connector-options.js';
export type { StateConnectorError } from './errors.js';
export {
  BackendError,
  ConnectorClosedError,
  ErrorCode,
  InvalidNameError,
  InvalidObjectIdError,
  isStateConnectorError,
  ObjectNotFoundError,
  StateJsonError,
  StateNotFoundError,
  SyncUnavailableError,
} from './errors.js';
export type { StateConnectorEvent, StateConnectorLogger } from './events.js';
export type { Json } from './json.js';
export {
  checkJsonText,
  decodeJson,
  encodeJson,
  MAX_JSON_BYTES,
  MAX_JSON_DEPTH,
} from './json.js';
export {
  codePointLength,
  MAX_OBJECT_NAME_LENGTH,
  MAX_STATE_NAME_LENGTH,
  shortenName,
  toStoredClassName,
  toStoredObjectName,
  toStoredStateName,
} from './names.js';
export { DEFAULT_OBJECT_ID_CACHE_SIZE, ObjectIdCache } from './object-id-cache.js';
export type { BackendFailure, ObjectRecord, StateStorage, StorageContext } from './storage.js';
export { createStateConnector } from './storage-connector.js';
export type { SyncTarget } from './sync-bridge.js';
