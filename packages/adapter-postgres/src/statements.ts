import { escapeIdentifier } from 'pg';

/**
 * Largest id that Buildbot's `objects.id` (a PostgreSQL `integer`) can hold. A larger object
 * id cannot exist, so the primitives treat it as unknown without a round trip.
 */
export const MAX_OBJECT_ID = 2_147_483_647;

/** The storage primitives as single SQL statements on the tables of one schema. */
export interface PostgresStatements {
  getOrCreateObjectId: string;
  selectObjectId: string;
  selectObjectExists: string;
  selectState: string;
  writeState: string;
  createState: string;
  deleteState: string;
  selectStateOfObject: string;
  selectObjects: string;
  insertObjectWithId: string;
  advanceObjectIdSequence: string;
}

/**
 * Builds the statements for the tables in `schema`, whose name is quoted as an identifier.
 *
 * Every statement runs on its own, in PostgreSQL's default READ COMMITTED isolation. The
 * create races rely on one property of `INSERT ... ON CONFLICT DO UPDATE` in that mode: when
 * the conflicting row was committed by a transaction that the statement's snapshot cannot
 * see, the statement waits for it, then locks and updates that row and returns it. A no-op
 * update (`SET column = table.column`) therefore returns the winner's row instead of
 * nothing, which `DO NOTHING` would return.
 */
export function buildStatements(schema: string): PostgresStatements {
  const quotedSchema = escapeIdentifier(schema);
  const objects = `${quotedSchema}.objects`;
  const objectState = `${quotedSchema}.object_state`;

  return {
    // Reads the row first, so that the steady state (the object exists) writes nothing; only
    // a missing or racing identity reaches the insert.
    getOrCreateObjectId: `
      WITH found AS (
        SELECT id FROM ${objects} WHERE name = $1::text AND class_name = $2::text
      ), inserted AS (
        INSERT INTO ${objects} AS o (name, class_name)
        SELECT $1::text, $2::text WHERE NOT EXISTS (SELECT 1 FROM found)
        ON CONFLICT (name, class_name) DO UPDATE SET name = o.name
        RETURNING id
      )
      SELECT id FROM found UNION ALL SELECT id FROM inserted`,

    selectObjectId: `SELECT id FROM ${objects} WHERE name = $1::text AND class_name = $2::text`,

    selectObjectExists: `SELECT 1 FROM ${objects} WHERE id = $1::integer`,

    selectState: `
      SELECT value_json FROM ${objectState} WHERE objectid = $1::integer AND name = $2::text`,

    // Overwrites an existing value, or else inserts. An unknown object id returns no row, and
    // an insert that loses to a concurrent one returns the winner's value.
    writeState: `
      WITH updated AS (
        UPDATE ${objectState} SET value_json = $3::text
        WHERE objectid = $1::integer AND name = $2::text
        RETURNING value_json
      ), inserted AS (
        INSERT INTO ${objectState} AS s (objectid, name, value_json)
        SELECT $1::integer, $2::text, $3::text
        WHERE NOT EXISTS (SELECT 1 FROM updated)
          AND EXISTS (SELECT 1 FROM ${objects} WHERE id = $1::integer)
        ON CONFLICT (objectid, name) DO UPDATE SET value_json = s.value_json
        RETURNING value_json
      )
      SELECT value_json FROM updated UNION ALL SELECT value_json FROM inserted`,

    // Inserts if absent and returns the stored value, this call's or an earlier writer's.
    createState: `
      INSERT INTO ${objectState} AS s (objectid, name, value_json)
      SELECT $1::integer, $2::text, $3::text
      WHERE EXISTS (SELECT 1 FROM ${objects} WHERE id = $1::integer)
      ON CONFLICT (objectid, name) DO UPDATE SET value_json = s.value_json
      RETURNING value_json`,

    deleteState: `DELETE FROM ${objectState} WHERE objectid = $1::integer AND name = $2::text`,

    // COLLATE "C" orders by code point, whatever the database's collation, as SQLite does.
    selectStateOfObject: `
      SELECT name, value_json FROM ${objectState}
      WHERE objectid = $1::integer ORDER BY name COLLATE "C"`,

    selectObjects: `SELECT id, name, class_name FROM ${objects} ORDER BY id`,

    insertObjectWithId: `
      INSERT INTO ${objects} (id, name, class_name) VALUES ($1::integer, $2::text, $3::text)
      ON CONFLICT DO NOTHING
      RETURNING id`,

    // An id inserted explicitly does not advance the serial sequence. Without this step, a
    // later getOrCreateObjectId could draw that id again and fail on the primary key.
    advanceObjectIdSequence: `
      SELECT setval(serial.sequence, $1::integer)
      FROM (SELECT pg_get_serial_sequence($2::text, 'id')::regclass AS sequence) AS serial
      WHERE $1::integer > coalesce(pg_sequence_last_value(serial.sequence), 0)`,
  };
}

/** Returns the schema-qualified, quoted name of a table, as `pg_get_serial_sequence` takes it. */
export function qualifiedTableName(schema: string, table: string): string {
  return `${escapeIdentifier(schema)}.${escapeIdentifier(table)}`;
}
