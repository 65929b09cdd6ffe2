import { setTimeout as sleep } from 'node:timers/promises';
import { type Client, type InArgs, LibsqlError } from '@libsql/client';
import type {
  BackendFailure,
  ObjectRecord,
  StateStorage,
  StorageContext,
} from '@state-connector/core';
import { classifySqliteError, isLockConflict } from './errors.js';
import { migrateSqlite } from './migrate.js';
import * as sql from './statements.js';

/** Settings of {@link SqliteStorage}. */
export interface SqliteStorageSettings {
  client: Client;
  /** True when the storage opened the client and must close it. */
  ownsClient: boolean;
  /**
   * True when the storage may reopen the client's connections after a lock conflict: it
   * owns the client, and the client opened a file (an in-memory database would be lost).
   */
  reopenAfterLockConflict: boolean;
  /** Further attempts after a lock conflict that outlasted the busy timeout. */
  maxRetries: number;
}

/** The storage primitives on one libSQL client. */
export class SqliteStorage implements StateStorage {
  readonly backend = 'sqlite';
  readonly #client: Client;
  readonly #ownsClient: boolean;
  readonly #reopenAfterLockConflict: boolean;
  readonly #maxRetries: number;
  readonly #context: StorageContext;
  #closed = false;

  constructor(settings: SqliteStorageSettings, context: StorageContext) {
    this.#client = settings.client;
    this.#ownsClient = settings.ownsClient;
    this.#reopenAfterLockConflict = settings.reopenAfterLockConflict;
    this.#maxRetries = settings.maxRetries;
    this.#context = context;
  }

  migrate(): Promise<void> {
    return this.#retry('migrate', () => migrateSqlite(this.#client));
  }

  async getOrCreateObjectId(name: string, className: string): Promise<number> {
    const found = await this.#query('getObjectId', sql.selectObjectId, [name, className]);
    const existing = found[0]?.['id'];
    if (existing !== undefined) return Number(existing);

    // A write batch runs in one BEGIN IMMEDIATE transaction, so the insert and the re-read
    // see the same committed state and the re-read always finds the row.
    const results = await this.#retry('getObjectId', () =>
      this.#client.batch(
        [
          { sql: sql.insertObject, args: [name, className] },
          { sql: sql.selectObjectId, args: [name, className] },
        ],
        'write',
      ),
    );
    return Number(results[1]?.rows[0]?.['id']);
  }

  async readState(objectId: number, name: string): Promise<string | undefined> {
    const rows = await this.#query('getState', sql.selectState, [objectId, name]);
    return rows[0]?.['value_json'] as string | undefined;
  }

  async objectExists(objectId: number): Promise<boolean> {
    const rows = await this.#query('objectExists', sql.selectObjectExists, [objectId]);
    return rows.length > 0;
  }

  async writeState(objectId: number, name: string, text: string): Promise<string | undefined> {
    const rows = await this.#query('setState', sql.upsertState, [objectId, name, text]);
    return rows[0]?.['value_json'] as string | undefined;
  }

  async createState(objectId: number, name: string, text: string): Promise<string | undefined> {
    const rows = await this.#query('atomicCreateState', sql.insertStateIfAbsent, [
      objectId,
      name,
      text,
    ]);
    return rows[0]?.['value_json'] as string | undefined;
  }

  async deleteState(objectId: number, name: string): Promise<boolean> {
    const result = await this.#retry('deleteState', () =>
      this.#client.execute({ sql: sql.deleteState, args: [objectId, name] }),
    );
    return result.rowsAffected > 0;
  }

  async listState(objectId: number): Promise<Array<[string, string]>> {
    const rows = await this.#query('listState', sql.selectStateOfObject, [objectId]);
    return rows.map((row) => [String(row['name']), String(row['value_json'])]);
  }

  async listObjects(): Promise<ObjectRecord[]> {
    const rows = await this.#query('listObjects', sql.selectObjects, []);
    return rows.map((row) => ({
      id: Number(row['id']),
      name: String(row['name']),
      className: String(row['class_name']),
    }));
  }

  async importObject(record: ObjectRecord): Promise<number> {
    const results = await this.#retry('importObject', () =>
      this.#client.batch(
        [
          { sql: sql.insertObjectWithId, args: [record.id, record.name, record.className] },
          { sql: sql.selectObjectId, args: [record.name, record.className] },
        ],
        'write',
      ),
    );
    const id = results[1]?.rows[0]?.['id'];
    if (id === undefined) {
      throw new Error(`object id ${record.id} is already used by another identity`);
    }
    return Number(id);
  }

  classifyError(error: unknown): BackendFailure {
    return classifySqliteError(error);
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#ownsClient) this.#client.close();
  }

  async #query(operation: string, statement: string, args: InArgs) {
    const result = await this.#retry(operation, () =>
      this.#client.execute({ sql: statement, args }),
    );
    return result.rows;
  }

  // A statement that failed with SQLITE_BUSY stays active inside the `libsql` 0.5 driver until it is
  // garbage collected. A later write on that connection then stays in an open transaction
  // that never commits, although the call succeeds. Reopening the client's connections drops
  // the stuck statement with its connection.
  // NOTE: a client that the caller passed in is not reopened, so it keeps this hazard.
  #discardConnections(): void {
    if (this.#reopenAfterLockConflict && !this.#closed) this.#client.reconnect();
  }

  // Reopening the connections fails the calls that had borrowed one with CLIENT_CLOSED; they
  // ran nothing yet, so they are retried like a lock conflict.
  #isRetryable(error: unknown): boolean {
    if (isLockConflict(error)) return true;
    return (
      this.#reopenAfterLockConflict &&
      !this.#closed &&
      error instanceof LibsqlError &&
      error.code === 'CLIENT_CLOSED'
    );
  }

  // Each primitive is one statement or one batch, which SQLite rolls back whole on a lock
  // conflict, so trying it again cannot apply it twice.
  async #retry<T>(operation: string, action: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await action();
      } catch (error) {
        if (isLockConflict(error)) this.#discardConnections();
        if (!this.#isRetryable(error) || attempt > this.#maxRetries) throw error;
        const delayMs = Math.min(1000, 10 * 2 ** attempt) * (0.5 + Math.random());
        this.#context.emit({
          type: 'retry',
          backend: this.backend,
          operation,
          attempt,
          delayMs,
          error,
        });
        await sleep(delayMs);
      }
    }
  }
}
