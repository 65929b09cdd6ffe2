import type { Client } from '@libsql/client';
import type { Subject } from '../subject.js';

/** The statements of the SQLite adapter, as its `dist/statements.js` exports them. */
export interface SqliteStatements {
  selectObjectId: string;
  insertObject: string;
  selectObjectExists: string;
  selectState: string;
  upsertState: string;
  insertStateIfAbsent: string;
}

/**
 * Loads the adapter's own statement texts, so the raw baseline runs exactly what the adapter
 * runs. The module is internal to the adapter, so it is found next to the package's entry.
 */
export async function loadSqliteStatements(): Promise<SqliteStatements> {
  const entry = import.meta.resolve('@state-connector/adapter-sqlite');
  return (await import(new URL('./statements.js', entry).href)) as SqliteStatements;
}

function parseValue(text: unknown): unknown {
  return JSON.parse(String(text));
}

/**
 * Runs the adapter's statements on a libSQL client with no library around them: the same
 * statement per call as the adapter's primitives, `JSON.stringify` and `JSON.parse` for the
 * value, and a `Map` in front of the object-id lookup.
 */
export function rawSqliteSubject(client: Client, sql: SqliteStatements): Subject {
  const objectIds = new Map<string, number>();

  const lookUpObjectId = async (name: string, className: string): Promise<number> => {
    const found = await client.execute({ sql: sql.selectObjectId, args: [name, className] });
    const existing = found.rows[0]?.['id'];
    if (existing !== undefined) return Number(existing);

    const results = await client.batch(
      [
        { sql: sql.insertObject, args: [name, className] },
        { sql: sql.selectObjectId, args: [name, className] },
      ],
      'write',
    );
    return Number(results[1]?.rows[0]?.['id']);
  };

  return {
    kind: 'raw',
    async getState(objectId, name) {
      const result = await client.execute({ sql: sql.selectState, args: [objectId, name] });
      const text = result.rows[0]?.['value_json'];
      return text === undefined ? undefined : parseValue(text);
    },
    async setState(objectId, name, value) {
      const text = JSON.stringify(value);
      const result = await client.execute({
        sql: sql.upsertState,
        args: [objectId, name, text],
      });
      const stored = result.rows[0]?.['value_json'];
      if (stored === undefined) throw new Error(`raw: object ${objectId} does not exist.`);
      return parseValue(stored);
    },
    async atomicCreateState(objectId, name, value) {
      const found = await client.execute({ sql: sql.selectState, args: [objectId, name] });
      const existing = found.rows[0]?.['value_json'];
      if (existing !== undefined) return parseValue(existing);

      // The insert returns no row for an unknown object, so the floor needs no separate check.
      const result = await client.execute({
        sql: sql.insertStateIfAbsent,
        args: [objectId, name, JSON.stringify(value)],
      });
      return parseValue(result.rows[0]?.['value_json']);
    },
    getObjectId(name, className) {
      const key = `${name}\u0000${className}`;
      const cached = objectIds.get(key);
      if (cached !== undefined) return cached;
      return lookUpObjectId(name, className).then((id) => {
        objectIds.set(key, id);
        return id;
      });
    },
  };
}
