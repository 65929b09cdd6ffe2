import { integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

// drizzle-kit generated drizzle/0000_buildbot_state_tables.sql from this file. That SQL was
// then edited to Buildbot 3.7's own DDL (VARCHAR columns, IF NOT EXISTS), so that a database
// created by either side matches Buildbot's model exactly.

/**
 * Buildbot's `objects` table: one row per `(name, class_name)` identity. The varchar widths
 * are declarative in SQLite; core enforces them in code points before any write.
 */
export const objects = sqliteTable(
  'objects',
  {
    id: integer('id').primaryKey(),
    name: text('name', { length: 128 }).notNull(),
    className: text('class_name', { length: 128 }).notNull(),
  },
  (table) => [uniqueIndex('object_identity').on(table.name, table.className)],
);

/** Buildbot's `object_state` table: one JSON text value per object and state name. */
export const objectState = sqliteTable(
  'object_state',
  {
    objectId: integer('objectid')
      .notNull()
      .references(() => objects.id, { onDelete: 'cascade' }),
    name: text('name', { length: 255 }).notNull(),
    valueJson: text('value_json').notNull(),
  },
  (table) => [uniqueIndex('name_per_object').on(table.objectId, table.name)],
);
