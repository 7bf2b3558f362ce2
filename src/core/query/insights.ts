/**
 * Query text for CloudWatch Logs Insights over a log group that receives the firewall's TLS log. Logs
 * Insights discovers the JSON fields of each event (`event.sni`, `event.tls_error.error_message`, ...), and
 * `@message` is the entry's line as the firewall wrote it, so fetched entries are a TLS log as they are.
 */
import { insightsString } from './literals';
import type { QueryKind } from './common';

/** Logs Insights returns at most this many rows. */
export const INSIGHTS_MAX_ROWS = 10000;

export interface InsightsQueryOptions {
  readonly kind: QueryKind;
  readonly sni?: string;
  readonly limit?: number;
}

/**
 * `summary`: one row per SNI with `sni`, `entries`, `tls_errors`, `revoked`, `unknown` (an entry with a TLS
 * error is counted as one whatever else it has); `entries`: `@timestamp` and `@message`, newest first, one
 * row more than the limit to tell a cut result. The time range is the query's start and end time, not part
 * of the text.
 */
export function logsInsightsQuery(options: InsightsQueryOptions): string {
  const isTls = 'ispresent(event.tls_error.error_message)';
  const lines = [`filter (${isTls} or ispresent(event.revocation_check.status) or ispresent(event.revocation_check.action))`];
  if (options.sni !== undefined) lines.push(`filter event.sni = ${insightsString(options.sni)}`);
  const limit = Math.max(
    1,
    Math.min(INSIGHTS_MAX_ROWS, Math.floor(options.limit ?? (options.kind === 'summary' ? INSIGHTS_MAX_ROWS : 1000))),
  );
  if (options.kind === 'summary') {
    lines.push(
      `fields event.sni as sni, ${isTls} as is_tls_error, (not ${isTls} and event.revocation_check.status = "REVOKED") as is_revoked, (not ${isTls} and event.revocation_check.status = "UNKNOWN") as is_unknown`,
      'stats count(*) as entries, sum(is_tls_error) as tls_errors, sum(is_revoked) as revoked, sum(is_unknown) as unknown by sni',
      'sort entries desc',
      `limit ${limit}`,
    );
  } else {
    lines.push('fields @timestamp, @message', 'sort @timestamp desc', `limit ${Math.min(INSIGHTS_MAX_ROWS, limit + 1)}`);
  }
  return lines.join('\n| ');
}
