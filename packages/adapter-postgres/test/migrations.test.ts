import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStateConnector } from '../dist/index.js';
import { startTestServer, type TestServer } from './server.js';

const adapterModule = new URL('../dist/index.js', import.meta.url).href;

// The tables as Buildbot 3.7.0 creates them on PostgreSQL (`buildbot create-master` with a
// postgresql db_url, then `pg_dump --schema-only -t objects -t object_state`).
const buildbotDdl = [
  `CREATE TABLE public.objects (
     id integer NOT NULL,
     name character varying(128) NOT NULL,
     class_name character varying(128) NOT NULL)`,
  `CREATE SEQUENCE public.objects_id_seq AS integer START WITH 1 INCREMENT BY 1
     NO MINVALUE NO MAXVALUE CACHE 1`,
  'ALTER SEQUENCE public.objects_id_seq OWNED BY public.objects.id',
  `ALTER TABLE ONLY public.objects
     ALTER COLUMN id SET DEFAULT nextval('public.objects_id_seq'::regclass)`,
  'ALTER TABLE ONLY public.objects ADD CONSTRAINT objects_pkey PRIMARY KEY (id)',
  `CREATE TABLE public.object_state (
     objectid integer NOT NULL,
     name character varying(255) NOT NULL,
     value_json text NOT NULL)`,
  'CREATE UNIQUE INDEX name_per_object ON public.object_state USING btree (objectid, name)',
  'CREATE UNIQUE INDEX object_identity ON public.objects USING btree (name, class_name)',
  `ALTER TABLE ONLY public.object_state ADD CONSTRAINT object_state_objectid_fkey
     FOREIGN KEY (objectid) REFERENCES public.objects(id) ON DELETE CASCADE`,
];

// Columns, constraints, indexes and sequences of the two tables in `public`.
const catalogQuery = `
  SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' ||
         coalesce(character_maximum_length::text, '') || ' ' || is_nullable || ' ' ||
         coalesce(column_default, '') AS entry
  FROM information_schema.columns
  WHERE table_schema = 'public' AND table_name IN ('objects', 'object_state')
  UNION ALL
  SELECT 'constraint ' || conname || ' ' || pg_get_constraintdef(oid)
  FROM pg_constraint WHERE conrelid IN ('public.objects'::regclass, 'public.object_state'::regclass)
  UNION ALL
  SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes
  WHERE schemaname = 'public' AND tablename IN ('objects', 'object_state')
  UNION ALL
  SELECT 'sequence ' || sequencename || ' ' || data_type::text FROM pg_sequences
  WHERE schemaname = 'public' AND sequencename = 'objects_id_seq'
  ORDER BY 1`;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer('migrations');
});

afterAll(async () => {
  await server?.stop();
});

async function catalog(url: string): Promise<string[]> {
  const rows = await server.query<{ entry: string }>(url, catalogQuery);
  return rows.map((row) => row.entry);
}

async function journalRows(url: string, schema: string): Promise<number> {
  const rows = await server.query<{ count: number }>(
    url,
    `SELECT count(*)::int AS count FROM ${schema}.__drizzle_migrations`,
  );
  return rows[0]?.count ?? -1;
}

/** Runs `migrate()` in a child process that starts at `startAt` (epoch milliseconds). */
function migrateInProcess(url: string, schema: string, startAt: number): Promise<string> {
  const script = `
    const { createPostgresStateConnector } = await import(${JSON.stringify(adapterModule)});
    const connector = createPostgresStateConnector(${JSON.stringify({ connectionString: url, schema })});
    await new Promise((resolve) => setTimeout(resolve, ${startAt} - Date.now()));
    try {
      await connector.migrate();
      const id = await connector.getObjectId('migrated', 'Migration');
      process.stdout.write('ok ' + id);
    } finally {
      await connector.close();
    }`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`migration process exited with ${code}: ${output}`));
    });
  });
}

describe('concurrent migrations', () => {
  it('processes starting together agree', async () => {
    const url = await server.createDatabase('migrations_processes');
    for (let round = 0; round < 3; round++) {
      const schema = `round_${round}`;
      const startAt = Date.now() + 1500;
      const outputs = await Promise.all(
        Array.from({ length: 4 }, () => migrateInProcess(url, schema, startAt)),
      );

      const ids = new Set(outputs.map((output) => output.trim()));
      expect(ids.size, outputs.join('\n')).toBe(1);
      expect([...ids][0]).toMatch(/^ok \d+$/);
      expect(await journalRows(url, schema)).toBe(1);
    }
  });

  it('connectors in one process agree', async () => {
    const url = await server.createDatabase('migrations_connectors');
    const connectors = Array.from({ length: 6 }, () =>
      createPostgresStateConnector({ connectionString: url, schema: 'shared' }),
    );
    try {
      const ids = await Promise.all(
        connectors.map((connector) => connector.getObjectId('same', 'Migration')),
      );
      expect(new Set(ids).size).toBe(1);
      expect(await journalRows(url, 'shared')).toBe(1);
    } finally {
      await Promise.all(connectors.map((connector) => connector.close()));
    }
  });
});

describe('Buildbot tables', () => {
  it('migrations make the same tables', async () => {
    const buildbotUrl = await server.createDatabase('migrations_buildbot_ddl');
    const migratedUrl = await server.createDatabase('migrations_fresh');
    for (const statement of buildbotDdl) await server.query(buildbotUrl, statement);

    const connector = createPostgresStateConnector({ connectionString: migratedUrl });
    await connector.migrate();
    await connector.close();

    expect(await catalog(migratedUrl)).toEqual(await catalog(buildbotUrl));
  });

  it('existing tables stay unchanged', async () => {
    const url = await server.createDatabase('migrations_buildbot_data');
    for (const statement of buildbotDdl) await server.query(url, statement);
    // A value as Buildbot's DbConfig stores it: Python's JSON spacing and ASCII escapes.
    const inserted = await server.query<{ id: number }>(
      url,
      `INSERT INTO objects (name, class_name) VALUES ('config', 'DbConfig') RETURNING id`,
    );
    const buildbotId = inserted[0]?.id;
    await server.query(
      url,
      `INSERT INTO object_state (objectid, name, value_json) VALUES ($1, 'title', $2)`,
      [buildbotId, '{"text": "h\\u00e9llo", "n": [1, 2, 3]}'],
    );
    const before = await catalog(url);

    const connector = createPostgresStateConnector({ connectionString: url });
    try {
      await connector.migrate();
      expect(await catalog(url)).toEqual(before);

      const objectId = await connector.getObjectId('config', 'DbConfig');
      expect(objectId).toBe(buildbotId);
      expect(await connector.getState(objectId, 'title')).toEqual({ text: 'héllo', n: [1, 2, 3] });
      await expect(connector.setState(objectId, 'title', 'replaced')).resolves.toBe('replaced');
      const other = await connector.getObjectId('new-object', 'Migration');
      expect(other).toBeGreaterThan(objectId);
    } finally {
      await connector.close();
    }
    expect(await journalRows(url, 'public')).toBe(1);
  });
});
