/** One index as the database reports it, including indexes that back a constraint. */
export interface IndexInfo {
  table: string;
  name: string;
  columns: string[];
  unique: boolean;
}

/** The schema of a database at one moment. */
export interface SchemaSnapshot {
  /**
   * Every schema object with its definition as the database prints it, keyed by kind and
   * qualified name, such as `index objects.object_identity`.
   */
  entries: Record<string, string>;
  indexes: IndexInfo[];
}

/** Differences between two snapshots, as entry keys. */
export interface SchemaDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** Compares two snapshots entry by entry. */
export function diffSchemas(before: SchemaSnapshot, after: SchemaSnapshot): SchemaDiff {
  const keys = new Set([...Object.keys(before.entries), ...Object.keys(after.entries)]);
  const diff: SchemaDiff = { added: [], removed: [], changed: [] };
  for (const key of [...keys].sort()) {
    const old = before.entries[key];
    const now = after.entries[key];
    if (old === undefined) diff.added.push(key);
    else if (now === undefined) diff.removed.push(key);
    else if (old !== now) diff.changed.push(`${key}: ${old} -> ${now}`);
  }
  return diff;
}

/**
 * Lists groups of indexes that cover the same columns of one table in the same order with
 * the same uniqueness, such as a separate `object_identity` index next to a constraint of
 * that name. Each group is described as `table(columns): name, name`.
 */
export function duplicateIndexes(snapshot: SchemaSnapshot): string[] {
  const groups = new Map<string, string[]>();
  for (const index of snapshot.indexes) {
    const key = `${index.table}(${index.columns.join(', ')})${index.unique ? ' unique' : ''}`;
    groups.set(key, [...(groups.get(key) ?? []), index.name]);
  }
  return [...groups]
    .filter(([, names]) => names.length > 1)
    .map(([key, names]) => `${key}: ${names.sort().join(', ')}`);
}

/** Keeps the entries and indexes of Buildbot's two state tables. */
export function stateTablesOnly(snapshot: SchemaSnapshot): SchemaSnapshot {
  const isStateTable = (text: string) => /\bobjects\b|\bobject_state\b/.test(text);
  return {
    entries: Object.fromEntries(
      Object.entries(snapshot.entries).filter(([key, value]) => isStateTable(`${key} ${value}`)),
    ),
    indexes: snapshot.indexes.filter((index) => isStateTable(index.table)),
  };
}
