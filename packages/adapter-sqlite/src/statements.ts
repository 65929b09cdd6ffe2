// The storage primitives as single SQLite statements. SQLite runs one write transaction at a
// time, so an upsert here is the same as "update, or else insert": no create race can be lost
// between the two steps.

export const selectObjectId = 'SELECT id FROM objects WHERE name = ? AND class_name = ?';

export const insertObject =
  'INSERT INTO objects (name, class_name) VALUES (?, ?) ON CONFLICT (name, class_name) DO NOTHING';

export const insertObjectWithId =
  'INSERT INTO objects (id, name, class_name) VALUES (?, ?, ?) ON CONFLICT DO NOTHING';

export const selectObjectExists = 'SELECT 1 FROM objects WHERE id = ?';

export const selectState = 'SELECT value_json FROM object_state WHERE objectid = ? AND name = ?';

// The EXISTS guard makes an unknown object id return no row instead of a foreign-key error.
export const upsertState = `
  INSERT INTO object_state (objectid, name, value_json)
  SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM objects WHERE id = ?1)
  ON CONFLICT (objectid, name) DO UPDATE SET value_json = excluded.value_json
  RETURNING value_json`;

// The no-op update makes RETURNING give the value that was already stored.
export const insertStateIfAbsent = `
  INSERT INTO object_state (objectid, name, value_json)
  SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM objects WHERE id = ?1)
  ON CONFLICT (objectid, name) DO UPDATE SET value_json = object_state.value_json
  RETURNING value_json`;

export const deleteState = 'DELETE FROM object_state WHERE objectid = ? AND name = ?';

export const selectStateOfObject =
  'SELECT name, value_json FROM object_state WHERE objectid = ? ORDER BY name';

export const selectObjects = 'SELECT id, name, class_name FROM objects ORDER BY id';
