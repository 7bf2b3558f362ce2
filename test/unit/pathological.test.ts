/**
 * Pathological files, each through the CLI's path (`checkFile`, streaming from disk) and, where the editor
 * would see the same text, through `analyzeLine` and `LogModel`. Every test asserts the outcome; the time
 * and memory bounds are generous guards against a hang or a blow-up, not benchmarks (the figures are in
 * `node out/bench/pathological.js`). Big inputs are written to the system's temporary folder and removed.
 *
 * Problems are not capped for a binary file: the reader turns any bytes into lines and each line yields at
 * most one syntax problem, so the count is bounded by the line count (one per 256 bytes of random data);
 * the CLI reports every one of them, and the editor publishes at most `nfwTlsLogs.diagnostics.maxPerFile`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { open } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import {
  binaryBytes,
  deepJson,
  entryWithDeepField,
  entryWithSni,
  gzipBomb,
  invalidUtf8Log,
  longLine,
  writeGeneratedLog,
} from '../../bench/pathological';
import { generateLogLines } from '../../bench/generate';
import { analyzeLine } from '../../src/core/parse/analyze';
import { hoverAt } from '../../src/core/explain/hover';
import { readLogFile } from '../../src/core/read/lines';
import { LogModel } from '../../src/core/document/logModel';
import { checkFile, collectLogFiles, type CheckOptions, type FileReport } from '../../src/core/report/report';
import type { Problem } from '../../src/core/parse/types';

const MiB = 1024 * 1024;
const FIXTURES = resolve('test', 'fixtures', 'pathological');
const CLI = resolve('dist', 'cli.js');
const CONTEXT = { now: Date.UTC(2024, 6, 3), timeZone: 'UTC' };

/** Runs `fn`, sampling resident memory every 10 ms, and fails when it takes longer than `limitMs`. */
async function bounded<T>(limitMs: number, fn: () => Promise<T> | T): Promise<{ value: T; ms: number; rssGrowth: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  let value: T;
  try {
    value = await fn();
  } finally {
    clearInterval(timer);
  }
  const ms = performance.now() - started;
  peak = Math.max(peak, process.memoryUsage().rss);
  assert.ok(ms < limitMs, `took ${ms.toFixed(0)} ms, more than the ${limitMs} ms guard`);
  return { value, ms, rssGrowth: peak - before };
}

const codes = (problems: readonly Problem[]): string[] => problems.map((p) => p.code);

function assertInside(problems: readonly Problem[], lineLength: (line: number) => number): void {
  for (const p of problems) {
    const length = lineLength(p.line);
    assert.ok(
      p.startColumn >= 0 && p.startColumn < p.endColumn && p.endColumn <= Math.max(1, length),
      `${p.code} at ${p.line}:${p.startColumn}-${p.endColumn} of ${length}`,
    );
  }
}

function modelOf(text: string): LogModel {
  const lines = text.split(/\r\n|\r|\n/);
  const model = new LogModel();
  model.reset(lines.length, (i) => lines[i]);
  return model;
}

let dir: string;
let n = 0;
/** A new file in the test folder. */
function write(name: string, content: string | Buffer): string {
  const path = join(dir, `${n++}-${name}`);
  writeFileSync(path, content);
  return path;
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'nfw-pathological-'));
});
after(() => {
  // A locked folder left by a failed test must not stop the clean-up.
  try {
    chmodSync(join(dir, 'locked'), 0o755);
  } catch {
    // not there
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('a 20 MiB single line', () => {
  const valid = longLine(20 * MiB, true);
  const cut = longLine(20 * MiB, false);

  it('the CLI skips a line longer than its 16 Mi limit and says so, without holding it', async () => {
    const path = write('long.log', valid);
    const { value: report, rssGrowth } = await bounded(20_000, () => checkFile(path));
    assert.deepEqual(codes(report.problems), ['line-too-long']);
    assert.deepEqual([report.read.lines, report.entries, report.problems[0].line], [1, 0, 0]);
    assert.ok(rssGrowth < 200 * MiB, `memory grew by ${rssGrowth}`);
  });

  it('the CLI reads the entry with a higher limit, and reports the cut-off one at its end', async () => {
    const { value: report } = await bounded(20_000, () => checkFile(write('long.log', valid), { maxLineLength: 32 * MiB }));
    assert.deepEqual([report.entries, report.problems.length], [1, 0]);
    assert.equal(report.snis[0].sni?.length, valid.length - entryWithSni('').length);
    const { value: broken } = await bounded(20_000, () => checkFile(write('cut.log', cut), { maxLineLength: 32 * MiB }));
    assert.deepEqual(codes(broken.problems), ['invalid-json']);
    assert.match(broken.problems[0].message, /cut off inside a string/);
    assertInside(broken.problems, () => cut.length);
  });

  it('the editor reads it, and a hover on it stays small', async () => {
    const { value: model } = await bounded(20_000, () => modelOf(valid));
    assert.deepEqual(model.problems().problems, []);
    const entry = [...model.entries()][0].entry;
    assert.equal(entry.sni?.length, valid.length - entryWithSni('').length);
    const column = valid.length - 1000;
    const { value: hover } = await bounded(20_000, () => hoverAt(valid, column, model.lineResult(0), CONTEXT));
    assert.ok(hover && hover.startColumn <= column && column < hover.endColumn);
    assert.ok(hover.markdown.length < 10_000, `hover of ${hover.markdown.length} characters`);
    assert.match(hover.markdown, /Server Name Indication[^]*takes 20,971,\d{3} characters of the line, too long to explain here/);

    const { value: broken } = await bounded(20_000, () => analyzeLine(cut, 0));
    assert.deepEqual(codes(broken.problems), ['invalid-json']);
    const { value: noise } = await bounded(20_000, () => analyzeLine('x'.repeat(20 * MiB), 0));
    assert.deepEqual(codes(noise.problems), ['invalid-json']);
    assertInside(noise.problems, () => 20 * MiB);
    assert.ok(noise.problems[0].message.length < 200);
  });
});

describe('JSON nested a million deep', () => {
  const DEPTH = 1_000_000;

  it('closed arrays: valid JSON but not an entry, with little memory', async () => {
    const text = deepJson(DEPTH, 'array');
    const { value: report, rssGrowth } = await bounded(20_000, () => checkFile(write('deep.log', text)));
    assert.deepEqual(codes(report.problems), ['not-an-object']);
    assert.deepEqual([report.problems[0].startColumn, report.problems[0].endColumn], [0, text.length]);
    assert.ok(rssGrowth < 200 * MiB, `memory grew by ${rssGrowth}`);
  });

  it('objects and arrays that never close: cut off at the end of the line', async () => {
    for (const text of [deepJson(DEPTH, 'array', false), deepJson(DEPTH, 'object', false)]) {
      const { value: result, rssGrowth } = await bounded(20_000, () => analyzeLine(text, 0));
      assert.deepEqual(codes(result.problems), ['invalid-json']);
      assert.deepEqual([result.problems[0].startColumn, result.problems[0].endColumn], [text.length - 1, text.length]);
      assert.match(result.problems[0].message, /cut off/);
      assert.ok(rssGrowth < 200 * MiB, `memory grew by ${rssGrowth}`);
    }
  });

  it('closed objects: the missing fields of an entry', async () => {
    const { value: result } = await bounded(20_000, () => analyzeLine(deepJson(DEPTH, 'object'), 0));
    assert.deepEqual(codes(result.problems), ['missing-field', 'missing-field', 'missing-field', 'missing-field']);
  });

  it('a valid entry with an unknown field nested a million deep is read, and hovers over it work', async () => {
    const text = entryWithDeepField(DEPTH);
    const { value: model, rssGrowth } = await bounded(20_000, () => modelOf(text));
    assert.deepEqual(model.problems().problems, []);
    assert.equal([...model.entries()][0].entry.sni, 'deep.example.com');
    assert.ok(rssGrowth < 200 * MiB, `memory grew by ${rssGrowth}`);
    const { value: hover } = await bounded(20_000, () => hoverAt(text, text.indexOf('deep.example.com'), model.lineResult(0), CONTEXT));
    assert.match(hover?.markdown ?? '', /deep\\?\.example\\?\.com/);
    // A hover in the middle of the deep field shows nothing, rather than failing.
    await bounded(20_000, () => hoverAt(text, text.length - 10, model.lineResult(0), CONTEXT));
  });
});

describe('a million empty lines', () => {
  it('LF lines through the CLI: every line counted, nothing reported', async () => {
    const { value: report } = await bounded(20_000, () => checkFile(write('empty.log', '\n'.repeat(1_000_000))));
    assert.deepEqual([report.read.lines, report.entries, report.problems.length], [1_000_000, 0, 0]);
  });

  it('CRLF and white-space lines through the editor model, then an entry at the end', async () => {
    const entry = generateLogLines(1)[0];
    const text = ' \t\r\n'.repeat(1_000_000) + entry;
    const { value: model } = await bounded(20_000, () => modelOf(text));
    assert.equal(model.lineCount, 1_000_001);
    assert.deepEqual(model.problems().problems, []);
    assert.deepEqual(
      [...model.entries()].map((e) => e.line),
      [1_000_000],
    );
    const { value: report } = await bounded(20_000, () => checkFile(write('blank.log', text)));
    assert.deepEqual([report.read.lines, report.entries, report.problems.length], [1_000_001, 1, 0]);
  });
});

describe('NUL bytes', () => {
  it('a file of 1 MiB of NULs is one line of invalid JSON, and the message shows the NUL as an escape', async () => {
    const { value: report } = await bounded(20_000, () => checkFile(write('nul.log', Buffer.alloc(MiB))));
    assert.deepEqual(codes(report.problems), ['invalid-json']);
    assert.deepEqual([report.problems[0].startColumn, report.problems[0].endColumn], [0, MiB]);
    assert.match(report.problems[0].message, /\\u0000/);
    assert.doesNotMatch(report.problems[0].message, /\0/);
  });

  it('a NUL inside an entry is marked where it is; the lines around it are read', async () => {
    const lines = generateLogLines(1000, { seed: 4 });
    const broken = lines.map((l, i) => (i % 10 === 0 ? `${l.slice(0, 30)}\0${l.slice(30)}` : l));
    const { value: report } = await bounded(20_000, () => checkFile(write('nul-lines.log', broken.join('\n'))));
    assert.equal(report.entries, 900);
    assert.equal(report.problems.length, 100);
    for (const p of report.problems) {
      assert.equal(p.line % 10, 0);
      assert.equal(p.code, 'invalid-json');
      assert.ok(p.startColumn <= 30 && 30 < p.endColumn, `${p.startColumn}-${p.endColumn}`);
    }
  });

  it('the committed fixture: NUL padding left by a crash, then more entries', async () => {
    const report = await checkFile(join(FIXTURES, 'nul-padded.log'));
    assert.deepEqual([report.read.lines, report.entries], [3, 2]);
    assert.deepEqual(
      report.problems.map((p) => [p.line, p.code, p.startColumn]),
      [[2, 'invalid-json', 0]],
    );
  });
});

describe('invalid UTF-8', () => {
  it('loses no line: bad bytes inside a string become U+FFFD, bad bytes between tokens make the line invalid JSON', async () => {
    // Read sizes that cut the bad sequences and the CRLFs in every possible place, on a short log; a long one in big reads.
    for (const [count, chunkSizes] of [
      [60, [1, 2, 3, 5]],
      [5000, [64 * 1024]],
    ] as const) {
      await readInvalidUtf8(count, chunkSizes);
    }
  });

  async function readInvalidUtf8(count: number, chunkSizes: readonly number[]): Promise<void> {
    const log = invalidUtf8Log(count);
    const path = write('bad-utf8.log', log.bytes);
    let first: FileReport | undefined;
    for (const chunkSize of chunkSizes) {
      const { value: report } = await bounded(20_000, () => checkFile(path, { chunkSize }));
      assert.equal(report.read.lines, log.lines);
      assert.equal(report.entries, log.lines - log.betweenTokens);
      assert.equal(report.problems.length, log.betweenTokens);
      assert.ok(report.problems.every((p) => p.code === 'invalid-json' && p.line % 10 === 2));
      if (first) assert.deepEqual(report, { ...first, read: { ...first.read, bytesRead: report.read.bytesRead } });
      else first = report;
    }
    const replaced = first!.snis.filter((s) => s.sni?.includes('\uFFFD'));
    assert.ok(replaced.length > 0 && replaced.reduce((sum, s) => sum + s.entries, 0) === log.insideString);
  }

  it('the committed fixture', async () => {
    const report = await checkFile(join(FIXTURES, 'invalid-utf8.log'));
    assert.deepEqual([report.read.lines, report.entries], [4, 3]);
    assert.deepEqual(
      report.problems.map((p) => [p.line, p.code]),
      [[2, 'invalid-json']],
    );
    assert.ok(report.snis.some((s) => s.sni?.startsWith('\uFFFD\uFFFD(')));
  });
});

describe('byte order marks and UTF-16', () => {
  it('a UTF-8 BOM: the first line still parses, plain and gzip, whatever the read size', async () => {
    const lines = generateLogLines(50, { seed: 5 });
    const text = '\uFEFF' + lines.join('\n') + '\n';
    for (const [name, content] of [
      ['bom.log', Buffer.from(text)],
      ['bom.log.gz', gzipSync(text)],
    ] as const) {
      const path = write(name, content);
      for (const chunkSize of [1, 2, 4, 64 * 1024]) {
        const report = await checkFile(path, { chunkSize });
        assert.deepEqual([report.read.lines, report.entries, report.problems.length], [50, 50, 0], `${name} chunk ${chunkSize}`);
      }
    }
    // A broken first line behind a BOM is marked at the editor's columns: the BOM is not text.
    const broken = lines[0].slice(0, 100);
    const report = await checkFile(write('bom-broken.log', '\uFEFF' + broken + '\n' + lines[1]), { chunkSize: 1 });
    assert.deepEqual(report.problems, analyzeLine(broken, 0).problems);
  });

  it('UTF-16LE and UTF-16BE with a BOM: every entry read, and a note that the file is not UTF-8', async () => {
    const lines = generateLogLines(40, { seed: 6 });
    for (const [encoding, content] of [
      ['utf16le', Buffer.from('\uFEFF' + lines.join('\r\n'), 'utf16le')],
      ['utf16be', Buffer.from('\uFEFF' + lines.join('\n'), 'utf16le').swap16()],
    ] as const) {
      for (const gzip of [false, true]) {
        const path = write(`${encoding}.log${gzip ? '.gz' : ''}`, gzip ? gzipSync(content) : content);
        for (const chunkSize of [1, 3, 64 * 1024]) {
          const report = await checkFile(path, { chunkSize });
          assert.equal(report.read.encoding, encoding, `${encoding} gzip=${gzip} chunk ${chunkSize}`);
          assert.deepEqual([report.read.lines, report.entries], [40, 40]);
          assert.deepEqual(codes(report.problems), ['unusual-format']);
          assert.match(report.problems[0].message, /UTF-16/);
        }
      }
    }
    for (const name of ['utf16le-bom.log', 'utf16be-bom.log']) {
      const report = await checkFile(join(FIXTURES, name));
      assert.deepEqual([report.read.lines, report.entries, codes(report.problems)], [3, 3, ['unusual-format']], name);
    }
    const report = await checkFile(join(FIXTURES, 'utf8-bom.log'));
    assert.deepEqual([report.read.lines, report.entries, report.problems.length], [3, 3, 0]);
  });

  it('UTF-16 without a BOM is recognised from its NUL bytes: every entry is read, and the guess is reported once', async () => {
    const lines = generateLogLines(100, { seed: 7 });
    const le = Buffer.from(lines.join('\n'), 'utf16le');
    for (const [name, bytes, words] of [
      ['utf16le-nobom.log', le, 'little-endian'],
      ['utf16be-nobom.log', Buffer.from(le).swap16(), 'big-endian'],
    ] as const) {
      const report = await checkFile(write(name, bytes));
      assert.equal(report.read.lines, 100);
      assert.equal(report.entries, 100);
      assert.equal(report.read.encodingGuessed, true);
      assert.deepEqual(codes(report.problems), ['unusual-format']);
      assert.match(report.problems[0].message, new RegExp(`no byte order mark.*UTF-16 \\(${words}\\)`));
    }
  });
});

describe('a binary file with a .log name', () => {
  it('random bytes and a PNG: one problem per line at most, no entry, bounded memory', async () => {
    for (const png of [false, true]) {
      const bytes = binaryBytes(4 * MiB, png);
      const { value: report, rssGrowth } = await bounded(20_000, () => checkFile(write(png ? 'image.log' : 'random.log', bytes)));
      assert.equal(report.entries, 0);
      // About one line per 128 bytes (a line ends at \n and at a lone \r); each line that is not blank is reported once.
      assert.ok(report.read.lines > 20_000 && report.read.lines < 40_000, `${report.read.lines} lines`);
      const perLine = new Map<number, number>();
      for (const p of report.problems) perLine.set(p.line, (perLine.get(p.line) ?? 0) + 1);
      assert.ok([...perLine.values()].every((c) => c === 1));
      assert.ok(report.problems.length > report.read.lines * 0.95, `${report.problems.length} problems`);
      assert.ok(report.problems.every((p) => p.code === 'invalid-json' || p.code === 'not-an-object'));
      assert.ok(report.problems.every((p) => !/[\u0000-\u001f\u007f-\u009f]/.test(p.message)));
      assert.ok(rssGrowth < 200 * MiB, `memory grew by ${rssGrowth}`);
    }
    const report = await checkFile(join(FIXTURES, 'image.log'));
    assert.equal(report.entries, 0);
    assert.ok(report.problems.length >= 1 && report.problems.every((p) => p.code === 'invalid-json'));
    assert.match(report.problems[0].message, /PNG/);
  });
});

describe('gzip', () => {
  it('a bomb of 1 GiB of zeros is read with flat memory and ends in one over-long line', async () => {
    const path = write('bomb.log.gz', gzipBomb(1024 * MiB));
    const { value: report, rssGrowth } = await bounded(90_000, () => checkFile(path));
    assert.equal(report.read.textBytes, 1024 * MiB);
    assert.deepEqual(codes(report.problems), ['line-too-long']);
    assert.ok(rssGrowth < 200 * MiB, `memory grew by ${rssGrowth}`);
  });

  it('a decompression limit stops a bomb and says so', async () => {
    for (const fill of [0, 0x0a]) {
      const path = write('bomb.log.gz', gzipBomb(1024 * MiB, fill));
      const { value: report, rssGrowth } = await bounded(20_000, () => checkFile(path, { maxDecompressedBytes: 32 * MiB }));
      assert.equal(report.read.textBytes, 32 * MiB);
      const incomplete = report.problems.filter((p) => p.code === 'file-incomplete');
      assert.equal(incomplete.length, 1);
      assert.match(incomplete[0].message, /decompression stopped at the limit of 33\.6 MB/);
      if (fill === 0x0a) assert.equal(report.read.lines, 32 * MiB);
      assert.ok(rssGrowth < 200 * MiB, `memory grew by ${rssGrowth}`);
    }
  });

  it('a gzip file cut off: everything before the cut is read, the cut line and the early end are reported', async () => {
    const lines = generateLogLines(5000, { seed: 8 });
    const gz = gzipSync(lines.join('\n') + '\n');
    for (const fraction of [0.01, 0.5, 0.99]) {
      const { value: report } = await bounded(20_000, () =>
        checkFile(write('cut.log.gz', gz.subarray(0, Math.floor(gz.length * fraction)))),
      );
      const incomplete = report.problems.filter((p) => p.code === 'file-incomplete');
      assert.equal(incomplete.length, 1);
      assert.match(incomplete[0].message, /damaged or cut off/);
      assert.ok(report.entries > 0 && report.entries < 5000);
      const others = report.problems.filter((p) => p.code !== 'file-incomplete');
      // At most the line the cut went through is broken.
      assert.ok(others.length <= 1 && others.every((p) => p.line === report.read.lines - 1 && p.code === 'invalid-json'));
      assert.equal(report.entries + others.length, report.read.lines);
    }
    const fixture = await checkFile(join(FIXTURES, 'truncated.log.gz'));
    assert.deepEqual(codes(fixture.problems), ['invalid-json', 'file-incomplete']);
    assert.equal(fixture.entries, fixture.read.lines - 1);
  });

  it('a gzip header alone and a damaged stream are reported, not thrown', async () => {
    const header = await checkFile(write('header.log.gz', Buffer.from([0x1f, 0x8b])));
    assert.deepEqual(codes(header.problems), ['file-incomplete']);
    const gz = gzipSync(generateLogLines(2000, { seed: 9 }).join('\n'));
    for (let i = 100; i < gz.length - 8; i += 997) gz[i] ^= 0x5a;
    const { value: damaged } = await bounded(20_000, () => checkFile(write('damaged.log.gz', gz)));
    assert.equal(codes(damaged.problems).filter((c) => c === 'file-incomplete').length, 1);
  });
});

describe('a file that changes while it is read', () => {
  it('deleted after the first read: the open file is read to its end (Linux keeps it until it is closed)', async () => {
    const path = join(dir, 'deleted.log');
    const lines = writeGeneratedLog(path, 20 * MiB);
    let deleted = false;
    const options: CheckOptions = {
      chunkSize: 256 * 1024,
      onProgress: () => {
        if (!deleted) unlinkSync(path);
        deleted = true;
      },
    };
    const { value: report } = await bounded(20_000, () => checkFile(path, options));
    assert.ok(deleted && !existsSync(path));
    assert.deepEqual([report.read.lines, report.entries, report.problems.length], [lines, lines, 0]);
  });

  it('growing while read: the lines there at the start and those appended in whole are read, nothing is broken', async () => {
    const path = join(dir, 'growing.log');
    const lines = writeGeneratedLog(path, 10 * MiB);
    const extra = generateLogLines(500, { seed: 10 });
    let appends = 0;
    const options: CheckOptions = {
      chunkSize: 256 * 1024,
      onProgress: () => {
        if (appends < 20) (appendFileSync(path, extra.join('\n') + '\n'), appends++);
      },
    };
    const { value: report } = await bounded(20_000, () => checkFile(path, options));
    assert.equal(appends, 20);
    assert.ok(report.read.lines >= lines && report.read.lines <= lines + 20 * 500, `${report.read.lines} lines`);
    assert.equal(report.problems.length, 0);
    assert.equal(report.entries, report.read.lines);
  });

  it('emptied while read (a log rotated by truncation): the read ends and says the file was cut short', async () => {
    const path = join(dir, 'rotated.log');
    writeGeneratedLog(path, 10 * MiB);
    let emptied = false;
    const options: CheckOptions = {
      chunkSize: 256 * 1024,
      onProgress: () => {
        if (!emptied) writeFileSync(path, '');
        emptied = true;
      },
    };
    const { value: report } = await bounded(20_000, () => checkFile(path, options));
    assert.ok(report.entries > 0);
    // At most the cut line is invalid JSON; the file's end is reported after the last line read.
    const cut = report.problems.filter((p) => p.code === 'invalid-json');
    assert.ok(cut.length <= 1 && cut.every((p) => p.line === report.read.lines - 1));
    const incomplete = report.problems.filter((p) => p.code === 'file-incomplete');
    assert.equal(incomplete.length, 1);
    assert.equal(incomplete[0].line, report.read.lines);
    assert.match(incomplete[0].message, /cut short while it was read/);
    assert.equal(report.problems.length, cut.length + 1);
  });

  // Named pipes and a one-byte first read are POSIX behaviour.
  it(
    'a gzip log through a pipe that delivers its first byte alone is still recognised as gzip',
    { skip: process.platform === 'win32' },
    async () => {
      const fifo = join(dir, 'pipe.log.gz');
      assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
      const lines = generateLogLines(300, { seed: 11 });
      const gz = gzipSync('\uFEFF' + lines.join('\n'));
      const writer = (async (): Promise<void> => {
        const handle = await open(fifo, 'w');
        await handle.write(gz.subarray(0, 1));
        await new Promise((done) => setTimeout(done, 100));
        await handle.write(gz.subarray(1, 2));
        await new Promise((done) => setTimeout(done, 100));
        await handle.write(gz.subarray(2));
        await handle.close();
      })();
      const { value: report } = await bounded(20_000, () => checkFile(fifo));
      await writer;
      assert.ok(report.read.gzip);
      assert.deepEqual([report.read.lines, report.entries, report.problems.length], [300, 300, 0]);
    },
  );

  it('deleted between listing and reading: the reader rejects with the reason, which the CLI reports', async () => {
    const path = write('gone.log', generateLogLines(3).join('\n'));
    const { files } = await collectLogFiles([dir]);
    assert.ok(files.includes(path));
    unlinkSync(path);
    await assert.rejects(checkFile(path), { code: 'ENOENT' });
    await assert.rejects(
      readLogFile(path, () => undefined),
      { code: 'ENOENT' },
    );
  });
});

describe('paths that cannot be read', () => {
  const isRoot = process.getuid?.() === 0;
  /** Runs the CLI, as an unprivileged user when the tests run as root (root reads everything). */
  const cli = (args: string[], unprivileged = false): { status: number | null; stdout: string; stderr: string } => {
    assert.ok(existsSync(CLI), `${CLI} is missing: run npm run build first`);
    const run = spawnSync(process.execPath, [CLI, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      ...(unprivileged && isRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  };

  it(
    `a folder and a file without read permission${isRoot ? ' (the CLI run as user nobody, since root ignores permissions)' : ''}`,
    { skip: process.platform === 'win32' },
    () => {
      chmodSync(dir, 0o755);
      const locked = join(dir, 'locked');
      mkdirSync(locked, { recursive: true });
      writeFileSync(join(locked, 'a.log'), generateLogLines(2).join('\n'));
      const secret = write('secret.log', generateLogLines(2).join('\n'));
      chmodSync(locked, 0o000);
      chmodSync(secret, 0o000);
      try {
        const run = cli(['check', locked, secret], true);
        assert.equal(run.status, 2, run.stderr);
        assert.match(run.stderr, new RegExp(`cannot read ${escapeRegExp(locked)}: permission denied`));
        assert.match(run.stderr, new RegExp(`cannot read ${escapeRegExp(secret)}: permission denied`));
      } finally {
        chmodSync(locked, 0o755);
        chmodSync(secret, 0o644);
      }
    },
  );

  it('a path that does not exist, and a file where a folder is expected', async () => {
    const missing = join(dir, 'no-such-file.log');
    const notADir = join(write('plain.log', generateLogLines(1)[0]), 'inner.log');
    const { files, unreadable } = await collectLogFiles([missing, notADir]);
    assert.deepEqual(files, []);
    assert.deepEqual(unreadable[0], { path: missing, reason: 'no such file or directory' });
    assert.equal(unreadable[1].path, notADir);
    assert.match(unreadable[1].reason, /not a directory/);
    const run = cli(['check', missing, notADir]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, new RegExp(`cannot read ${escapeRegExp(missing)}: no such file or directory`));
    assert.match(run.stderr, new RegExp(`cannot read ${escapeRegExp(notADir)}: .*not a directory`));
  });

  it('the CLI end to end: exit 0 for a clean file, 1 for errors, 2 when a file cannot be read', () => {
    const clean = write('clean.log', generateLogLines(20, { seed: 12 }).join('\n') + '\n');
    const ok = cli(['check', '--json', clean]);
    assert.equal(ok.status, 0, ok.stderr);
    const json = JSON.parse(ok.stdout) as { files: Array<{ path: string; entries: number; problems: unknown[] }> };
    assert.deepEqual(
      json.files.map((f) => [f.path, f.entries, f.problems.length]),
      [[clean, 20, 0]],
    );

    const bomb = write('bomb.log.gz', gzipBomb(256 * MiB));
    const bad = cli(['check', '--json', '--max-decompressed', '8', bomb, join(FIXTURES, 'image.log')]);
    assert.equal(bad.status, 1, bad.stderr);
    const report = JSON.parse(bad.stdout) as { files: Array<{ problems: Array<{ code: string; message: string }> }> };
    assert.ok(
      report.files[0].problems.some((p) => p.code === 'file-incomplete' && /decompression stopped at the limit of 8\.4 MB/.test(p.message)),
    );
    assert.ok(report.files[1].problems.every((p) => p.code === 'invalid-json'));

    const missing = join(dir, 'missing.log');
    const gone = cli(['check', clean, missing]);
    assert.equal(gone.status, 2);
    assert.match(gone.stderr, new RegExp(`cannot read ${escapeRegExp(missing)}: no such file or directory`));
    assert.match(gone.stdout, /1 file .* 20 entries: 0 errors/);
    // Hostile bytes never reach the terminal as control characters.
    const hostile = write(
      'hostile.log',
      '{"a":\u001bc}\n' +
        JSON.stringify({
          firewall_name: 'fw',
          availability_zone: 'a',
          event_timestamp: 1,
          event: { event_type: '\u001b]52;c;AAAA\u0007' },
        }) +
        '\n',
    );
    const text = cli(['check', hostile]);
    assert.equal(text.status, 1);
    assert.doesNotMatch(text.stdout.replace(/\n/g, ''), /[\u0000-\u001f\u007f-\u009f]/);
    assert.match(text.stdout, /\\u001b\]52;c;AAAA\\u0007/);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
