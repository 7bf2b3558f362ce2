/**
 * The Athena SQL run for real: on DuckDB, over the sample logs, through a view with the Athena table's
 * columns (its `event` type read from the DDL's struct) and partition columns (from the S3 folders), and
 * compared with the engine's counts. The SQL keeps to what Trino and DuckDB share, so this speaks for Athena.
 */
import * as assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { analyzeLine } from '../../src/core/parse/analyze';
import type { TlsEntry } from '../../src/core/parse/types';
import { readLogFile } from '../../src/core/read/lines';
import { SniCounter } from '../../src/core/report/sniCounter';
import { athenaQuery, EVENT_STRUCT, PARTITION_COLUMNS } from '../../src/core/query/athena';
import { sqlString } from '../../src/core/query/literals';
import { cutAtLimit, entryLineFromRow, summaryRows, type ResultRow } from '../../src/core/query/results';
import type { SniSummaryRow } from '../../src/core/sni/types';

const SAMPLES = join(__dirname, '..', '..', '..', 'samples');

function logFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? logFiles(p) : /\.log(\.gz)?$/.test(name) ? [p] : [];
  });
}

/** Hive's `struct<a:string,b:struct<...>>` as DuckDB's `STRUCT("a" VARCHAR, "b" STRUCT(...))`. */
function duckType(hive: string): string {
  return hive
    .replace(/struct</g, 'STRUCT(')
    .replace(/>/g, ')')
    .replace(/(\w+):/g, '"$1" ')
    .replace(/\bstring\b/g, 'VARCHAR')
    .replace(/,/g, ', ');
}

/** The partition columns of a file, from its S3 folders `<firewall>/<YYYY>/<MM>/<DD>/<HH>/`. */
function partitions(path: string): { firewall: string; day: string; hour: string } {
  const parts = relative(SAMPLES, path).split(sep);
  const n = parts.length;
  return { firewall: parts[n - 6], day: `${parts[n - 5]}/${parts[n - 4]}/${parts[n - 3]}`, hour: parts[n - 2] };
}

interface EngineEntry {
  entry: TlsEntry;
  line: string;
  firewall: string;
}

async function engineEntries(files: readonly string[]): Promise<EngineEntry[]> {
  const out: EngineEntry[] = [];
  for (const file of files) {
    const { firewall } = partitions(file);
    await readLogFile(file, (text, line) => {
      const { entry } = analyzeLine(text, line);
      if (entry) out.push({ entry, line: text, firewall });
    });
  }
  return out;
}

function counts(entries: readonly EngineEntry[]): Map<string | null, SniSummaryRow> {
  const counter = new SniCounter();
  for (const e of entries) counter.add(e.entry);
  return new Map(counter.summary().map((r) => [r.sni, r]));
}

describe('Athena SQL on DuckDB over the samples', () => {
  let instance: DuckDBInstance;
  let db: DuckDBConnection;
  const files = logFiles(SAMPLES);
  let engine: EngineEntry[] = [];

  const rows = async (sql: string): Promise<ResultRow[]> => (await db.runAndReadAll(sql)).getRowObjectsJS() as ResultRow[];

  before(async () => {
    instance = await DuckDBInstance.create(':memory:');
    db = await instance.connect();
    // One SELECT per file, so that each file's rows carry its folders' partition values, as projection gives them.
    const selects = files.map((file) => {
      const p = partitions(file);
      return `SELECT firewall_name, availability_zone, event_timestamp, event, ${sqlString(p.firewall)} AS firewall, ${sqlString(p.day)} AS "day", ${sqlString(p.hour)} AS "hour"
        FROM read_json(${sqlString(file)}, format = 'newline_delimited', ignore_errors = true,
          columns = {firewall_name: 'VARCHAR', availability_zone: 'VARCHAR', event_timestamp: 'BIGINT', event: '${duckType(EVENT_STRUCT)}'})`;
    });
    await db.run(`CREATE VIEW tls_logs AS ${selects.join('\nUNION ALL\n')}`);
    engine = await engineEntries(files);
  });
  after(() => {
    db.closeSync();
    instance.closeSync();
  });

  it('has the Athena table columns and partition columns', async () => {
    const columns = (
      await rows(`SELECT column_name FROM information_schema.columns WHERE table_name = 'tls_logs' ORDER BY ordinal_position`)
    ).map((r) => r.column_name);
    assert.deepEqual(columns, ['firewall_name', 'availability_zone', 'event_timestamp', 'event', ...PARTITION_COLUMNS]);
    assert.ok(files.some((f) => f.endsWith('.gz')) && files.length >= 3);
  });

  it("gives every SNI the engine's counts", async () => {
    const sql = summaryRows(await rows(athenaQuery({ table: 'tls_logs', kind: 'summary' })));
    const expected = counts(engine);
    assert.ok(expected.size > 20);
    assert.equal(sql.length, expected.size);
    for (const row of sql) assert.deepEqual(row, expected.get(row.sni), `SNI ${String(row.sni)}`);
    assert.ok(expected.has(null), 'the sample with no sni field is counted too');
  });

  it('prunes and filters by time and firewall as the engine counts', async () => {
    const from = '2024-07-02T18:02:00Z';
    const to = '2024-07-02T19:06:30Z';
    const fromS = Date.parse(from) / 1000;
    const toS = Date.parse(to) / 1000;
    for (const firewall of [undefined, 'egress-fw', 'inspection-fw']) {
      const sql = summaryRows(await rows(athenaQuery({ table: 'tls_logs', kind: 'summary', from, to, firewall })));
      const inRange = engine.filter(
        (e) =>
          e.entry.eventTimestamp !== undefined &&
          e.entry.eventTimestamp >= fromS &&
          e.entry.eventTimestamp < toS &&
          (firewall === undefined || e.firewall === firewall),
      );
      const expected = counts(inRange);
      assert.ok(inRange.length > 10 && inRange.length < engine.length);
      assert.equal(sql.length, expected.size);
      for (const row of sql) assert.deepEqual(row, expected.get(row.sni));
    }
  });

  it('fetches an SNI’s entries newest first, rebuilt as lines the engine reads alike, cut at the limit', async () => {
    const top = [...counts(engine).values()].find((r) => r.sni !== null && r.entries >= 4 && r.revoked + r.unknown > 0);
    assert.ok(top?.sni);
    const result = cutAtLimit(await rows(athenaQuery({ table: 'tls_logs', kind: 'entries', sni: top.sni, limit: 3 })), 3);
    assert.equal(result.cut, true);
    const all = await rows(athenaQuery({ table: 'tls_logs', kind: 'entries', sni: top.sni }));
    assert.equal(all.length, top.entries);
    const fetched = all.map((r) => analyzeLine(entryLineFromRow(r), 0).entry);
    const mine = engine.filter((e) => e.entry.sni === top.sni).map((e) => e.entry);
    const key = (e: TlsEntry | undefined): string =>
      JSON.stringify([
        e?.kind,
        e?.sni,
        e?.timestamp,
        e?.eventTimestamp,
        e?.status,
        e?.action,
        e?.errorMessage,
        e?.srcIp,
        e?.srcPort,
        e?.destPort,
        e?.firewallName,
      ]);
    assert.deepEqual(fetched.map(key).sort(), mine.map(key).sort());
    const times = fetched.map((e) => e?.eventTimestamp ?? 0);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
    assert.deepEqual(result.rows, all.slice(0, 3));
  });

  it('keeps a hostile SNI one literal: one statement, and it finds exactly that SNI', async () => {
    await db.run(`CREATE TABLE hostile AS SELECT * FROM tls_logs LIMIT 0`);
    const insert = await db.prepare(
      `INSERT INTO hostile SELECT 'fw', 'az', 1, {'timestamp': NULL, 'src_ip': NULL, 'src_port': NULL, 'dest_ip': NULL, 'dest_port': NULL, 'sni': $1, 'tls_error': {'error_message': 'x'}, 'revocation_check': NULL}, 'fw', '2024/07/02', '18'`,
    );
    const hostile = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom("'; DROP TABLE hostile; --", "x' OR '1'='1", "a''b\\'", 'é\u0000\n\t;', "evil.com') UNION ALL SELECT 1,2,3,4,5 --"),
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (sni) => {
        const sql = athenaQuery({ table: 'hostile', kind: 'summary', sni });
        assert.equal((await db.extractStatements(sql)).count, 1);
        await db.run('DELETE FROM hostile');
        insert.bindVarchar(1, sni);
        await insert.run();
        // A neighbour the query must not find: the same value with something after it.
        insert.bindVarchar(1, `${sni}x`);
        await insert.run();
        const found = summaryRows(await rows(sql));
        assert.deepEqual(found, [{ sni, entries: 1, tlsErrors: 1, revoked: 0, unknown: 0 }]);
      }),
      { numRuns: 150 },
    );
  });
});
