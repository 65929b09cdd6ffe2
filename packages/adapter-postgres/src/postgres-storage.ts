import { createHash } from 'node:crypto';
import type {
  BackendFailure,
  ObjectRecord,
  StateStorage,
  StorageContext,
} from '@state-connector/core';
import type { Pool, QueryResultRow } from 'pg';
import { classifyPostgresError, ObjectIdOutOfRangeError, ObjectIdTakenError } from './errors.js';
import { migratePostgres } from './migrate.js';
import { addPoolErrorHandler, removePoolErrorHandler } from './pool-error-listeners.js';
import {
  buildStatements,
  MAX_OBJECT_ID,
  type PostgresStatements,
  qualifiedTableName,
} from './statements.js';

/** Settings of {@link PostgresStorage}. */
export interface PostgresStorageSettings {
  pool: Pool;
  /** True when the storage created the pool and must end it. */
  ownsPool: boolean;
  /** Schema that contains the tables, created by `migrate()` if missing. */
  schema: string;
  /** Whether the primitives run as named prepared statements. */
  preparedStatements: boolean;
}

/**
 * Names a prepared statement after a hash of its text. pg prepares a name once per
 * connection and rejects one name with two texts, so the text (which contains the schema)
 * must decide the name.
 */
function statementName(text: string): string {
  return `state_connector_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
}

/**
 * The storage primitives on a pg pool. Each primitive is one statement through
 * `pool.query`, which is one round trip on a pooled connection and an implicit transaction
 * of its own. pg-pool discards a connection whose query failed instead of pooling it again.
 */
export class PostgresStorage implements StateStorage {
  readonly backend = 'postgres';
  readonly #pool: Pool;
  readonly #ownsPool: boolean;
  readonly #schema: string;
  readonly #sql: PostgresStatements;
  /** Prepared statement names by statement text; empty when prepared statements are off. */
  readonly #names = new Map<string, string>();
  readonly #onPoolError: (error: Error) => void;

  constructor(settings: PostgresStorageSettings, context: StorageContext) {
    this.#pool = settings.pool;
    this.#ownsPool = settings.ownsPool;
    this.#schema = settings.schema;
    this.#sql = buildStatements(settings.schema);
    if (settings.preparedStatements) {
      for (const text of Object.values(this.#sql)) this.#names.set(text, statementName(text));
    }

    this.#onPoolError = (error) => context.emit({ type: 'pool-error', backend: 'postgres', error });
    addPoolErrorHandler(this.#pool, this.#onPoolError);
  }

  migrate(): Promise<void> {
    return migratePostgres(this.#pool, this.#schema, this.#onPoolError);
  }

  async getOrCreateObjectId(name: string, className: string): Promise<number> {
    const rows = await this.#query<{ id: number }>(this.#sql.getOrCreateObjectId, [
      name,
      className,
    ]);
    const id = rows[0]?.id;
    if (id === undefined) {
      // The statement returns the row it found, inserted or conflicted with; no row at all
      // would mean that the unique index object_identity is missing.
      throw new Error(`no id returned for object ${JSON.stringify([name, className])}`);
    }
    return id;
  }

  async readState(objectId: number, name: string): Promise<string | undefined> {
    if (objectId > MAX_OBJECT_ID) return undefined;
    const rows = await this.#query<{ value_json: string }>(this.#sql.selectState, [objectId, name]);
    return rows[0]?.value_json;
  }

  async objectExists(objectId: number): Promise<boolean> {
    if (objectId > MAX_OBJECT_ID) return false;
    const rows = await this.#query(this.#sql.selectObjectExists, [objectId]);
    return rows.length > 0;
  }

  async writeState(objectId: number, name: string, text: string): Promise<string | undefined> {
    if (objectId > MAX_OBJECT_ID) return undefined;
    const rows = await this.#query<{ value_json: string }>(this.#sql.writeState, [
      objectId,
      name,
      text,
    ]);
    return rows[0]?.value_json;
  }

  async createState(objectId: number, name: string, text: string): Promise<string | undefined> {
    if (objectId > MAX_OBJECT_ID) return undefined;
    const rows = await this.#query<{ value_json: string }>(this.#sql.createState, [
      objectId,
      name,
      text,
    ]);
    return rows[0]?.value_json;
  }

  async deleteState(objectId: number, name: string): Promise<boolean> {
    if (objectId > MAX_OBJECT_ID) return false;
    const result = await this.#run(this.#sql.deleteState, [objectId, name]);
    return (result.rowCount ?? 0) > 0;
  }

  async listState(objectId: number): Promise<Array<[string, string]>> {
    if (objectId > MAX_OBJECT_ID) return [];
    const rows = await this.#query<{ name: string; value_json: string }>(
      this.#sql.selectStateOfObject,
      [objectId],
    );
    return rows.map((row) => [row.name, row.value_json]);
  }

  async listObjects(): Promise<ObjectRecord[]> {
    const rows = await this.#query<{ id: number; name: string; class_name: string }>(
      this.#sql.selectObjects,
      [],
    );
    return rows.map((row) => ({ id: row.id, name: row.name, className: row.class_name }));
  }

  async importObject(record: ObjectRecord): Promise<number> {
    if (record.id > MAX_OBJECT_ID) throw new ObjectIdOutOfRangeError(record.id, MAX_OBJECT_ID);
    const inserted = await this.#query<{ id: number }>(this.#sql.insertObjectWithId, [
      record.id,
      record.name,
      record.className,
    ]);
    if (inserted.length > 0) {
      // NOTE: setval is not transactional. If getObjectId creates objects while an import
      // runs, one of them can draw an imported id and fail once on the primary key.
      await this.#query(this.#sql.advanceObjectIdSequence, [
        record.id,
        qualifiedTableName(this.#schema, 'objects'),
      ]);
      return record.id;
    }

    // Nothing was inserted: the identity or the id exists. This second statement has a new
    // snapshot, so it also sees an identity that a concurrent import has just committed.
    const found = await this.#query<{ id: number }>(this.#sql.selectObjectId, [
      record.name,
      record.className,
    ]);
    const id = found[0]?.id;
    if (id === undefined) throw new ObjectIdTakenError(record.id);
    return id;
  }

  classifyError(error: unknown): BackendFailure {
    return classifyPostgresError(error);
  }

  async close(): Promise<void> {
    if (this.#ownsPool) {
      // pg-pool's end() resolves before its connections have closed. A server error that
      // arrives in between, such as a terminated backend, is still emitted as 'error' on the
      // pool, and an unheard 'error' event would crash the process. No caller needs it
      // any more, so a pool of ours keeps a listener that drops it.
      this.#pool.on('error', ignoreErrorAfterClose);
      await this.#pool.end();
    }
    removePoolErrorHandler(this.#pool, this.#onPoolError);
  }

  async #query<Row extends QueryResultRow>(text: string, values: unknown[]): Promise<Row[]> {
    const result = await this.#run<Row>(text, values);
    return result.rows;
  }

  #run<Row extends QueryResultRow>(text: string, values: unknown[]) {
    const name = this.#names.get(text);
    if (name === undefined) return this.#pool.query<Row>(text, values);
    return this.#pool.query<Row>({ name, text, values });
  }
}

function ignoreErrorAfterClose(): void {}
