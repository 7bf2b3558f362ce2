/**
 * Values written into query text: every value a user or a log supplied (an SNI, a firewall name, a table
 * name, an S3 location) goes through one of these, so that a hostile value stays one literal and the query
 * stays one statement.
 */

/** Control characters (C0 and DEL): written as `chr(n)` in SQL so that no raw control byte reaches the query. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Lone UTF-16 surrogates cannot be sent as UTF-8; they become U+FFFD, as a JSON reader would make them. */
function wellFormedText(value: string): string {
  return value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/**
 * A SQL string literal with the value of `value`, in the syntax Trino (Athena) and DuckDB share: quotes
 * doubled inside `'...'`, control characters as `chr(n)` joined with `||` (backslashes are plain characters
 * in both). The result is always one expression, parenthesised when it is more than one literal.
 */
export function sqlString(value: string): string {
  const text = wellFormedText(value);
  if (!CONTROL.test(text)) return `'${text.replace(/'/g, "''")}'`;
  const parts: string[] = [];
  let run = '';
  for (const ch of text) {
    if (CONTROL.test(ch)) {
      if (run !== '') (parts.push(`'${run.replace(/'/g, "''")}'`), (run = ''));
      parts.push(`chr(${ch.charCodeAt(0)})`);
    } else run += ch;
  }
  if (run !== '') parts.push(`'${run.replace(/'/g, "''")}'`);
  return `(${parts.join(' || ')})`;
}

/**
 * A string literal for CloudWatch Logs Insights: double quotes, with backslash, quote and control
 * characters escaped by a backslash, so that a `|` or a newline in the value never starts a new command.
 */
export function insightsString(value: string): string {
  const escaped = wellFormedText(value).replace(/[\\"\u0000-\u001f\u007f]/g, (ch) => {
    if (ch === '\\' || ch === '"') return `\\${ch}`;
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `"${escaped}"`;
}

/** Athena's rule for database and table names: lower-case letters, digits and underscores (upper case is folded). */
const NAME = /^[A-Za-z0-9_]{1,255}$/;

/** A table name as `table` or `database.table`, checked; undefined when it is not one Athena accepts. */
export function parseTableName(name: string): { database?: string; table: string } | undefined {
  const parts = name.split('.');
  if (parts.length > 2 || !parts.every((p) => NAME.test(p))) return undefined;
  return parts.length === 2 ? { database: parts[0].toLowerCase(), table: parts[1].toLowerCase() } : { table: parts[0].toLowerCase() };
}

/** The name for DDL (Hive syntax, backticks) and for queries (Trino syntax, double quotes). Both assume a checked name. */
export function ddlTableName(name: { database?: string; table: string }): string {
  return name.database === undefined ? `\`${name.table}\`` : `\`${name.database}\`.\`${name.table}\``;
}

export function sqlTableName(name: { database?: string; table: string }): string {
  return name.database === undefined ? `"${name.table}"` : `"${name.database}"."${name.table}"`;
}

/** Network Firewall's rule for firewall names (CreateFirewall: `^[a-zA-Z0-9-]+$`, 1 to 128 characters). */
export function isFirewallName(name: string): boolean {
  return /^[A-Za-z0-9-]{1,128}$/.test(name);
}
