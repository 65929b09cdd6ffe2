export { runCli } from './cli.js';
export { CliError, EXIT_FAILURE, EXIT_USAGE, UsageError } from './cli-errors.js';
export { type OpenStoreOptions, openStore, type Store } from './open-store.js';
export {
  type Backend,
  backendOf,
  DEFAULT_STORE_URL,
  redactUrl,
  STORE_URL_VARIABLE,
  scrubSecrets,
  secretsOf,
} from './store-url.js';
