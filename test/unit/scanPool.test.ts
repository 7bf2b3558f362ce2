/**
 * The scan pool (core/scanPool.ts), its worker (dist/worker.js) and the CLI on several files: results in the
 * order of the input whatever order the workers finish in, a bounded number of entry batches in flight, a
 * worker's heap limit, and the CLI's output written file by file with the same bytes as the whole report.
 * Needs the bundles: `node scripts/build.mjs` first.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { binaryBytes, deepJson, longLine } from '../../bench/pathological';
import { generateLogLines } from '../../bench/generate';
import { EntryBatchBuilder, type EntryBatch } from '../../src/core/parse/entryBatch';
import { batchToRefs } from './lineEntries';
import { checkFile, collectLogFiles, formatProblemLine, formatTotals, toJsonReport, type FileReport } from '../../src/core/report/report';
import {
  MAX_BATCHES_IN_FLIGHT,
  scanFiles,
  type ScanRequest,
  type ScanWorkerData,
  type WorkerMessage,
} from '../../src/core/threads/scanPool';

const MiB = 1024 * 1024;
const WORKER = resolve('dist', 'worker.js');
const CLI = resolve('dist', 'cli.js');

let dir: string;
before(() => {
  assert.ok(existsSync(WORKER) && existsSync(CLI), 'dist/worker.js or dist/cli.js is missing: build first');
  dir = mkdtempSync(join(tmpdir(), 'nfw-scan-pool-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Generated lines with a broken line every `every` lines, so that the file has problems of each kind. */
function logText(lines: number, seed: number, every = 50): string {
  const out = generateLogLines(lines, { seed, malformed: 0.05 });
  for (let i = every; i < out.length; i += every) out[i] = out[i].slice(0, -7);
  return `${out.join('\n')}\n`;
}

describe('the CLI on a folder', () => {
  let folder: string;
  let files: string[];
  let reports: FileReport[];

  before(async () => {
    folder = join(dir, 'folder');
    mkdirSync(join(folder, 'b'), { recursive: true });
    // A big file first and small ones after it: with two workers the small ones finish first.
    writeFileSync(join(folder, 'a-big.log.gz'), gzipSync(logText(60_000, 1)));
    for (let i = 0; i < 12; i++)
      writeFileSync(join(folder, 'b', `small-${String(i).padStart(2, '0')}.log`), logText(40 + i * 10, 10 + i, 7 + i));
    writeFileSync(join(folder, 'b', 'clean.log'), generateLogLines(30, { seed: 3 }).join('\n'));
    // Listed (a link with a log file's name) but not readable: the worker reports it.
    symlinkSync(join(folder, 'nowhere.log'), join(folder, 'b', 'dangling.log'));
    writeFileSync(join(folder, 'c-last.log'), logText(500, 4));
    ({ files } = await collectLogFiles([folder]));
    reports = [];
    for (const f of files) {
      try {
        reports.push(await checkFile(f));
      } catch {
        // the dangling link
      }
    }
    assert.equal(reports.length, files.length - 1);
    assert.ok(reports.every((r) => r.problems.length > 0 || r.path.endsWith('clean.log')));
  });

  const cli = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
    const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 256 * MiB });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  it('--json writes, file by file, exactly the bytes of the whole report', () => {
    const run = cli(['check', '--json', folder]);
    assert.equal(run.status, 2, run.stderr);
    assert.equal(run.stdout, `${JSON.stringify(toJsonReport(reports))}\n`);
    assert.match(run.stderr, /cannot read .*dangling\.log: no such file or directory/);
  });

  it('the text output lists the problems in the order of the files and ends with the totals of all', () => {
    const run = cli(['check', folder]);
    assert.equal(run.status, 2, run.stderr);
    const expected =
      reports.flatMap((r) => r.problems.map((p) => `${formatProblemLine(r.path, p)}\n`)).join('') + `${formatTotals(reports)}\n`;
    assert.equal(run.stdout, expected);
  });

  it('--json of no files, and of one file read on the main thread', () => {
    const empty = join(dir, 'empty-folder');
    mkdirSync(empty);
    const none = cli(['check', '--json', empty]);
    assert.equal(none.stdout, '{"files":[]}\n');
    assert.equal(none.status, 0);
    const last = reports[reports.length - 1];
    const one = cli(['check', '--json', last.path]);
    assert.equal(one.stdout, `${JSON.stringify(toJsonReport([last]))}\n`);
    assert.equal(one.status, 1);
  });

  it('scanFiles without keeping reports hands each to onFile once and returns none', async () => {
    const seen = new Map<number, FileReport>();
    const unreadable: number[] = [];
    const result = await scanFiles(files, {
      workerPath: WORKER,
      threads: 2,
      keepReports: false,
      onFile: (f) => {
        assert.ok(!seen.has(f.index));
        seen.set(f.index, f.report);
      },
      onUnreadable: (u) => unreadable.push(u.index),
    });
    assert.equal(result.length, 0);
    assert.equal(result.unreadable?.length, 1);
    assert.deepEqual(unreadable, [files.findIndex((f) => f.endsWith('dangling.log'))]);
    const got = [...seen.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
    assert.deepEqual(got, reports);
  });

  it('entries mode with an onEntries that only counts: every entry arrives, under the file it belongs to', async () => {
    const counted = new Array<number>(files.length).fill(0);
    const result = await scanFiles(files, {
      workerPath: WORKER,
      threads: 2,
      mode: 'entries',
      maxProblems: 10,
      onEntries: (index, path, batch) => {
        assert.equal(path, files[index]);
        counted[index] += batch.count;
      },
    });
    assert.deepEqual(
      result.map((r) => r.entries),
      reports.map((r) => r.entries),
    );
    assert.deepEqual(
      counted.filter((_, i) => !files[i].endsWith('dangling.log')),
      reports.map((r) => r.entries),
    );
    assert.ok(result.every((r) => r.problems.length <= 10));
  });
});

describe('entry batches in flight', () => {
  it('a worker posts at most MAX_BATCHES_IN_FLIGHT batches ahead of the ones the receiver has finished with', async () => {
    const path = join(dir, 'many-batches.log');
    writeFileSync(path, generateLogLines(2048 * (MAX_BATCHES_IN_FLIGHT + 3) + 5, { seed: 21 }).join('\n'));
    const workerData: ScanWorkerData = { batchesDone: new SharedArrayBuffer(4) };
    const done = new Int32Array(workerData.batchesDone);
    const worker = new Worker(WORKER, { workerData });
    const messages: WorkerMessage[] = [];
    let arrived: () => void = () => undefined;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type !== 'progress') messages.push(m);
      arrived();
    });
    const settle = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
    try {
      const request: ScanRequest = { type: 'scan', id: 1, path, options: { mode: 'entries' } };
      worker.postMessage(request);
      // Nothing is marked done: the worker stops after MAX_BATCHES_IN_FLIGHT batches and waits.
      while (messages.length < MAX_BATCHES_IN_FLIGHT) await new Promise<void>((r) => (arrived = r));
      await settle(300);
      assert.equal(messages.length, MAX_BATCHES_IN_FLIGHT);
      assert.ok(messages.every((m) => m.type === 'entries'));
      // Each batch marked done lets one more through.
      Atomics.add(done, 0, 1);
      Atomics.notify(done, 0);
      await settle(300);
      assert.equal(messages.length, MAX_BATCHES_IN_FLIGHT + 1);
      // All of them done: the rest of the file comes, then the end of it.
      const finished = new Promise<void>((r) => {
        arrived = () => {
          if ((messages[messages.length - 1] as WorkerMessage | undefined)?.type === 'done') r();
          else {
            Atomics.add(done, 0, 1);
            Atomics.notify(done, 0);
          }
        };
      });
      Atomics.add(done, 0, MAX_BATCHES_IN_FLIGHT);
      Atomics.notify(done, 0);
      await finished;
      const batches = messages.filter((m): m is Extract<WorkerMessage, { type: 'entries' }> => m.type === 'entries');
      assert.equal(batches.length, MAX_BATCHES_IN_FLIGHT + 4);
      assert.equal(
        batches.reduce((n, m) => n + m.batch.count, 0),
        2048 * (MAX_BATCHES_IN_FLIGHT + 3) + 5,
      );
    } finally {
      await worker.terminate();
    }
  });

  it('a scan cancelled while its workers wait for the receiver ends at once', async () => {
    const path = join(dir, 'many-batches-2.log');
    writeFileSync(path, generateLogLines(2048 * 20, { seed: 22 }).join('\n'));
    const controller = new AbortController();
    let batches = 0;
    const started = performance.now();
    const result = await scanFiles([path, path], {
      workerPath: WORKER,
      mode: 'entries',
      signal: controller.signal,
      onEntries: () => {
        batches++;
        // A receiver far slower than the workers: they fill their allowance and wait.
        const until = performance.now() + 100;
        while (performance.now() < until);
        if (batches === 3) controller.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.equal(batches, 3);
    assert.ok(performance.now() - started < 10_000);
  });

  it('a batch builder reuses its arrays: batches taken one after the other do not share buffers or strings', () => {
    const builder = new EntryBatchBuilder(2);
    builder.add(0, { kind: 'tlsError', sni: 'a.example.com', destPort: 443 });
    builder.add(1, { kind: 'revocation', sni: 'b.example.com', status: 'REVOKED' });
    assert.ok(builder.full);
    const first: EntryBatch = builder.take();
    builder.add(2, { kind: 'tlsError', sni: 'c.example.com' });
    const second = builder.take();
    assert.deepEqual([first.count, [...first.lines], first.strings], [2, [0, 1], ['a.example.com', 'b.example.com', 'REVOKED']]);
    assert.deepEqual(
      [second.count, [...second.lines], second.strings, [...second.sni], [...second.destPort]],
      [1, [2], ['c.example.com'], [0], [-1]],
    );
    assert.notEqual(first.lines.buffer, second.lines.buffer);
  });

  it('a batch builder grows past its capacity, keeping every field of what it held', () => {
    const builder = new EntryBatchBuilder(2);
    const entries = Array.from({ length: 7 }, (_, i) => ({
      kind: i % 2 === 0 ? ('tlsError' as const) : ('revocation' as const),
      sni: `s${i}.example.com`,
      firewallName: 'fw',
      status: i % 2 === 0 ? undefined : 'REVOKED',
      action: i % 2 === 0 ? undefined : 'DROP',
      destIp: `10.0.0.${i}`,
      destPort: 400 + i,
      timeMs: 1000 * i,
      eventTimestamp: i,
    }));
    entries.forEach((e, i) => builder.add(10 + i, e));
    const batch = builder.take();
    assert.equal(batch.count, 7);
    assert.deepEqual(
      batchToRefs(batch),
      entries.map((e, i) => ({ line: 10 + i, entry: Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) })),
    );
  });
});

describe('a worker heap limit', () => {
  it('a file that needs more memory than a worker may use is reported with that reason, and the scan goes on', async () => {
    // Random bytes: about one problem per 256 bytes, all kept in summary mode.
    const noisy = join(dir, 'noisy.log');
    writeFileSync(noisy, binaryBytes(16 * MiB, false));
    const fine = join(dir, 'fine.log');
    writeFileSync(fine, generateLogLines(100, { seed: 5 }).join('\n'));
    const result = await scanFiles([noisy, fine, fine], { workerPath: WORKER, threads: 1, workerHeapMb: 16 });
    assert.equal(result.unreadable?.length, 1);
    assert.equal(result.unreadable?.[0].path, noisy);
    assert.match(result.unreadable?.[0].reason ?? '', /needed more than the 16 MB of memory a scan may use for one file/);
    assert.deepEqual(
      result.map((r) => r.entries),
      [100, 100],
    );
  });

  it('the default limit takes a 16 MiB random file, a 16 Mi-character line and JSON nested a million deep', async () => {
    const paths = {
      noisy: join(dir, 'noisy-default.log'),
      long: join(dir, 'long-16.log'),
      tooLong: join(dir, 'long-20.log'),
      deep: join(dir, 'deep.log'),
      open: join(dir, 'deep-open.log'),
    };
    writeFileSync(paths.noisy, binaryBytes(16 * MiB, false));
    writeFileSync(paths.long, longLine(16 * MiB - 16, true));
    writeFileSync(paths.tooLong, longLine(20 * MiB, true));
    writeFileSync(paths.deep, deepJson(1_000_000, 'object'));
    writeFileSync(paths.open, deepJson(1_000_000, 'array', false));
    const files = Object.values(paths);
    const result = await scanFiles(files, { workerPath: WORKER, threads: 2 });
    assert.deepEqual(result.unreadable, []);
    const expected: FileReport[] = [];
    for (const f of files) expected.push(await checkFile(f));
    assert.deepEqual([...result], expected);
    assert.equal(result[1].entries, 1);
    assert.deepEqual(
      result[2].problems.map((p) => p.code),
      ['line-too-long'],
    );
  });
});
