import {
  foreignKey,
  integer,
  pgTable,
  serial,
  text,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/pg-core';

/**
 * Buildbot's `objects` table: one row per `(name, class_name)` identity. The names of the
 * table, its columns and its unique index are the ones Buildbot's PostgreSQL schema uses, so
 * a Buildbot master and this adapter can share one database.
 */
export const objects = pgTable(
  'objects',
  {
    id: serial('id').primaryKey(),
    name: varchar('name', { length: 128 }).notNull(),
    className: varchar('class_name', { length: 128 }).notNull(),
  },
  (table) => [uniqueIndex('object_identity').on(table.name, table.className)],
);

/** Buildbot's `object_state` table: one JSON text value per object and state name. */
export const objectState = pgTable(
  'object_state',
  {
    objectId: integer('objectid').notNull(),
    name: varchar('name', { length: 255 }).notNull(),
    // JSON text, never jsonb: jsonb would reorder keys and rewrite numbers and escapes.
    valueJson: text('value_json').notNull(),
  },
  (table) => [
    uniqueIndex('name_per_object').on(table.objectId, table.name),
    foreignKey({
      name: 'object_state_objectid_fkey',
      columns: [table.objectId],
      foreignColumns: [objects.id],
    }).onDelete('cascade'),
  ],
);
