/** Database used when neither the `database` option nor the connection string names one. */
export const DEFAULT_MONGO_DATABASE = 'state_connector';

// Scheme, then the user info and host list (which cannot contain an unescaped `/`), then the
// optional `/database` path before the query string.
const connectionString = /^mongodb(?:\+srv)?:\/\/[^/?#]*(?:\/([^?#]*))?/;

/**
 * Returns the database named in the path of a `mongodb://` or `mongodb+srv://` connection
 * string, or `undefined` when the path is empty or the string is not a connection string.
 */
export function databaseFromUrl(url: string): string | undefined {
  const path = connectionString.exec(url)?.[1];
  if (path === undefined || path === '') return undefined;
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

interface UserInfo {
  /** Everything up to and including `://`. */
  scheme: string;
  user: string;
  password: string | undefined;
  /** Everything after the `@` that ends the user info. */
  rest: string;
}

// The last `@` ends the user info even when a malformed password contains `/` or `@`, so a
// password is never shown, at worst with some of the host hidden too.
function splitUserInfo(url: string): UserInfo | undefined {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd === -1) return undefined;
  const afterScheme = url.slice(schemeEnd + 3);
  const at = afterScheme.lastIndexOf('@');
  if (at === -1) return undefined;

  const userInfo = afterScheme.slice(0, at);
  const colon = userInfo.indexOf(':');
  return {
    scheme: url.slice(0, schemeEnd + 3),
    user: colon === -1 ? userInfo : userInfo.slice(0, colon),
    password: colon === -1 ? undefined : userInfo.slice(colon + 1),
    rest: afterScheme.slice(at + 1),
  };
}

/**
 * Returns the connection string with its password replaced by `****` and without the query
 * string, which may hold credentials too, so that it can appear in messages.
 */
export function redactUrl(url: string): string {
  const parts = splitUserInfo(url);
  const redacted =
    parts?.password === undefined ? url : `${parts.scheme}${parts.user}:****@${parts.rest}`;
  return redacted.split(/[?#]/, 1)[0] ?? '';
}

/**
 * Replaces every occurrence of the connection string's password in `text` with `****`, in
 * its raw and its decoded form.
 */
export function hidePassword(text: string, url: string): string {
  const password = splitUserInfo(url)?.password;
  if (password === undefined || password === '') return text;

  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // A malformed escape leaves only the raw form to hide.
  }
  let hidden = text.split(password).join('****');
  if (decoded !== '') hidden = hidden.split(decoded).join('****');
  return hidden;
}
