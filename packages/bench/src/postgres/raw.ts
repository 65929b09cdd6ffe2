import { createHash } from 'node:crypto';
import type { Pool, QueryResultRow } from 'pg';
import type { Subject } from '../subject.js';

/** The statements of the PostgreSQL adapter for one schema, as its `dist/statements.js` builds them. */
export interface PostgresStatements {
  getOrCreateObjectId: string;
  selectObjectExists: string;
  selectState: string;
  writeState: string;
  createState: string;
}

/**
 * Loads the adapter's own statement builder, so the raw baseline runs exactly what the
 * adapter runs. The module is internal to the adapter, so it is found next to its entry.
 */
export async function loadPostgresStatements(schema: string): Promise<PostgresStatements> {
  const entry = import.meta.resolve('@state-connector/adapter-postgres');
  const module = (await import(new URL('./statements.js', entry).href)) as {
    buildStatements(schema: string): PostgresStatements;
  };
  return module.buildStatements(schema);
}

interface ValueRow {
  value_json: string;
}

/**
 * Runs the adapter's statements on a pg pool with no library around them: one statement per
 * call as in the adapter's primitives, `JSON.stringify` and `JSON.parse` for the value, and a
 * `Map` in front of the object-id lookup.
 */
export function rawPostgresSubject(pool: Pool, sql: PostgresStatements): Subject {
  const objectIds = new Map<string, number>();
  const names = new Map<string, string>();

  // Named prepared statements, as the adapter runs them by default, so that neither side
  // pays PostgreSQL's planning on every call.
  const query = <Row extends QueryResultRow>(text: string, values: unknown[]) => {
    let name = names.get(text);
    if (name === undefined) {
      name = `raw_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
      names.set(text, name);
    }
    return pool.query<Row>({ name, text, values });
  };

  const lookUpObjectId = async (name: string, className: string): Promise<number> => {
    const result = await query<{ id: number }>(sql.getOrCreateObjectId, [name, className]);
    const id = result.rows[0]?.id;
    if (id === undefined) throw new Error(`raw: no id returned for object ${name}.`);
    return id;
  };

  return {
    kind: 'raw',
    async getState(objectId, name) {
      const result = await query<ValueRow>(sql.selectState, [objectId, name]);
      const text = result.rows[0]?.value_json;
      return text === undefined ? undefined : JSON.parse(text);
    },
    async setState(objectId, name, value) {
      const text = JSON.stringify(value);
      const result = await query<ValueRow>(sql.writeState, [objectId, name, text]);
      const stored = result.rows[0]?.value_json;
      if (stored === undefined) throw new Error(`raw: object ${objectId} does not exist.`);
      return JSON.parse(stored);
    },
    async atomicCreateState(objectId, name, value) {
      const found = await query<ValueRow>(sql.selectState, [objectId, name]);
      const existing = found.rows[0]?.value_json;
      if (existing !== undefined) return JSON.parse(existing);

      // The insert returns no row for an unknown object, so the floor needs no separate check.
      const text = JSON.stringify(value);
      const result = await query<ValueRow>(sql.createState, [objectId, name, text]);
      const stored = result.rows[0]?.value_json;
      if (stored === undefined) throw new Error(`raw: object ${objectId} does not exist.`);
      return JSON.parse(stored);
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
