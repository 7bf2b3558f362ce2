/**
 * One big `.log.gz` inflated by the scan pool and read in runs of lines by several workers
 * (core/threads/gzipRuns.ts) gives what one pass over it gives: the same report (problems in line order,
 * SNI counts, read summary), the same capped problems and counts in entries mode, the same entries in the
 * same order, the same `file-incomplete` problem for a cut or damaged gzip and at the decompression limit.
 * Checked through the real worker pool (build first: `node scripts/build.mjs`) on the samples and on
 * generated files with malformed lines, CRLF and lone CR, a byte order mark, lines longer than a run and
 * lines too long to hold; then cancellation, progress and the CLI.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateLogLines } from '../../bench/generate';
import { awkwardLog, invalidUtf8Log } from '../../bench/pathological';
import type { LineEntry } from '../../src/core/parse/types';
import { gzipSplittable } from '../../src/core/read/byteRanges';
import { checkFile, type ScanMode } from '../../src/core/report/fileCheck';
import { toJsonReport } from '../../src/core/report/report';
import { scanFiles, type ScanOptions } from '../../src/core/threads/scanPool';
import { GZIP_MIN_THREADS, planTasks } from '../../src/core/threads/splitFile';
import { batchToRefs } from './lineEntries';
import { tempFiles } from './tempFiles';

const WORKER = resolve('dist', 'worker.js');
const CLI = resolve('dist', 'cli.js');
const MiB = 1024 * 1024;

interface Outcome {
  report: unknown;
  counts: unknown;
  entries: LineEntry[];
  unreadable: unknown;
}

type Options = Omit<ScanOptions, 'workerPath'>;

/** A scan of `path` on the fewest workers a `.log.gz` is read in runs with, with every entry in the order it came. */
async function scan(path: string, options: Options): Promise<Outcome> {
  const entries: LineEntry[] = [];
  let counts: unknown;
  const result = await scanFiles([path], {
    workerPath: WORKER,
    threads: GZIP_MIN_THREADS,
    ...options,
    onEntries: (_i, _p, b) => entries.push(...batchToRefs(b)),
    onFile: (f) => (counts = f.counts),
  });
  return { report: result[0], counts, entries, unreadable: result.unreadable };
}

const MODES: Array<{ name: string; options: Options }> = [
  { name: 'summary', options: { mode: 'summary' } },
  { name: 'entries, 3 problems of each severity kept', options: { mode: 'entries', maxProblems: 3 } },
  { name: 'summary, lines over 600 characters not read', options: { mode: 'summary', maxLineLength: 600 } },
  { name: 'entries, lines over 600 characters not read', options: { mode: 'entries', maxProblems: 5, maxLineLength: 600 } },
];

/**
 * Asserts that `path` read in runs of `runBytes` gives what it gives read whole by one worker, in every
 * mode (and what `checkFile` gives in summary mode), and that it is planned to be read in runs.
 */
async function assertSame(path: string, runBytes: number, label: string, extra: Options = {}): Promise<void> {
  const tasks = await planTasks([path], { splitBytes: 8, threads: GZIP_MIN_THREADS });
  assert.equal(tasks[0].gzip, true, `${label}: read in runs`);
  for (const { name, options: modeOptions } of MODES) {
    const options = { ...modeOptions, ...extra };
    const one = await scan(path, { ...options, splitBytes: Number.POSITIVE_INFINITY });
    const runs = await scan(path, { ...options, splitBytes: 8, partBytes: runBytes });
    assert.deepEqual(runs, one, `${label}, ${name}, runs of ${runBytes}`);
    if (options.mode === 'summary' && extra.maxDecompressedBytes === undefined)
      assert.deepEqual(one.report, await checkFile(path, { maxLineLength: options.maxLineLength }));
  }
}

/** A generated log of `count` lines with malformed ones, CRLF here and there and a few lines of `longChars` characters. */
function generatedLog(count: number, longChars: number): Buffer {
  const lines = generateLogLines(count, { seed: 23, malformed: 0.05 });
  for (let i = 100; i < lines.length; i += 700) lines[i] = lines[i].replace('"event":{', `"pad":"${'p'.repeat(longChars)}","event":{`);
  return Buffer.from(lines.map((l, i) => l + (i % 9 === 0 ? '\r\n' : '\n')).join(''));
}

/** gzip with small deflate blocks, so that a cut or damage leaves text before it. */
function gz(text: Buffer): Buffer {
  return gzipSync(text, { chunkSize: 16 * 1024 });
}

describe('a .log.gz read in runs across the worker pool gives what one pass gives', () => {
  const files = tempFiles('nfw-gzip-runs-', '.log.gz');

  before(() => assert.ok(existsSync(WORKER) && existsSync(CLI), 'dist/worker.js or dist/cli.js is missing: build first'));

  it('an awkward log (BOM, CRLF, lone CR, invalid UTF-8, long lines), runs of many sizes from 1 byte to past the text', async () => {
    const text = awkwardLog();
    const path = files.file(gz(text));
    for (let runBytes = 1; runBytes <= text.length + 1; runBytes += runBytes < 8 ? 1 : 311) await assertSame(path, runBytes, 'awkward log');
  });

  it('a generated log with malformed lines, invalid UTF-8 and lines longer than a run', async () => {
    const path = files.file(gz(generatedLog(3000, 20_000)));
    for (const runBytes of [4096, 64 * 1024, 300_000]) await assertSame(path, runBytes, 'generated log');
    const { bytes } = invalidUtf8Log(600, 12);
    await assertSame(files.file(gz(bytes)), 2000, 'invalid UTF-8 log');
  });

  it('the samples', async () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
    const samples = walk(resolve('samples')).filter((p) => p.endsWith('.log.gz'));
    assert.ok(samples.length >= 1);
    for (const path of samples) for (const runBytes of [1, 200, 1000]) await assertSame(path, runBytes, path);
  });

  it('lines too long to hold (no line break for many times the longest line read) are dropped as they come and reported', async () => {
    const lines = generateLogLines(40, { seed: 9 });
    lines[5] = `{"huge":"${'h'.repeat(50_000)}"}`;
    lines[20] = `${'\r'.repeat(3)}${'x'.repeat(30_000)}`;
    const text = Buffer.from(`${lines.join('\n')}\r\n${'z'.repeat(40_000)}`);
    const path = files.file(gz(text));
    for (const runBytes of [500, 3000]) await assertSame(path, runBytes, 'huge lines', { maxLineLength: 1000 });
  });

  it('a cut gzip, a damaged gzip and the decompression limit: the same file-incomplete problem, with everything before it read', async () => {
    const text = generatedLog(4000, 3000);
    const whole = gz(text);
    const cut = files.file(whole.subarray(0, Math.floor(whole.length * 0.6)));
    const damaged = Buffer.from(whole);
    for (let i = 0; i < 64; i++) damaged[Math.floor(damaged.length / 2) + i] ^= 0x5a;
    const broken = files.file(damaged);
    for (const [path, label] of [
      [cut, 'cut'],
      [broken, 'damaged'],
    ] as const) {
      await assertSame(path, 50_000, label);
      const report = await checkFile(path);
      assert.equal(report.problems.filter((p) => p.code === 'file-incomplete').length, 1, label);
      assert.ok(report.entries > 1000, label);
    }
    const limited = files.file(whole);
    for (const maxDecompressedBytes of [100_000, 777_777]) {
      await assertSame(limited, 30_000, `limit ${maxDecompressedBytes}`, { maxDecompressedBytes });
      const one = await scan(limited, { mode: 'summary', splitBytes: 8, partBytes: 30_000, maxDecompressedBytes });
      const report = one.report as { read: { textBytes: number; incomplete?: string } };
      assert.equal(report.read.textBytes, maxDecompressedBytes);
      assert.match(report.read.incomplete ?? '', /decompression stopped at the limit/);
    }
  });

  it('a UTF-16 .log.gz, a damaged header and a plain file are not read in runs', async () => {
    assert.equal(await gzipSplittable(files.file(gz(Buffer.from('\ufeff{"a":1}\n', 'utf16le')))), false);
    assert.equal(await gzipSplittable(files.file(gz(Buffer.from('{"event":{"a":1}}\n{"event":{"a":1}}\n', 'utf16le')))), false);
    assert.equal(await gzipSplittable(files.file(Buffer.from([0x1f, 0x8b, 9, 0, 1, 2, 3]))), false);
    assert.equal(await gzipSplittable(files.file('{"event":{}}\n')), false);
    assert.equal(await gzipSplittable(files.file(gz(Buffer.from('\ufeff{"event":{}}\n')))), true);
    // A pool of one thread never splits.
    const path = files.file(gz(generatedLog(200, 10)));
    assert.equal((await planTasks([path], { splitBytes: Number.POSITIVE_INFINITY, threads: 1 }))[0].gzip, undefined);
  });
});

describe('a big .log.gz on the worker pool', () => {
  const files = tempFiles('nfw-gzip-pool-', '.log.gz');
  let big: string;
  let size: number;

  before(() => {
    big = files.file(gz(generatedLog(20_000, 5000)));
    size = statSync(big).size;
  });

  const runs = { splitBytes: 8, partBytes: 256 * 1024 };

  for (const mode of ['summary', 'entries'] as ScanMode[])
    it(`${mode} mode, among small files: each file as when read whole`, async () => {
      const small = [0, 1].map((s) => files.file(gz(Buffer.from(`${generateLogLines(30 + s, { seed: s, malformed: 0.2 }).join('\n')}\n`))));
      const list = [small[0], big, small[1]];
      const read = async (options: Options): Promise<unknown> => {
        const entries: Array<[number, LineEntry[]]> = [];
        const result = await scanFiles(list, {
          workerPath: WORKER,
          threads: GZIP_MIN_THREADS,
          mode,
          maxProblems: 40,
          ...options,
          onEntries: (i, _p, b) => entries.push([i, batchToRefs(b)]),
        });
        const byFile = list.map((_, i) => entries.filter(([f]) => f === i).flatMap(([, e]) => e));
        return { result: [...result], byFile };
      };
      assert.deepEqual(await read(runs), await read({ splitBytes: Number.POSITIVE_INFINITY }));
    });

  it('progress counts the compressed bytes up to the file size', async () => {
    let last = 0;
    await scanFiles([big], {
      workerPath: WORKER,
      threads: GZIP_MIN_THREADS,
      ...runs,
      sizes: [size],
      onProgress: (p) => (last = p.bytesRead),
    });
    assert.equal(last, size);
  });

  it('cancelling resolves at once, without a report of the file', async () => {
    const controller = new AbortController();
    let batches = 0;
    const result = await scanFiles([big], {
      workerPath: WORKER,
      threads: GZIP_MIN_THREADS,
      mode: 'entries',
      ...runs,
      signal: controller.signal,
      onEntries: () => {
        if (++batches === 1) controller.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.equal(result.length, 0);
  });

  it('a file that cannot be opened is reported unreadable', async () => {
    const gone = join(files.dir(), 'gone.log.gz');
    const result = await scanFiles([big, gone], { workerPath: WORKER, threads: GZIP_MIN_THREADS, ...runs });
    assert.equal(result.length, 1);
    assert.equal(result.unreadable?.length, 1);
  });

  it(`on fewer than ${GZIP_MIN_THREADS} threads a .log.gz is read whole`, async () => {
    const tasks = await planTasks([big], { splitBytes: 8, threads: GZIP_MIN_THREADS - 1 });
    assert.deepEqual(tasks, [{ file: 0, part: 0 }]);
  });

  it('the CLI checks one big .log.gz (in runs where it has the cores) with the same JSON as one pass', async () => {
    // Past the CLI's size for a .log.gz read in runs (2 MiB compressed).
    const base = generatedLog(4000, 100);
    const chunks: Buffer[] = [];
    let total = 0;
    for (let seed = 0; total < 3 * MiB; seed++) {
      const piece = gzipSync(Buffer.concat([base, Buffer.from(`{"seed":${seed}}\n`)]), { level: 1 });
      chunks.push(piece);
      total += piece.length;
    }
    // A multi-member gzip of generated text that compresses poorly enough to pass 2 MiB.
    const path = files.file(Buffer.concat(chunks));
    assert.equal((await planTasks([path], { splitBytes: 16 * MiB, threads: GZIP_MIN_THREADS }))[0].gzip, true);
    const run = spawnSync(process.execPath, [CLI, 'check', '--json', path], { encoding: 'utf8', timeout: 300_000, maxBuffer: 512 * MiB });
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, `${JSON.stringify(toJsonReport([await checkFile(path)]))}\n`);
  });
});
