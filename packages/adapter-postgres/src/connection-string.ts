import { type ConnectionOptions, parse } from 'pg-connection-string';

// The create races rely on READ COMMITTED (see statements.ts). A startup option keeps them
// correct on a database or role whose default isolation level is stricter, at no extra round
// trip. PostgreSQL applies repeated `-c` settings in order, so this one, placed last, also
// overrides one in the URL's own `options`.
const READ_COMMITTED_OPTION = '-c default_transaction_isolation=read\\ committed';

const MAX_PORT = 65_535;

/** Settings of the connector's own pool, derived from the caller's connection string. */
export interface ConnectionSettings {
  /** The caller's connection string without its `options` parameters. */
  connectionString: string;
  /** The URL's `options` (or else `PGOPTIONS`, as pg reads it), then READ COMMITTED. */
  options: string;
}

/**
 * Checks a connection string with pg's own parser and moves its `options` parameter into a
 * separate setting, followed by the READ COMMITTED option. Left in the URL, that parameter
 * would replace the pool's `options` setting, because pg lets every URL parameter override
 * the matching pool setting. pg's parser also reads the files that `sslrootcert`, `sslcert`
 * and `sslkey` name, so a missing file throws here, and pg reads them again per connection.
 *
 * @throws TypeError - the string is not a URL that pg can use. The message never contains
 *   the string itself, which may contain a password.
 */
export function connectionSettings(connectionString: string): ConnectionSettings {
  // pg resolves a string without a scheme against `postgres://base`, so `db.internal` would
  // connect to a host named `base`. A Unix socket directory starting with / is allowed.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(connectionString) && !connectionString.startsWith('/')) {
    throw invalidConnectionString(
      'it has no scheme. Expected a URL such as postgres://user:password@host:5432/database',
    );
  }

  let parsed: ConnectionOptions;
  try {
    parsed = parse(connectionString);
  } catch (error) {
    throw invalidConnectionString(describeParseError(connectionString, error), error);
  }

  const port = parsed.port;
  if (typeof port === 'string' && port !== '' && !isValidPort(port)) {
    throw invalidConnectionString(describePort(port));
  }

  const urlOptions = parsed.options || process.env['PGOPTIONS'];
  return {
    connectionString: withoutOptionsParameter(connectionString),
    options:
      urlOptions === undefined || urlOptions === ''
        ? READ_COMMITTED_OPTION
        : `${urlOptions} ${READ_COMMITTED_OPTION}`,
  };
}

/**
 * Removes every `options` parameter from the query of a URL. The query runs from the first
 * `?` to the next `#`, as in pg's parser (the WHATWG URL parser), and each `&`-separated
 * parameter is matched by its decoded name, so `opt%69ons=...` is removed too.
 */
function withoutOptionsParameter(connectionString: string): string {
  const queryStart = connectionString.indexOf('?');
  if (queryStart === -1) return connectionString;

  const fragmentStart = connectionString.indexOf('#', queryStart);
  const queryEnd = fragmentStart === -1 ? connectionString.length : fragmentStart;
  const remainingParameters = connectionString
    .slice(queryStart + 1, queryEnd)
    .split('&')
    .filter((parameter) => new URLSearchParams(parameter).keys().next().value !== 'options');

  const base = connectionString.slice(0, queryStart);
  const query = remainingParameters.length === 0 ? '' : `?${remainingParameters.join('&')}`;
  return base + query + connectionString.slice(queryEnd);
}

function invalidConnectionString(reason: string, cause?: unknown): TypeError {
  return new TypeError(
    `Invalid \`connectionString\`: ${reason}.`,
    cause === undefined ? undefined : { cause },
  );
}

function isValidPort(port: string): boolean {
  return /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= MAX_PORT;
}

function describePort(port: string): string {
  // Only an all-digit port is shown, because other text after a colon may be a password.
  return /^\d+$/.test(port)
    ? `port ${port} is out of the range 1 to ${MAX_PORT}`
    : `the port is not a number from 1 to ${MAX_PORT}`;
}

function describeParseError(connectionString: string, error: unknown): string {
  const { code, syscall, path } = (error ?? {}) as {
    code?: unknown;
    syscall?: unknown;
    path?: unknown;
  };

  if (code === 'ERR_INVALID_URL') {
    // Text after the colon that is not all digits is likely a password with an unescaped /
    // or @ rather than a port, so only a numeric port gets its own message.
    const port = portOfUrl(connectionString);
    if (port !== undefined && /^\d+$/.test(port) && !isValidPort(port)) {
      return describePort(port);
    }
    return (
      'it is not a valid URL. Check the host and the port, and percent-encode characters ' +
      'such as @, / and : in the user name and the password'
    );
  }
  if (syscall === 'open' && typeof path === 'string') {
    return `the file ${path}, named by sslrootcert, sslcert or sslkey, cannot be read (${String(code)})`;
  }
  // pg-connection-string's own errors, such as sslmode=verify-ca without sslrootcert, explain
  // themselves and never quote the URL.
  if (error instanceof Error && code === undefined) return error.message.replace(/\.$/, '');
  return 'it is not a URL that pg can parse';
}

/** Returns the text after the host's colon in a URL's authority, if there is one. */
function portOfUrl(connectionString: string): string | undefined {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(connectionString)?.[1];
  if (authority === undefined) return undefined;

  const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1);
  return /^(?:\[[^\]]*\]|[^:]*):(.*)$/.exec(hostAndPort)?.[1];
}
