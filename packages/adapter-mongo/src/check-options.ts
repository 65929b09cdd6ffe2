/**
 * Maximum length of a MongoDB database name in UTF-8 bytes. MongoDB's server source defines
 * `DatabaseName::kMaxDatabaseNameLength = 63`, and its manual says that a database name must
 * have fewer than 64 characters.
 */
export const MAX_DATABASE_NAME_BYTES = 63;

// Characters that MongoDB rejects in a database name on Windows, a superset of those it
// rejects on Linux and macOS (`/\. "$` and NUL). Rejecting all of them keeps a name portable.
const forbiddenCharacters = /[/\\. "$*<>:|?\0]/;

const expectedOptions =
  'pass { url: "mongodb://host:27017/database" } or { client: mongoClient, database: "name" }';

const MAX_QUOTED_LENGTH = 100;

// A name is cut in messages so that a huge argument cannot make a huge message.
function quoteName(name: string): string {
  if (name.length <= MAX_QUOTED_LENGTH) return JSON.stringify(name);
  return `${JSON.stringify(name.slice(0, MAX_QUOTED_LENGTH))}... (${name.length} UTF-16 units)`;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

/**
 * Throws a TypeError unless `options` is an object with exactly one of `url` (a string) and
 * `client` (an object with a `db` method, as a MongoClient has), and a `database` option, if
 * given, that is a string. The database name itself is checked by
 * {@link checkDatabaseName} once it is known.
 */
export function checkConnectorOptions(options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(
      `createMongoStateConnector expects an options object, got ${describeType(options)}; ` +
        `${expectedOptions}.`,
    );
  }

  const { url, client, database } = options as Record<string, unknown>;
  if ((url === undefined) === (client === undefined)) {
    throw new TypeError(
      'createMongoStateConnector needs exactly one of `url` (a mongodb:// connection string) ' +
        `and \`client\` (a MongoClient), got ${url === undefined ? 'neither' : 'both'}; ` +
        `${expectedOptions}.`,
    );
  }
  if (url !== undefined && typeof url !== 'string') {
    throw new TypeError(
      `The \`url\` option of createMongoStateConnector must be a string, got ${describeType(url)}; ` +
        'pass a connection string such as "mongodb://127.0.0.1:27017/ci".',
    );
  }
  const db = (client as { db?: unknown } | null | undefined)?.db;
  if (client !== undefined && typeof db !== 'function') {
    throw new TypeError(
      'The `client` option of createMongoStateConnector must be a MongoClient from the ' +
        `\`mongodb\` package, got ${describeType(client)} without a db() method.`,
    );
  }
  if (database !== undefined && typeof database !== 'string') {
    throw new TypeError(
      'The `database` option of createMongoStateConnector must be a string, got ' +
        `${describeType(database)}; pass a database name such as "state_connector".`,
    );
  }
}

/**
 * Throws a TypeError unless `name` is a database name that MongoDB accepts: not empty, at
 * most {@link MAX_DATABASE_NAME_BYTES} UTF-8 bytes, well-formed Unicode, and free of
 * `/\. "$*<>:|?` and NUL.
 * `source` names the option that the name came from, for the message.
 */
export function checkDatabaseName(name: string, source: 'database' | 'url'): void {
  const where = source === 'database' ? 'The `database` option' : 'The database named in `url`';
  const fix =
    source === 'database'
      ? 'pass another `database`'
      : 'change the path of `url` or pass a `database` option';

  let problem: string | undefined;
  const bytes = Buffer.byteLength(name, 'utf8');
  const forbidden = forbiddenCharacters.exec(name)?.[0];
  if (name === '') {
    problem = 'is empty';
  } else if (!name.isWellFormed()) {
    // The driver would encode a lone surrogate as U+FFFD, so two names could share a database.
    problem = 'contains a lone surrogate, which UTF-8 cannot encode';
  } else if (forbidden !== undefined) {
    const character = forbidden === '\0' ? 'NUL' : JSON.stringify(forbidden);
    problem = `contains ${character}, and MongoDB database names cannot contain /\\. "$*<>:|? or NUL`;
  } else if (bytes > MAX_DATABASE_NAME_BYTES) {
    problem =
      `is ${bytes} bytes long in UTF-8, and MongoDB database names have at most ` +
      `${MAX_DATABASE_NAME_BYTES} bytes`;
  }
  if (problem === undefined) return;

  throw new TypeError(
    `${where} of createMongoStateConnector, ${quoteName(name)}, is an invalid ` +
      `MongoDB database name: it ${problem}; ${fix}.`,
  );
}
