import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './cli-errors.js';

/** Store used when neither `--url` nor `STATE_CONNECTOR_URL` is set. */
export const DEFAULT_STORE_URL = 'file:state.db';

/** Environment variable that sets the store URL when `--url` is not given. */
export const STORE_URL_VARIABLE = 'STATE_CONNECTOR_URL';

/** Backend that serves a store URL. */
export type Backend = 'sqlite' | 'postgres' | 'mongo';

const schemes: Array<[prefix: string, backend: Backend]> = [
  ['file:', 'sqlite'],
  [':memory:', 'sqlite'],
  ['libsql:', 'sqlite'],
  ['postgres://', 'postgres'],
  ['postgresql://', 'postgres'],
  ['mongodb://', 'mongo'],
  ['mongodb+srv://', 'mongo'],
];

// Query parameters that carry a credential in the URL forms that the adapters accept.
const secretParameters =
  /([?&](?:password|pass|pwd|authToken|auth_token|token|sslpassword)=)([^&#]*)/gi;

/**
 * Returns the backend for a store URL, by its scheme.
 *
 * @throws UsageError - the scheme is not one of the supported forms.
 */
export function backendOf(url: string): Backend {
  const lower = url.toLowerCase();
  for (const [prefix, backend] of schemes) {
    if (lower.startsWith(prefix)) return backend;
  }
  throw new UsageError(
    `Invalid store URL ${JSON.stringify(redactUrl(url))}: expected file:PATH, :memory:, ` +
      'libsql://HOST, postgres://... or mongodb://... (for a local file, write file:state.db).',
    'INVALID_URL',
  );
}

interface UrlParts {
  /** Everything up to and including `://`, or `''` for `file:` and `:memory:` URLs. */
  scheme: string;
  /** The user name, or undefined when the URL has no userinfo. */
  user: string | undefined;
  /** The password, or undefined when the userinfo has none. */
  password: string | undefined;
  /** Everything after the userinfo. */
  rest: string;
}

function splitUrl(url: string): UrlParts {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0) return { scheme: '', user: undefined, password: undefined, rest: url };

  const scheme = url.slice(0, schemeEnd + 3);
  const afterScheme = url.slice(schemeEnd + 3);
  // The last `@` ends the userinfo even when a password contains an unescaped `@`. If the
  // query contains one instead, more than the userinfo is hidden, which errs on the safe side.
  const at = afterScheme.lastIndexOf('@');
  if (at < 0) return { scheme, user: undefined, password: undefined, rest: afterScheme };

  const userinfo = afterScheme.slice(0, at);
  const colon = userinfo.indexOf(':');
  return {
    scheme,
    user: colon < 0 ? userinfo : userinfo.slice(0, colon),
    password: colon < 0 ? undefined : userinfo.slice(colon + 1),
    rest: afterScheme.slice(at + 1),
  };
}

/**
 * Returns `url` with the password of its userinfo and any credential query parameter
 * (`password`, `authToken`, ...) replaced by `***`, so that it can be printed.
 */
export function redactUrl(url: string): string {
  const parts = splitUrl(url);
  let redacted = parts.scheme;
  if (parts.user !== undefined) {
    redacted += parts.password === undefined ? `${parts.user}@` : `${parts.user}:***@`;
  }
  redacted += parts.rest;
  return redacted.replace(secretParameters, '$1***');
}

/** Maximum TCP port number. */
const MAX_PORT = 65_535;

// Returns the port of one `host[:port]` entry of a host list, or undefined when it has none.
function portOf(host: string): string | undefined {
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    return close >= 0 && host[close + 1] === ':' ? host.slice(close + 2) : undefined;
  }
  const colon = host.lastIndexOf(':');
  return colon < 0 ? undefined : host.slice(colon + 1);
}

/**
 * Checks the ports in the host list of a `postgres://` or `mongodb://` URL. The pg driver
 * rejects an invalid port only when it connects, with a message that does not name it.
 *
 * @throws UsageError - a port is not a number from 1 to 65535.
 */
export function checkServerUrl(url: string): void {
  const { rest } = splitUrl(url);
  const hostList = rest.split(/[/?#]/, 1)[0] ?? '';
  for (const host of hostList.split(',')) {
    const port = portOf(host);
    if (port === undefined || port === '') continue;
    const number = /^[0-9]+$/.test(port) ? Number(port) : Number.NaN;
    if (number >= 1 && number <= MAX_PORT) continue;
    throw new UsageError(
      `Invalid store URL ${JSON.stringify(redactUrl(url))}: port ${JSON.stringify(port)} is ` +
        `not a number from 1 to ${MAX_PORT}.`,
      'INVALID_URL',
    );
  }
}

/**
 * Returns the absolute path of the SQLite file that a `file:` URL names, resolving a
 * relative path against the working directory as the SQLite adapter does. Returns undefined
 * for an in-memory database, a remote libSQL URL and a `file:` URL with a remote host.
 */
export function sqliteFilePath(url: string): string | undefined {
  if (!url.startsWith('file:') || url.startsWith('file::memory:')) return undefined;
  if (url.includes('mode=memory')) return undefined;
  const location = url.slice('file:'.length).split('?', 1)[0] ?? '';
  if (!location.startsWith('/')) return resolve(location);
  try {
    return fileURLToPath(`file:${location}`);
  } catch {
    return undefined;
  }
}

/** Returns the credentials in `url`, raw and percent-decoded, to scrub from any output. */
export function secretsOf(url: string): string[] {
  const found = new Set<string>();
  const add = (secret: string | undefined) => {
    if (secret === undefined || secret === '') return;
    found.add(secret);
    try {
      found.add(decodeURIComponent(secret));
    } catch {
      // A malformed escape leaves only the raw form to scrub.
    }
  };

  add(splitUrl(url).password);
  for (const match of url.matchAll(secretParameters)) add(match[2]);
  return [...found];
}

/** Replaces every occurrence of each secret in `text` by `***`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let scrubbed = text;
  for (const secret of secrets) scrubbed = scrubbed.split(secret).join('***');
  return scrubbed;
}
