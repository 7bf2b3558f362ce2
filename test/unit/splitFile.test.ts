/**
 * One file read in byte ranges (core/read/byteRanges.ts, core/report/fileCheck.ts, core/threads/splitFile.ts)
 * gives what one pass over it gives: the same report (problems in line order with the file's line numbers,
 * the SNI counts, the read summary), the same capped problem list and counts in entries mode, and the same
 * entries in the same order. Checked on the samples and on generated files with malformed lines, CRLF and
 * lone CR, a byte order mark, invalid UTF-8 at line ends, lines longer than a part, no final line break,
 * for every cut point, and through the worker pool and the CLI. The pool tests need the bundles
 * (`node scripts/build.mjs` first).
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { generateLogLines } from '../../bench/generate';
import { awkwardLog, invalidUtf8Log } from '../../bench/pathological';
import type { EntryBatch } from '../../src/core/parse/entryBatch';
import type { LineEntry } from '../../src/core/parse/types';
import { lineAlignedRanges, splittable } from '../../src/core/read/byteRanges';
import type { ByteRange } from '../../src/core/read/lines';
import { checkFile, checkLines, mergeParts, type LineCheckOptions, type ScanMode } from '../../src/core/report/fileCheck';
import { toJsonReport } from '../../src/core/report/report';
import { scanFiles } from '../../src/core/threads/scanPool';
import { SplitFile } from '../../src/core/threads/splitFile';
import { batchToRefs } from './lineEntries';
import { tempFiles } from './tempFiles';

const WORKER = resolve('dist', 'worker.js');
const CLI = resolve('dist', 'cli.js');
const MiB = 1024 * 1024;

/** What a check of a file gives in a mode: the report, the counts and every entry with its line. */
interface Outcome {
  report: unknown;
  counts: unknown;
  entries: LineEntry[];
}

/** One pass over the whole file. */
async function whole(path: string, options: LineCheckOptions): Promise<Outcome> {
  const entries: LineEntry[] = [];
  const part = await checkLines(path, { ...options, onBatch: (b) => entries.push(...batchToRefs(b)) });
  return { ...mergeParts(path, [part], options), entries };
}

/**
 * The file read in `ranges`, the parts finishing in the order `finishOrder` (a permutation of the parts):
 * the entries pass through a SplitFile, which holds those of later parts until the earlier ones are done.
 */
async function inParts(path: string, ranges: readonly ByteRange[], options: LineCheckOptions, finishOrder?: number[]): Promise<Outcome> {
  const entries: LineEntry[] = [];
  const split = new SplitFile(ranges.length, (b: EntryBatch) => entries.push(...batchToRefs(b)));
  const results = await Promise.all(
    ranges.map(async (range) => {
      const batches: EntryBatch[] = [];
      const part = await checkLines(path, { ...options, range, onBatch: (b) => batches.push(b) });
      return { part, batches };
    }),
  );
  let done = false;
  for (const i of finishOrder ?? ranges.map((_, i) => i)) {
    for (const b of results[i].batches) split.entries(i, b);
    done = split.partDone(i, results[i].part);
  }
  assert.ok(done);
  return { ...split.report(path, options), entries };
}

const MODES: Array<{ name: string; options: LineCheckOptions }> = [
  { name: 'summary', options: { mode: 'summary' } },
  { name: 'entries, 3 problems of each severity kept', options: { mode: 'entries', maxProblems: 3 } },
  { name: 'summary, lines over 600 characters not read', options: { mode: 'summary', maxLineLength: 600 } },
  { name: 'entries, lines over 600 characters not read', options: { mode: 'entries', maxProblems: 5, maxLineLength: 600 } },
];

/** Asserts that the file read in `ranges` gives what one pass gives, in every mode. */
async function assertSame(path: string, ranges: readonly ByteRange[], label: string, finishOrder?: number[]): Promise<void> {
  for (const { name, options } of MODES) {
    const one = await whole(path, options);
    const split = await inParts(path, ranges, options, finishOrder);
    assert.deepEqual(split, one, `${label}, ${name}, ranges ${JSON.stringify(ranges)}`);
  }
}

/** The offsets just after each `\n` byte: every place a file can be cut. */
function cutPoints(bytes: Buffer): number[] {
  const cuts: number[] = [];
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) if (i + 1 < bytes.length) cuts.push(i + 1);
  return cuts;
}

describe('a file read in parts gives what one pass gives', () => {
  const files = tempFiles('nfw-split-');

  it('cut after every line end of an awkward log (BOM, CRLF, lone CR, invalid UTF-8, long lines), in two parts and in three', async () => {
    const bytes = awkwardLog();
    const path = files.file(bytes);
    const cuts = cutPoints(bytes);
    assert.ok(cuts.length >= 15);
    for (const cut of cuts)
      await assertSame(
        path,
        [
          { start: 0, end: cut },
          { start: cut, end: bytes.length },
        ],
        `cut at ${cut}`,
      );
    for (let i = 0; i < cuts.length; i++)
      for (let j = i + 1; j < cuts.length; j += 3) {
        const ranges = [
          { start: 0, end: cuts[i] },
          { start: cuts[i], end: cuts[j] },
          { start: cuts[j], end: bytes.length },
        ];
        // Parts finish out of order: the later ones first.
        await assertSame(path, ranges, `cuts at ${cuts[i]} and ${cuts[j]}`, [2, 1, 0]);
      }
  });

  it('every part size from 1 byte to past the longest line, as lineAlignedRanges cuts', async () => {
    const bytes = awkwardLog();
    const path = files.file(bytes);
    for (let partBytes = 1; partBytes <= 1300; partBytes += partBytes < 80 ? 1 : 37) {
      const ranges = await lineAlignedRanges(path, bytes.length, partBytes);
      assert.equal(ranges[0].start, 0);
      assert.equal(ranges[ranges.length - 1].end, bytes.length);
      for (let i = 0; i < ranges.length; i++) {
        const r = ranges[i];
        if (i > 0) assert.equal(r.start, ranges[i - 1].end);
        // Each part ends at a line end (or the end of the file) and is at least partBytes long unless it is the last.
        assert.ok(r.end === bytes.length || bytes[r.end - 1] === 10, `part ${i} of ${partBytes} bytes ends inside a line`);
        assert.ok(r.end === bytes.length || r.end - r.start >= partBytes);
      }
      await assertSame(path, ranges, `parts of ${partBytes} bytes`);
    }
  });

  it('a part that starts with the bytes of a byte order mark reads them as text, not as a mark', async () => {
    const lines = generateLogLines(3, { seed: 8 });
    const bytes = Buffer.concat([Buffer.from(`${lines[0]}\n`), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines[1]}\n${lines[2]}\n`)]);
    const path = files.file(bytes);
    const cut = lines[0].length + 1;
    await assertSame(
      path,
      [
        { start: 0, end: cut },
        { start: cut, end: bytes.length },
      ],
      'BOM bytes at a part start',
    );
    const second = await checkLines(path, { mode: 'summary', range: { start: cut, end: bytes.length } });
    assert.equal(second.read.textBytes, bytes.length - cut, 'the three bytes are text of the part');
  });

  it('an empty part list is never made: an empty file, a file of one line and a file of line breaks', async () => {
    assert.deepEqual(await lineAlignedRanges(files.file(''), 0, 10), []);
    const one = files.file('{"no":"line break"}');
    assert.deepEqual(await lineAlignedRanges(one, 19, 4), [{ start: 0, end: 19 }]);
    const breaks = Buffer.from('\n\r\n\n\r\r\n\n');
    const path = files.file(breaks);
    for (let partBytes = 1; partBytes <= breaks.length; partBytes++)
      await assertSame(path, await lineAlignedRanges(path, breaks.length, partBytes), `line breaks, parts of ${partBytes}`);
  });

  it('a generated log with malformed lines and invalid UTF-8, CRLF and LF mixed, in parts of many sizes', async () => {
    const { bytes } = invalidUtf8Log(600, 12);
    const generated = Buffer.from(`${generateLogLines(900, { seed: 31, malformed: 0.08 }).join('\n')}\n`);
    for (const content of [bytes, generated]) {
      const path = files.file(content);
      for (const partBytes of [1000, 4096, 20_000, 65_536, 100_000]) {
        await assertSame(
          path,
          await lineAlignedRanges(path, content.length, partBytes),
          `${content.length} bytes in parts of ${partBytes}`,
        );
      }
    }
  });

  it('the samples, cut after every line end', async () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
    const samples = walk(resolve('samples')).filter((p) => p.endsWith('.log'));
    assert.ok(samples.length >= 2);
    for (const path of samples) {
      assert.ok(await splittable(path));
      const size = statSync(path).size;
      const step = Math.max(1, Math.floor(size / 40));
      for (let partBytes = 1; partBytes < size; partBytes += step)
        await assertSame(path, await lineAlignedRanges(path, size, partBytes), `${path}, parts of ${partBytes}`);
    }
  });

  it('random logs cut at random line ends (fast-check)', async () => {
    const pieces = generateLogLines(40, { seed: 77, malformed: 0.15 });
    const piece = fc.oneof(
      fc.constantFrom(...pieces),
      fc.constantFrom('', '{', '{"event":{}}', 'é', '\u{1F600}', '"sni":"x"}'),
      fc.nat(pieces.length - 1).map((i) => pieces[i].slice(0, 30)),
    );
    const lineEnd = fc.constantFrom('\n', '\r\n', '\r', '\n\n', '\r\r\n');
    const oddBytes = fc.constantFrom(Buffer.alloc(0), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xe2, 0x82]), Buffer.from([0xff]));
    const log = fc
      .tuple(fc.boolean(), fc.array(fc.tuple(piece, oddBytes, lineEnd), { minLength: 1, maxLength: 25 }), fc.boolean())
      .map(([bom, lines, lastBreak]) => {
        const out: Buffer[] = bom ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
        lines.forEach(([text, odd, end], i) => {
          out.push(Buffer.from(text), odd);
          if (i < lines.length - 1 || lastBreak) out.push(Buffer.from(end));
        });
        return Buffer.concat(out);
      });
    await fc.assert(
      fc.asyncProperty(log, fc.array(fc.nat(), { maxLength: 4 }), async (bytes, picks) => {
        const path = files.file(bytes);
        const cuts = cutPoints(bytes);
        const chosen = [...new Set(picks.map((p) => cuts[p % Math.max(1, cuts.length)]).filter((c) => c !== undefined))].sort(
          (a, b) => a - b,
        );
        const bounds = [0, ...chosen, bytes.length];
        const ranges = bounds.slice(1).map((end, i) => ({ start: bounds[i], end }));
        if (bytes.length === 0) return;
        const order = ranges.map((_, i) => i).reverse();
        await assertSame(path, ranges, `random log ${JSON.stringify(bytes.toString('latin1'))}`, order);
      }),
      { numRuns: 150 },
    );
  });

  it('a UTF-16 or gzip file is not split', async () => {
    assert.equal(await splittable(files.file(Buffer.from('\ufeff{"a":1}\n', 'utf16le'))), false);
    assert.equal(await splittable(files.file(Buffer.from('{"event":{"a":1}}\n', 'utf16le'))), false);
    assert.equal(await splittable(files.file(Buffer.from([0x1f, 0x8b, 8, 0]))), false);
    assert.equal(await splittable(files.file(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d, 0x0a]))), true);
  });
});

describe('a big file split across the worker pool', () => {
  const files = tempFiles('nfw-split-pool-');
  let big: string;
  let bytes: Buffer;

  before(() => {
    assert.ok(existsSync(WORKER) && existsSync(CLI), 'dist/worker.js or dist/cli.js is missing: build first');
    const lines = generateLogLines(6000, { seed: 41, malformed: 0.03 });
    // A few lines longer than a part, CRLF here and there, and a BOM.
    for (let i = 500; i < lines.length; i += 1700) lines[i] = lines[i].replace('"event":{', `"pad":"${'p'.repeat(70_000)}","event":{`);
    bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.map((l, i) => l + (i % 7 === 0 ? '\r\n' : '\n')).join(''))]);
    big = files.file(bytes);
  });

  const split = { splitBytes: 100_000, partBytes: 64 * 1024 };

  for (const mode of ['summary', 'entries'] as ScanMode[]) {
    it(`${mode} mode: the same report, counts and entries (in order) as the file read whole`, async () => {
      const run = async (options: { splitBytes: number; partBytes?: number }): Promise<Outcome> => {
        const entries: LineEntry[] = [];
        let counts: unknown;
        const result = await scanFiles([big], {
          workerPath: WORKER,
          threads: 2,
          mode,
          maxProblems: 50,
          ...options,
          onEntries: (_i, _p, b) => entries.push(...batchToRefs(b)),
          onFile: (f) => (counts = f.counts),
        });
        assert.equal(result.length, 1);
        return { report: result[0], counts, entries };
      };
      const one = await run({ splitBytes: Number.POSITIVE_INFINITY });
      const parts = await run(split);
      assert.deepEqual(parts, one);
      assert.ok((one.report as { entries: number }).entries > 5000);
      if (mode === 'summary') assert.deepEqual(one.report, await checkFile(big));
    });
  }

  it('a folder with one big file among small ones: each file as when read whole', async () => {
    const small = [0, 1, 2].map((s) => files.file(`${generateLogLines(30 + s, { seed: s, malformed: 0.2 }).join('\n')}\n`));
    const list = [small[0], big, small[1], small[2]];
    const seen: number[] = [];
    const result = await scanFiles(list, { workerPath: WORKER, threads: 2, ...split, onFile: (f) => seen.push(f.index) });
    assert.deepEqual([...result], await Promise.all(list.map((p) => checkFile(p))));
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3]);
  });

  it('progress counts the bytes of the parts up to the file size', async () => {
    let last = 0;
    await scanFiles([big], {
      workerPath: WORKER,
      threads: 2,
      ...split,
      sizes: [bytes.length],
      onProgress: (p) => (last = p.bytesRead),
    });
    assert.equal(last, bytes.length);
  });

  it('cancelling a split scan resolves at once, without a report of the file', async () => {
    const controller = new AbortController();
    let batches = 0;
    const result = await scanFiles([big], {
      workerPath: WORKER,
      threads: 2,
      mode: 'entries',
      ...split,
      signal: controller.signal,
      onEntries: () => {
        if (++batches === 1) controller.abort();
      },
    });
    assert.equal(result.cancelled, true);
    assert.equal(result.length, 0);
  });

  it('a file shorter than when its parts were planned is reported as cut short, not as read whole', async () => {
    // The sizes say 1 MB more than the file holds, as if it had shrunk between the planning and the reading.
    const result = await scanFiles([big], { workerPath: WORKER, threads: 2, ...split, sizes: [bytes.length + MiB] });
    const incomplete = result[0].problems.filter((p) => p.code === 'file-incomplete');
    assert.equal(incomplete.length, 1);
    assert.match(incomplete[0].message, /cut short while it was read/);
    assert.equal(result[0].entries, (await checkFile(big)).entries);
  });

  it('the CLI checks one big file on the workers, with the same JSON as one pass', async () => {
    // Past the CLI's split size (16 MiB): the same generated lines written over and over.
    const base = Buffer.from(`${generateLogLines(4000, { seed: 5, malformed: 0.02 }).join('\n')}\n`);
    const copies = Math.ceil((17 * MiB) / base.length);
    const path = files.file(Buffer.concat(new Array<Buffer>(copies).fill(base)));
    const run = spawnSync(process.execPath, [CLI, 'check', '--json', path], { encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * MiB });
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, `${JSON.stringify(toJsonReport([await checkFile(path)]))}\n`);
  });
});
