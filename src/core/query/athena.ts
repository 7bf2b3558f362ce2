/**
 * Query text for Amazon Athena over the S3 delivery of Network Firewall TLS logs: the table (JSON SerDe,
 * partition projection over `AWSLogs/<account>/network-firewall/tls/<region>/<firewall>/<YYYY>/<MM>/<DD>/<HH>/`,
 * docs/FORMAT.md "Where files come from") and the questions the SNI view asks of local files. The SQL keeps to
 * what Trino and DuckDB share (`count_if`, struct field access), so the unit tests run it on DuckDB.
 */
import { isFirewallName, parseTableName, ddlTableName, sqlString, sqlTableName } from './literals';
import { QueryInputError, timeBounds, type QueryKind, type TimeBounds } from './common';

/** Partition columns, in the order of the S3 folders. `day` is `yyyy/MM/dd`, `hour` is `HH` (both UTC). */
export const PARTITION_COLUMNS = ['firewall', 'day', 'hour'] as const;

/**
 * The table's columns: the envelope and `event` with every documented field (docs/FORMAT.md "Fields").
 * Ports are strings, as TLS logs write them; `event_timestamp` is epoch seconds.
 */
export const EVENT_STRUCT =
  'struct<timestamp:string,src_ip:string,src_port:string,dest_ip:string,dest_port:string,sni:string,' +
  'tls_error:struct<error_message:string>,revocation_check:struct<leaf_cert_fpr:string,status:string,action:string>>';

/** `s3://bucket/[prefix/]AWSLogs/<account>/network-firewall/tls/<region>/`: the folder the table reads. */
const LOCATION =
  /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/(?:[^\s'"\\`\u0000-\u001f\u007f]+\/)?AWSLogs\/\d{12}\/network-firewall\/tls\/[a-z]{2}(?:-[a-z]+)+-\d\/?$/;

export interface AthenaDdlOptions {
  /** `table` or `database.table`. */
  readonly table: string;
  /** `s3://<bucket>/[<prefix>/]AWSLogs/<account>/network-firewall/tls/<region>/`. */
  readonly location: string;
  /** The firewalls whose folders are read; without them the `firewall` partition is injected (every query names one). */
  readonly firewalls?: readonly string[];
  /** The first day of logs, `YYYY/MM/DD`; by default a year back from the day of the query. */
  readonly since?: string;
}

/** `CREATE EXTERNAL TABLE` for the TLS logs under `location`, with partition projection (no crawler, no `MSCK REPAIR`). */
export function athenaDdl(options: AthenaDdlOptions): string {
  const table = parseTableName(options.table);
  if (table === undefined)
    throw new QueryInputError(`"${options.table}" is not a table name Athena accepts (letters, digits and _, as table or database.table)`);
  if (!LOCATION.test(options.location)) {
    throw new QueryInputError(
      `the location must be s3://<bucket>/[<prefix>/]AWSLogs/<account>/network-firewall/tls/<region>/, not "${options.location}"`,
    );
  }
  const location = options.location.endsWith('/') ? options.location : `${options.location}/`;
  const firewalls = options.firewalls ?? [];
  for (const f of firewalls) if (!isFirewallName(f)) throw new QueryInputError(`"${f}" is not a firewall name (letters, digits and -)`);
  if (options.since !== undefined && !/^\d{4}\/\d{2}\/\d{2}$/.test(options.since))
    throw new QueryInputError(`--since takes YYYY/MM/DD, not "${options.since}"`);
  const firewallProjection =
    firewalls.length > 0
      ? [`'projection.firewall.type' = 'enum'`, `'projection.firewall.values' = '${firewalls.join(',')}'`]
      : [`'projection.firewall.type' = 'injected'`];
  return [
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${ddlTableName(table)} (`,
    '  `firewall_name` string,',
    '  `availability_zone` string,',
    '  `event_timestamp` bigint,',
    `  \`event\` ${EVENT_STRUCT}`,
    ')',
    'PARTITIONED BY (`firewall` string, `day` string, `hour` string)',
    "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'",
    "WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true')",
    `LOCATION '${location}'`,
    'TBLPROPERTIES (',
    [
      `'projection.enabled' = 'true'`,
      ...firewallProjection,
      `'projection.day.type' = 'date'`,
      `'projection.day.format' = 'yyyy/MM/dd'`,
      `'projection.day.range' = '${options.since ?? 'NOW-1YEARS'},NOW'`,
      `'projection.day.interval' = '1'`,
      `'projection.day.interval.unit' = 'DAYS'`,
      `'projection.hour.type' = 'integer'`,
      `'projection.hour.range' = '0,23'`,
      `'projection.hour.digits' = '2'`,
      `'storage.location.template' = '${location}\${firewall}/\${day}/\${hour}/'`,
    ]
      .map((p) => `  ${p}`)
      .join(',\n'),
    ')',
  ].join('\n');
}

export interface AthenaQueryOptions {
  readonly table: string;
  readonly kind: QueryKind;
  readonly sni?: string;
  /** ISO 8601; entries at or after it. */
  readonly from?: string;
  /** ISO 8601; entries before it. */
  readonly to?: string;
  readonly firewall?: string;
  /** Rows to return; for `entries` one more is asked for, to tell a result cut at the limit. */
  readonly limit?: number;
}

/** The default number of entries fetched. */
export const DEFAULT_ENTRY_LIMIT = 1000;

/**
 * The counts of the SNI view per SNI (`summary`: `sni`, `entries`, `tls_errors`, `revoked`, `unknown`, by the
 * rule of `kindIndexOf`: an entry with `tls_error` is a TLS error whatever else it has), or the entries
 * themselves, newest first (`entries`: one column per field, see {@link entryLineFromRow}).
 */
export function athenaQuery(options: AthenaQueryOptions): string {
  const table = parseTableName(options.table);
  if (table === undefined)
    throw new QueryInputError(`"${options.table}" is not a table name Athena accepts (letters, digits and _, as table or database.table)`);
  const where = [
    '(event.tls_error IS NOT NULL OR event.revocation_check IS NOT NULL)',
    ...partitionAndTime(timeBounds(options.from, options.to)),
  ];
  if (options.firewall !== undefined) where.push(`"firewall" = ${sqlString(options.firewall)}`);
  if (options.sni !== undefined) where.push(`event.sni = ${sqlString(options.sni)}`);
  const limit = checkedLimit(options.limit);
  const whereText = `WHERE ${where.join('\n  AND ')}`;
  if (options.kind === 'summary') {
    return [
      'SELECT event.sni AS sni,',
      '  count(*) AS entries,',
      '  count_if(event.tls_error IS NOT NULL) AS tls_errors,',
      `  count_if(event.tls_error IS NULL AND event.revocation_check.status = 'REVOKED') AS revoked,`,
      `  count_if(event.tls_error IS NULL AND event.revocation_check.status = 'UNKNOWN') AS unknown`,
      `FROM ${sqlTableName(table)}`,
      whereText,
      'GROUP BY event.sni',
      'ORDER BY entries DESC, sni',
      ...(limit === undefined ? [] : [`LIMIT ${limit}`]),
    ].join('\n');
  }
  return [
    'SELECT firewall_name, availability_zone, event_timestamp,',
    '  event."timestamp" AS "timestamp", event.src_ip AS src_ip, event.src_port AS src_port,',
    '  event.dest_ip AS dest_ip, event.dest_port AS dest_port, event.sni AS sni,',
    '  event.tls_error IS NOT NULL AS has_tls_error, event.tls_error.error_message AS error_message,',
    '  event.revocation_check IS NOT NULL AS has_revocation_check, event.revocation_check.leaf_cert_fpr AS leaf_cert_fpr,',
    '  event.revocation_check.status AS status, event.revocation_check.action AS action',
    `FROM ${sqlTableName(table)}`,
    whereText,
    'ORDER BY event_timestamp DESC, event."timestamp" DESC',
    `LIMIT ${(limit ?? DEFAULT_ENTRY_LIMIT) + 1}`,
  ].join('\n');
}

function checkedLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1_000_000)
    throw new QueryInputError('the limit must be a whole number from 1 to 1000000');
  return limit;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const dayOf = (d: Date): string => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;

/** How much later than its event an entry's file can land in S3: files are published every 5 minutes; an hour leaves room. */
const DELIVERY_MARGIN_MS = 3600_000;

/**
 * Conditions for a time range: the partitions it can be in (`day`, `hour`: the folder of the file's delivery,
 * which is never before the event and at most a delivery interval after it), then `event_timestamp` itself.
 * The partition conditions are what keeps Athena from reading (and billing) every file.
 */
function partitionAndTime(bounds: TimeBounds): string[] {
  const out: string[] = [];
  const from = bounds.fromMs === undefined ? undefined : new Date(bounds.fromMs);
  const to = bounds.toMs === undefined ? undefined : new Date(bounds.toMs + DELIVERY_MARGIN_MS);
  if (from !== undefined && to !== undefined) out.push(`"day" BETWEEN '${dayOf(from)}' AND '${dayOf(to)}'`);
  else if (from !== undefined) out.push(`"day" >= '${dayOf(from)}'`);
  else if (to !== undefined) out.push(`"day" <= '${dayOf(to)}'`);
  if (from !== undefined) out.push(`("day" > '${dayOf(from)}' OR "hour" >= '${pad(from.getUTCHours())}')`);
  if (to !== undefined) out.push(`("day" < '${dayOf(to)}' OR "hour" <= '${pad(to.getUTCHours())}')`);
  if (bounds.fromMs !== undefined) out.push(`event_timestamp >= ${Math.floor(bounds.fromMs / 1000)}`);
  if (bounds.toMs !== undefined) out.push(`event_timestamp < ${Math.ceil(bounds.toMs / 1000)}`);
  return out;
}
