/**
 * Runs query text on Amazon Athena and CloudWatch Logs Insights with the AWS SDK for JavaScript v3 and the
 * standard credential chain (environment, shared config and credentials files, SSO, instance roles). This
 * module is its own bundle (`dist/remote.js`), loaded when the first query runs, so activation never loads
 * the SDK. No vscode import: the tests drive it in plain Node. Credentials are never logged or returned.
 */
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type GetQueryResultsCommandOutput,
} from '@aws-sdk/client-athena';
import {
  CloudWatchLogsClient,
  GetQueryResultsCommand as GetLogsResultsCommand,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { ResultRow } from '../core/query/results';

/** Where and as whom to ask. Empty values fall back to the SDK's own defaults (environment, shared config). */
export interface AwsTarget {
  readonly region?: string;
  readonly profile?: string;
  /** Another endpoint than AWS's (a VPC endpoint, or a local stand-in). */
  readonly endpoint?: string;
}

export interface AthenaTarget extends AwsTarget {
  readonly workgroup?: string;
  /** `s3://...` for the results; needed unless the workgroup sets one. */
  readonly outputLocation?: string;
  readonly database?: string;
}

export interface InsightsTarget extends AwsTarget {
  readonly logGroup: string;
  /** Epoch milliseconds. */
  readonly startMs: number;
  readonly endMs: number;
}

/** How a remote query went wrong, in words a user understands. */
export type RemoteProblem = 'credentials' | 'access' | 'missing' | 'failed' | 'cancelled' | 'network' | 'setup';

export class RemoteQueryError extends Error {
  override readonly name = 'RemoteQueryError';
  constructor(
    readonly problem: RemoteProblem,
    message: string,
  ) {
    super(message);
  }
}

/** A query's progress as the service reports it. */
export type QueryState = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | string;

export interface RunOptions {
  readonly signal?: AbortSignal;
  readonly onState?: (state: QueryState) => void;
  /** Time between polls; the services suggest about a second. */
  readonly pollMs?: number;
  /** Rows to read at most (pages are read until then). */
  readonly maxRows?: number;
}

export interface QueryResult {
  readonly rows: ResultRow[];
  /** Bytes the query read (Athena bills by them), when the service says. */
  readonly scannedBytes?: number;
}

function clientConfig(target: AwsTarget): { region?: string; profile?: string; endpoint?: string; maxAttempts: number } {
  return {
    region: target.region || undefined,
    profile: target.profile || undefined,
    endpoint: target.endpoint || undefined,
    maxAttempts: 3,
  };
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * A service or SDK error as a {@link RemoteQueryError}. Messages are the service's own (they name the
 * missing table or the denied action) with a first sentence saying what to do; no credential is in them.
 */
export function describeAwsError(err: unknown, what: string): RemoteQueryError {
  if (err instanceof RemoteQueryError) return err;
  const e = err as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? '';
  const message = (e.message ?? String(err)).slice(0, 500);
  if (name === 'CredentialsProviderError' || (/Could not load credentials|credential/i.test(message) && name !== 'AccessDeniedException')) {
    return new RemoteQueryError(
      'credentials',
      `No AWS credentials were found: sign in (for example \`aws sso login\`) or set the profile in the settings. ${message}`,
    );
  }
  if (
    name === 'AccessDeniedException' ||
    name === 'UnrecognizedClientException' ||
    name === 'ExpiredTokenException' ||
    e.$metadata?.httpStatusCode === 403
  ) {
    return new RemoteQueryError(
      'access',
      `Access denied to ${what}: the credentials lack a permission the README lists, or have expired. ${message}`,
    );
  }
  if (name === 'ResourceNotFoundException' || /TABLE_NOT_FOUND|does not exist|not found/i.test(message)) {
    return new RemoteQueryError('missing', `${what}: ${message}`);
  }
  if (name === 'AbortError') return new RemoteQueryError('cancelled', `The ${what} query was cancelled.`);
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|socket hang up/.test(`${e.code ?? ''} ${message}`)) {
    return new RemoteQueryError('network', `${what} could not be reached: ${message}`);
  }
  return new RemoteQueryError('failed', `${what}: ${message}`);
}

/** Runs `sql` on Athena: start, poll until it ends, read the result pages. Aborting stops the query on the service. */
export async function runAthenaQuery(sql: string, target: AthenaTarget, options: RunOptions = {}): Promise<QueryResult> {
  const client = new AthenaClient(clientConfig(target));
  let id: string | undefined;
  try {
    const started = await client.send(
      new StartQueryExecutionCommand({
        QueryString: sql,
        WorkGroup: target.workgroup || undefined,
        QueryExecutionContext: target.database ? { Database: target.database } : undefined,
        ResultConfiguration: target.outputLocation ? { OutputLocation: target.outputLocation } : undefined,
      }),
      { abortSignal: options.signal },
    );
    id = started.QueryExecutionId;
    if (id === undefined) throw new RemoteQueryError('failed', 'Athena did not return a query id.');
    let scannedBytes: number | undefined;
    for (;;) {
      if (options.signal?.aborted) throw new RemoteQueryError('cancelled', 'The Athena query was cancelled.');
      const { QueryExecution: q } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
      const state = q?.Status?.State ?? 'QUEUED';
      options.onState?.(state);
      scannedBytes = q?.Statistics?.DataScannedInBytes;
      if (state === 'SUCCEEDED') break;
      if (state === 'FAILED') {
        const reason = q?.Status?.StateChangeReason ?? 'no reason given';
        throw new RemoteQueryError(
          /TABLE_NOT_FOUND|does not exist|SCHEMA_NOT_FOUND/i.test(reason) ? 'missing' : 'failed',
          `The Athena query failed: ${reason}`,
        );
      }
      if (state === 'CANCELLED') throw new RemoteQueryError('cancelled', 'The Athena query was cancelled on the service.');
      await sleep(options.pollMs ?? 1000, options.signal);
    }
    const rows: ResultRow[] = [];
    let columns: string[] | undefined;
    let token: string | undefined;
    do {
      const page: GetQueryResultsCommandOutput = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token }), {
        abortSignal: options.signal,
      });
      const data = page.ResultSet?.Rows ?? [];
      let first = 0;
      if (columns === undefined) {
        columns = (page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => c.Name ?? '');
        // The first row of a SELECT's first page repeats the column names.
        if (data.length > 0 && data[0].Data?.every((d, i) => d.VarCharValue === columns?.[i])) first = 1;
      }
      for (let i = first; i < data.length; i++) {
        const row: Record<string, string | null> = {};
        (data[i].Data ?? []).forEach((d, c) => (row[columns?.[c] ?? String(c)] = d.VarCharValue ?? null));
        rows.push(row);
      }
      token = page.NextToken;
    } while (token !== undefined && rows.length < (options.maxRows ?? Infinity));
    return { rows, scannedBytes };
  } catch (err) {
    if (options.signal?.aborted || (err instanceof RemoteQueryError && err.problem === 'cancelled')) {
      if (id !== undefined) await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id })).catch(() => undefined);
      throw new RemoteQueryError('cancelled', 'The Athena query was cancelled.');
    }
    throw describeAwsError(err, 'Athena');
  } finally {
    client.destroy();
  }
}

/** Runs a Logs Insights query on one log group over a time range; aborting stops it on the service. */
export async function runInsightsQuery(query: string, target: InsightsTarget, options: RunOptions = {}): Promise<QueryResult> {
  const client = new CloudWatchLogsClient(clientConfig(target));
  let id: string | undefined;
  try {
    const started = await client.send(
      new StartQueryCommand({
        queryString: query,
        logGroupNames: [target.logGroup],
        startTime: Math.floor(target.startMs / 1000),
        endTime: Math.ceil(target.endMs / 1000),
      }),
      { abortSignal: options.signal },
    );
    id = started.queryId;
    if (id === undefined) throw new RemoteQueryError('failed', 'CloudWatch Logs did not return a query id.');
    for (;;) {
      if (options.signal?.aborted) throw new RemoteQueryError('cancelled', 'The Logs Insights query was cancelled.');
      const out = await client.send(new GetLogsResultsCommand({ queryId: id }));
      const state = out.status ?? 'Scheduled';
      options.onState?.(state);
      if (state === 'Complete') {
        const rows = (out.results ?? []).map((fields) => {
          const row: Record<string, string | null> = {};
          for (const f of fields) if (f.field !== undefined) row[f.field] = f.value ?? null;
          return row;
        });
        return { rows, scannedBytes: out.statistics?.bytesScanned };
      }
      if (state === 'Failed' || state === 'Timeout' || state === 'Unknown')
        throw new RemoteQueryError('failed', `The Logs Insights query ended as ${state}.`);
      if (state === 'Cancelled') throw new RemoteQueryError('cancelled', 'The Logs Insights query was cancelled on the service.');
      await sleep(options.pollMs ?? 1000, options.signal);
    }
  } catch (err) {
    if (options.signal?.aborted || (err instanceof RemoteQueryError && err.problem === 'cancelled')) {
      if (id !== undefined) await client.send(new StopQueryCommand({ queryId: id })).catch(() => undefined);
      throw new RemoteQueryError('cancelled', 'The Logs Insights query was cancelled.');
    }
    throw describeAwsError(err, `CloudWatch Logs (log group ${target.logGroup})`);
  } finally {
    client.destroy();
  }
}
