import { type BackendFailure, InvalidObjectIdError } from '@state-connector/core';
import { DatabaseError } from 'pg';

/** An import asked for an object id that another identity already has. */
export class ObjectIdTakenError extends Error {
  readonly objectId: number;

  constructor(objectId: number) {
    super(`object id ${objectId} is already used by another identity`);
    this.name = 'ObjectIdTakenError';
    this.objectId = objectId;
  }
}

/**
 * An import asked for an object id that Buildbot's `objects.id` (a PostgreSQL `integer`)
 * cannot hold. Its `code` is `INVALID_OBJECT_ID`, so core passes it to the caller unchanged.
 */
export class ObjectIdOutOfRangeError extends InvalidObjectIdError {
  constructor(objectId: number, maxObjectId: number) {
    super(objectId);
    this.message =
      `Invalid object id ${objectId}: PostgreSQL stores object ids in the integer column ` +
      `objects.id, whose maximum is ${maxObjectId}. Import the object with a smaller id.`;
  }
}

interface Description {
  detail: string;
  retryable: boolean;
}

// Server errors by SQLSTATE, described in words so that no raw code reaches a message.
const bySqlState: Record<string, Description> = {
  '40001': { detail: 'a concurrent transaction caused a serialization failure', retryable: true },
  '40P01': { detail: 'the server detected a deadlock', retryable: true },
  '55P03': { detail: 'a lock was not available in time', retryable: true },
  '57014': { detail: 'the statement was canceled or timed out', retryable: true },
  '57P01': { detail: 'the server terminated the connection', retryable: true },
  '57P02': { detail: 'the server restarted after a crash', retryable: true },
  '57P03': { detail: 'the server is starting up or shutting down', retryable: true },
  '53200': { detail: 'the server is out of memory', retryable: true },
  '53300': { detail: 'the server has too many connections', retryable: true },
  '53100': { detail: 'the server disk is full', retryable: false },
  '28P01': { detail: 'password authentication failed', retryable: false },
  '28000': { detail: 'the server rejected the user or the client address', retryable: false },
  '3D000': { detail: 'the database does not exist', retryable: false },
  '3F000': { detail: 'the schema does not exist', retryable: false },
  '42P01': { detail: 'a table is missing; the schema may be incomplete', retryable: false },
  '42501': { detail: 'the user lacks a privilege on the schema or its tables', retryable: false },
  '42704': {
    detail: 'the server does not know a name, such as a setting in the URL options',
    retryable: false,
  },
  '22023': {
    detail: 'the server rejected a parameter value, such as a setting in the URL options',
    retryable: false,
  },
  '22P05': {
    detail: 'the database encoding cannot store a character of the value; use a UTF8 database',
    retryable: false,
  },
  '23503': { detail: 'the object was deleted during the call', retryable: false },
  '23505': { detail: 'a unique index rejected a duplicate', retryable: false },
  '25006': { detail: 'the server accepts no writes (read-only transaction)', retryable: false },
};

// The rest, by SQLSTATE class (the first two characters).
const bySqlStateClass: Record<string, Description> = {
  '08': { detail: 'the connection to the server failed', retryable: true },
  '22': { detail: 'the server rejected a value', retryable: false },
  '23': { detail: 'a constraint rejected the write', retryable: false },
  '28': { detail: 'the server rejected the credentials', retryable: false },
  '40': { detail: 'the server rolled back the transaction', retryable: false },
  '42': { detail: 'the server rejected the statement (syntax or access rule)', retryable: false },
  '53': { detail: 'the server ran out of a resource', retryable: false },
  '54': { detail: 'a server limit was exceeded', retryable: false },
  '55': { detail: 'a database object is not in the required state', retryable: false },
  '57': { detail: 'an operator or the server interrupted the statement', retryable: false },
  '58': { detail: 'the server hit a system error', retryable: false },
  XX: { detail: 'the server hit an internal error', retryable: false },
};

// Node.js socket, URL and TLS errors, by `code`.
const byNodeCode: Record<string, Description> = {
  ECONNREFUSED: { detail: 'the server refused the connection', retryable: true },
  ECONNRESET: { detail: 'the connection was reset', retryable: true },
  ETIMEDOUT: { detail: 'the connection timed out', retryable: true },
  EPIPE: { detail: 'the connection was closed while sending', retryable: true },
  EHOSTUNREACH: { detail: 'the server host is unreachable', retryable: true },
  ENETUNREACH: { detail: 'the network is unreachable', retryable: true },
  EAI_AGAIN: { detail: 'the host name lookup failed temporarily', retryable: true },
  ENOTFOUND: { detail: 'the host name could not be resolved', retryable: false },
  ERR_SOCKET_BAD_PORT: { detail: 'the port is out of the range 1 to 65535', retryable: false },
  ERR_INVALID_URL: {
    detail: 'the connection string is not a valid URL, so check its host, port and % escapes',
    retryable: false,
  },
  EPROTO: { detail: 'the SSL handshake with the server failed', retryable: false },
  DEPTH_ZERO_SELF_SIGNED_CERT: {
    detail: 'the server certificate is self-signed and untrusted, so pass it with sslrootcert',
    retryable: false,
  },
  SELF_SIGNED_CERT_IN_CHAIN: {
    detail: 'the server certificate chain ends in an untrusted CA, so pass it with sslrootcert',
    retryable: false,
  },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
    detail: 'the server certificate is signed by an unknown CA, so pass it with sslrootcert',
    retryable: false,
  },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: {
    detail: 'the server certificate is signed by an unknown CA, so pass it with sslrootcert',
    retryable: false,
  },
  CERT_HAS_EXPIRED: { detail: 'the server certificate has expired', retryable: false },
  CERT_NOT_YET_VALID: { detail: 'the server certificate is not yet valid', retryable: false },
  ERR_TLS_CERT_ALTNAME_INVALID: {
    detail: 'the server certificate does not match the host name',
    retryable: false,
  },
};

// Errors that pg and pg-pool raise without a code, by the start of their message. A longer
// prefix comes before a shorter one that it begins with.
const byDriverMessage: Array<[prefix: string, description: Description]> = [
  [
    'Connection terminated due to connection timeout',
    { detail: 'connecting to the server timed out', retryable: true },
  ],
  ['Connection terminated', { detail: 'the connection closed unexpectedly', retryable: true }],
  ['timeout expired', { detail: 'connecting to the server timed out', retryable: true }],
  [
    'Client has encountered a connection error',
    { detail: 'the connection had already failed', retryable: true },
  ],
  [
    'timeout exceeded when trying to connect',
    { detail: 'no pooled connection became free within the timeout', retryable: true },
  ],
  ['Query read timeout', { detail: 'the server did not reply in time', retryable: true }],
  ['Cannot use a pool after calling end', { detail: 'the pool was closed', retryable: false }],
  ['Client was closed', { detail: 'the connection was closed', retryable: false }],
  [
    'The server does not support SSL connections',
    {
      detail: 'the server does not support SSL, so enable SSL on it or remove sslmode from the URL',
      retryable: false,
    },
  ],
  [
    'There was an error establishing an SSL connection',
    { detail: 'the server rejected the SSL request', retryable: false },
  ],
  [
    'SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be',
    { detail: 'the server requires a password, and none was given', retryable: false },
  ],
  [
    'Password must be a string',
    { detail: 'the server requires a password, and none was given', retryable: false },
  ],
  [
    'SASL: SCRAM-SERVER-FINAL-MESSAGE: server signature does not match',
    { detail: 'the server could not prove that it knows the password (SCRAM)', retryable: false },
  ],
  ['SASL:', { detail: 'SCRAM password authentication failed', retryable: false }],
  [
    'Invalid sslnegotiation value',
    { detail: 'invalid sslnegotiation, expected postgres or direct', retryable: false },
  ],
  [
    'sslnegotiation=direct requires SSL',
    { detail: 'sslnegotiation=direct requires sslmode in the URL', retryable: false },
  ],
];

// File and socket errors whose meaning depends on the system call.
function describeSystemError(code: string, syscall: unknown): Description | undefined {
  if (syscall === 'connect' && code === 'ENOENT') {
    return { detail: 'no server socket exists in the host directory', retryable: true };
  }
  if (syscall === 'connect' && code === 'EACCES') {
    return { detail: 'permission denied on the server socket', retryable: false };
  }
  if (syscall === 'open' && (code === 'ENOENT' || code === 'EACCES')) {
    return {
      detail: 'a certificate or key file (sslrootcert, sslcert, sslkey) could not be read',
      retryable: false,
    };
  }
  return undefined;
}

/**
 * Classifies a pg or pg-pool error. The detail names what failed in words; the server's own
 * message is left out because it can quote values, and the SQLSTATE stays on `cause.code`.
 */
export function classifyPostgresError(error: unknown): BackendFailure {
  if (error instanceof ObjectIdTakenError) {
    return { retryable: false, detail: error.message };
  }

  if (error instanceof DatabaseError) {
    const code = error.code ?? '';
    const known = bySqlState[code] ?? bySqlStateClass[code.slice(0, 2)];
    return known ?? { retryable: false, detail: 'the server reported an error' };
  }

  if (error instanceof Error) {
    const { code, syscall } = error as { code?: unknown; syscall?: unknown };
    if (typeof code === 'string') {
      const known = byNodeCode[code] ?? describeSystemError(code, syscall);
      if (known !== undefined) return known;
    }
    const match = byDriverMessage.find(([prefix]) => error.message.startsWith(prefix));
    if (match !== undefined) return match[1];
  }
  return { retryable: false };
}
