// Which tables a job covers (one schema, or every schema matching tenant_%) and which key it pages by, checked against
// the catalog before anything is read: token columns that exist and can hold text or bytes, a usable unique key.
import { KeyturnError } from '../../../../shared/domain/errors.js';
import type { PiiStore, TableInfo, TableRef } from '../pii-store.js';
import { likeLiteral } from '../sql-names.js';

export interface TableSelection {
  table: string;
  columns: string[];
  pk?: string[];
  schema?: string;
}

export interface ResolvedTables {
  refs: TableRef[];
  key: string[];
  /** Schemas the pattern matched that lack the table (named in a note, not an error). */
  skipped: string[];
}

/**
 * A schema argument as a LIKE pattern: % matches any run of characters; everything else, _ included, is literal, since
 * people write tenant_% meaning "tenant_ then anything", not "tenant, any character, then anything".
 */
export function schemaPattern(schema: string): string {
  return schema.split('%').map(likeLiteral).join('%');
}

export async function resolveTables(store: PiiStore, selection: TableSelection): Promise<ResolvedTables> {
  const schemas = selection.schema ? await store.schemas(schemaPattern(selection.schema)) : [await store.defaultSchema()];
  if (schemas.length === 0) throw new KeyturnError('not-found', `No schema on ${store.description} matches --schema ${selection.schema}.`);
  const refs: TableRef[] = [];
  const skipped: string[] = [];
  for (const schema of schemas) {
    if ((await store.tables(schema)).includes(selection.table)) refs.push({ schema, table: selection.table });
    else skipped.push(schema);
  }
  if (refs.length === 0) {
    const where = schemas.length === 1 ? `schema ${schemas[0]}` : `any of the ${schemas.length} schemas matching ${selection.schema}`;
    throw new KeyturnError('not-found', `There is no table ${selection.table} in ${where} on ${store.description}.`);
  }
  let key: string[] | null = null;
  for (const ref of refs) {
    const info = await store.describe(ref);
    checkColumns(info, selection.columns);
    const k = keyFor(info, selection.pk);
    if (selection.columns.some((c) => k.includes(c)))
      throw new KeyturnError('invalid-input', `A token column cannot also be the key columns (${k.join(', ')}).`);
    if (key && key.join('\u0000') !== k.join('\u0000'))
      throw new KeyturnError(
        'invalid-input',
        `Table ${selection.table} has a different key in schema ${ref.schema} (${k.join(', ')}) than in ${refs[0]!.schema} (${key.join(', ')}); run one job per schema.`,
      );
    key = k;
  }
  return { refs, key: key!, skipped };
}

function checkColumns(info: TableInfo, columns: string[]): void {
  if (new Set(columns).size !== columns.length) throw new KeyturnError('invalid-input', '--columns names a column twice.');
  for (const name of columns) {
    const column = info.columns.find((c) => c.name === name);
    if (!column) throw new KeyturnError('not-found', `Table ${info.schema}.${info.table} has no column ${name}.`);
    if (column.kind === 'other')
      throw new KeyturnError(
        'invalid-input',
        `Column ${name} of ${info.table} is ${column.type}: Fernet tokens live in text, varchar, bytea or BLOB columns.`,
      );
  }
}

function keyFor(info: TableInfo, pk: string[] | undefined): string[] {
  const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((n, i) => n === b[i]);
  const candidates = info.uniqueKeys.map((k) => k.join(', ')).join('; ');
  if (pk) {
    for (const name of pk)
      if (!info.columns.some((c) => c.name === name))
        throw new KeyturnError('not-found', `Table ${info.table} has no column ${name} (given with --pk).`);
    if ((info.primaryKey && same(info.primaryKey, pk)) || info.uniqueKeys.some((k) => same(k, pk))) return pk;
    throw new KeyturnError(
      'db-no-key',
      `--pk ${pk.join(',')} is not a unique key of ${info.table}: paging needs columns with a unique index and no NULLs${candidates ? ` (this table has: ${candidates})` : ''}.`,
    );
  }
  if (info.primaryKey) return info.primaryKey;
  throw new KeyturnError(
    'db-no-key',
    `Table ${info.schema}.${info.table} has no primary key, so Keyturn cannot page through it without missing or repeating rows. Name a column with a unique index and no NULLs with --pk${candidates ? ` (candidates: ${candidates})` : ''}.`,
  );
}
