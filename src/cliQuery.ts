/** `nfw-tls-logs query ...`: prints the text of an Athena or CloudWatch Logs Insights query, one per call. */
import { athenaDdl, athenaQuery } from './core/query/athena';
import { QueryInputError, type QueryKind } from './core/query/common';
import { logsInsightsQuery } from './core/query/insights';

export const QUERY_USAGE = `Usage:
  nfw-tls-logs query athena-ddl --table <name> --location s3://<bucket>/[<prefix>/]AWSLogs/<account>/network-firewall/tls/<region>/
                                [--firewalls a,b] [--since YYYY/MM/DD]
  nfw-tls-logs query athena --table <name> --kind summary|entries [--sni S] [--from ISO] [--to ISO] [--firewall F] [--limit N]
  nfw-tls-logs query logs-insights --kind summary|entries [--sni S] [--limit N]

Prints the query text on stdout. athena-ddl: the table over the S3 delivery, with partition projection
(firewall, day, hour); without --firewalls every query must name one --firewall. athena: counts per SNI
(summary) or the entries, newest first (entries); --from and --to prune the day and hour partitions, which
is what keeps the data scanned (and billed) small. logs-insights: the same for a CloudWatch Logs log group.`;

const OPTIONS: Readonly<Record<string, readonly string[]>> = {
  'athena-ddl': ['table', 'location', 'firewalls', 'since'],
  athena: ['table', 'kind', 'sni', 'from', 'to', 'firewall', 'limit'],
  'logs-insights': ['kind', 'sni', 'limit'],
};

function options(argv: readonly string[], allowed: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.startsWith('--') ? a.slice(2) : undefined;
    if (name === undefined || !allowed.includes(name))
      throw new QueryInputError(name === undefined ? `unexpected argument "${a}"` : `unknown option "${a}"`);
    const value = argv[++i];
    if (value === undefined) throw new QueryInputError(`${a} needs a value`);
    out.set(name, value);
  }
  return out;
}

function need(opts: Map<string, string>, name: string): string {
  const v = opts.get(name);
  if (v === undefined) throw new QueryInputError(`--${name} is required`);
  return v;
}

function kind(opts: Map<string, string>): QueryKind {
  const k = need(opts, 'kind');
  if (k !== 'summary' && k !== 'entries') throw new QueryInputError(`--kind is summary or entries, not "${k}"`);
  return k;
}

function limit(opts: Map<string, string>): number | undefined {
  const text = opts.get('limit');
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new QueryInputError(`--limit takes a whole number, not "${text}"`);
  return Number(text);
}

/** The query text for `query <target> <options>`; throws {@link QueryInputError} on a usage error. */
export function queryText(argv: readonly string[]): string {
  const [target, ...rest] = argv;
  const allowed = target === undefined ? undefined : OPTIONS[target];
  if (allowed === undefined)
    throw new QueryInputError(
      target === undefined ? 'query needs athena-ddl, athena or logs-insights' : `unknown query target "${target}"`,
    );
  const opts = options(rest, allowed);
  if (target === 'athena-ddl') {
    const firewalls = opts.get('firewalls');
    return athenaDdl({
      table: need(opts, 'table'),
      location: need(opts, 'location'),
      firewalls: firewalls?.split(',').filter((f) => f !== ''),
      since: opts.get('since'),
    });
  }
  if (target === 'athena') {
    return athenaQuery({
      table: need(opts, 'table'),
      kind: kind(opts),
      sni: opts.get('sni'),
      from: opts.get('from'),
      to: opts.get('to'),
      firewall: opts.get('firewall'),
      limit: limit(opts),
    });
  }
  return logsInsightsQuery({ kind: kind(opts), sni: opts.get('sni'), limit: limit(opts) });
}

/** Runs `query ...`: the text on stdout and 0, or the problem and the usage on stderr and 2. */
export function runQuery(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    out(`${QUERY_USAGE}\n`);
    return 0;
  }
  try {
    out(`${queryText(argv)}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof QueryInputError)) throw e;
    err(`nfw-tls-logs: ${e.message}\n\n${QUERY_USAGE}\n`);
    return 2;
  }
}
