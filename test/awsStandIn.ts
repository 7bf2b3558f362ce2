/**
 * A protocol stand-in for Amazon Athena and CloudWatch Logs on 127.0.0.1, for tests only: the real services
 * cannot be reached from the machines the tests run on. It speaks the services' JSON 1.1 protocol (POST /,
 * `X-Amz-Target`, `application/x-amz-json-1.1`, errors as `__type`) for the calls the extension makes:
 * Athena StartQueryExecution, GetQueryExecution (QUEUED → RUNNING → SUCCEEDED or FAILED), GetQueryResults
 * (paginated, header row first), StopQueryExecution; Logs StartQuery, GetQueryResults, StopQuery. It checks
 * that requests are signed, and keeps every call for the tests to inspect. It does not check signatures.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A table of strings (null = SQL NULL), as Athena returns results. */
export interface StandInTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | null)[])[];
}

export interface StandInScenario {
  /** The rows for a query's text. */
  answer(query: string): StandInTable;
  /** States reported before the end; the last one repeats until the query is stopped when `end` is 'never'. */
  readonly states?: readonly string[];
  /** How the query ends: succeeds, fails with this reason, or runs until stopped. */
  readonly end?: 'SUCCEEDED' | { failed: string } | 'never';
  /** Result rows per page (the header row counts on the first page, as on Athena). */
  readonly pageSize?: number;
  /** An error every call answers with, as `__type` and message. */
  readonly error?: { type: string; message: string; status?: number };
}

export interface StandInCall {
  readonly target: string;
  readonly body: Record<string, unknown>;
  readonly signed: boolean;
}

interface Execution {
  query: string;
  polls: number;
  stopped: boolean;
}

export class AwsStandIn {
  readonly calls: StandInCall[] = [];
  scenario: StandInScenario;
  private readonly server: Server;
  private readonly executions = new Map<string, Execution>();
  private next = 0;

  constructor(scenario: StandInScenario) {
    this.scenario = scenario;
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Starts listening on a free port of 127.0.0.1; resolves to the endpoint URL. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** The calls made to one target, e.g. `AmazonAthena.StopQueryExecution`. */
  callsTo(target: string): StandInCall[] {
    return this.calls.filter((c) => c.target === target);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    this.calls.push({ target, body, signed: /^AWS4-HMAC-SHA256 Credential=/.test(String(req.headers.authorization ?? '')) });
    const send = (status: number, payload: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${this.calls.length}` });
      res.end(JSON.stringify(payload));
    };
    const error = this.scenario.error;
    if (error !== undefined) return send(error.status ?? 400, { __type: error.type, message: error.message });
    const [service, operation] = target.split('.');
    if (service === 'AmazonAthena') return send(200, this.athena(operation, body));
    if (service === 'Logs_20140328') return send(200, this.logs(operation, body));
    send(400, { __type: 'UnknownOperationException', message: `no such operation ${target}` });
  }

  private execution(id: unknown): Execution {
    const e = this.executions.get(String(id));
    if (e === undefined) throw new Error(`unknown query ${String(id)}`);
    return e;
  }

  /** The state of a query after `polls` polls. */
  private state(e: Execution): { state: string; reason?: string } {
    if (e.stopped) return { state: 'CANCELLED' };
    const states = this.scenario.states ?? ['QUEUED', 'RUNNING'];
    const end = this.scenario.end ?? 'SUCCEEDED';
    if (e.polls < states.length || end === 'never') return { state: states[Math.min(e.polls, states.length - 1)] };
    return end === 'SUCCEEDED' ? { state: 'SUCCEEDED' } : { state: 'FAILED', reason: end.failed };
  }

  private athena(operation: string, body: Record<string, unknown>): unknown {
    if (operation === 'StartQueryExecution') {
      const id = `q-${++this.next}`;
      this.executions.set(id, { query: String(body.QueryString), polls: 0, stopped: false });
      return { QueryExecutionId: id };
    }
    const e = this.execution(body.QueryExecutionId);
    if (operation === 'StopQueryExecution') return ((e.stopped = true), {});
    if (operation === 'GetQueryExecution') {
      const { state, reason } = this.state(e);
      e.polls++;
      return {
        QueryExecution: {
          QueryExecutionId: body.QueryExecutionId,
          Query: e.query,
          Status: { State: state, StateChangeReason: reason },
          Statistics: { DataScannedInBytes: 1234 },
        },
      };
    }
    if (operation === 'GetQueryResults') {
      const table = this.scenario.answer(e.query);
      const all = [table.columns, ...table.rows];
      const size = this.scenario.pageSize ?? 1000;
      const start = body.NextToken === undefined ? 0 : Number(body.NextToken);
      const page = all.slice(start, start + size);
      return {
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: table.columns.map((name) => ({ Name: name, Label: name, Type: 'varchar' })) },
          Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
        },
        NextToken: start + size < all.length ? String(start + size) : undefined,
      };
    }
    throw new Error(`unsupported Athena operation ${operation}`);
  }

  private logs(operation: string, body: Record<string, unknown>): unknown {
    if (operation === 'StartQuery') {
      const id = `lq-${++this.next}`;
      this.executions.set(id, { query: String(body.queryString), polls: 0, stopped: false });
      return { queryId: id };
    }
    const e = this.execution(body.queryId);
    if (operation === 'StopQuery') return ((e.stopped = true), { success: true });
    if (operation === 'GetQueryResults') {
      const { state } = this.state(e);
      e.polls++;
      const status =
        { QUEUED: 'Scheduled', RUNNING: 'Running', SUCCEEDED: 'Complete', FAILED: 'Failed', CANCELLED: 'Cancelled' }[state] ?? state;
      if (status !== 'Complete') return { status, results: [] };
      const table = this.scenario.answer(e.query);
      return {
        status,
        statistics: { recordsMatched: table.rows.length, recordsScanned: table.rows.length, bytesScanned: 999 },
        results: table.rows.map((row) => row.flatMap((v, i) => (v === null ? [] : [{ field: table.columns[i], value: v }]))),
      };
    }
    throw new Error(`unsupported Logs operation ${operation}`);
  }
}
