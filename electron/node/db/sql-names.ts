// SQL identifiers quoted per dialect. Only names read back from the database's own catalog are ever quoted into SQL,
// so a name from the command line that is not a real table or column never reaches a statement.
import type { DatabaseDialect } from '../../../shared/formats/database-url.js';

export function quoteIdent(dialect: DatabaseDialect, name: string): string {
  return dialect === 'mysql' ? `\`${name.replace(/`/g, '``')}\`` : `"${name.replace(/"/g, '""')}"`;
}

export function quoteTable(dialect: DatabaseDialect, schema: string, table: string): string {
  return `${quoteIdent(dialect, schema)}.${quoteIdent(dialect, table)}`;
}

/** Escapes a literal for SQL LIKE so a name is matched as it is (tenant_1 must not match tenantX1). */
export function likeLiteral(name: string): string {
  return name.replace(/[\\%_]/g, (c) => `\\${c}`);
}
