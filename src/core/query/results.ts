/**
 * Rows of a query's result, as the services return them (every value a string or null; DuckDB gives typed
 * values, which read the same), turned into what the views take: summary rows, and TLS log lines.
 */
import type { SniSummaryRow } from '../sni/types';

/** One result row by column name. */
export type ResultRow = Readonly<Record<string, unknown>>;

function count(value: unknown): number {
  const n =
    typeof value === 'bigint'
      ? Number(value)
      : typeof value === 'number'
        ? value
        : typeof value === 'string' && /^\d+$/.test(value)
          ? Number(value)
          : 0;
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

function text(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : String(value);
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === 1 || value === '1';
}

/** A summary result's rows (`sni`, `entries`, `tls_errors`, `revoked`, `unknown`) as the SNI view's rows. */
export function summaryRows(rows: readonly ResultRow[]): SniSummaryRow[] {
  return rows.map((r) => ({
    sni: text(r.sni) ?? null,
    entries: count(r.entries),
    tlsErrors: count(r.tls_errors),
    revoked: count(r.revoked),
    unknown: count(r.unknown),
  }));
}

/**
 * An Athena `entries` row as the TLS log line it was read from, with the fields in the order AWS writes
 * them (docs/FORMAT.md): fields that were absent stay absent, so the line's diagnostics are its own.
 */
export function entryLineFromRow(row: ResultRow): string {
  const event: Record<string, unknown> = {};
  for (const key of ['timestamp', 'src_ip', 'src_port', 'dest_ip', 'dest_port', 'sni']) {
    const v = text(row[key]);
    if (v !== undefined) event[key] = v;
  }
  if (truthy(row.has_tls_error)) {
    const message = text(row.error_message);
    event.tls_error = message === undefined ? {} : { error_message: message };
  } else if (truthy(row.has_revocation_check)) {
    const check: Record<string, string> = {};
    for (const key of ['leaf_cert_fpr', 'status', 'action']) {
      const v = text(row[key]);
      if (v !== undefined) check[key] = v;
    }
    event.revocation_check = check;
  }
  const entry: Record<string, unknown> = {};
  const firewall = text(row.firewall_name);
  if (firewall !== undefined) entry.firewall_name = firewall;
  const zone = text(row.availability_zone);
  if (zone !== undefined) entry.availability_zone = zone;
  const seconds = text(row.event_timestamp);
  if (seconds !== undefined && /^\d{1,15}$/.test(seconds)) entry.event_timestamp = Number(seconds);
  entry.event = event;
  return JSON.stringify(entry);
}

/** Rows beyond `limit` were asked for only to tell whether the result was cut: drop them and say so. */
export function cutAtLimit<T>(rows: readonly T[], limit: number): { rows: T[]; cut: boolean } {
  return rows.length > limit ? { rows: rows.slice(0, limit), cut: true } : { rows: [...rows], cut: false };
}
