/**
 * Parsing a document's text on the worker thread (core/parseWorker.ts with dist/worker.js): the model it
 * fills matches every line analysed on its own and a parse on this thread, with either line break, while
 * several documents are parsed at once; a parse can stop; a worker that fails says so.
 * Needs the bundles: `node scripts/build.mjs` first.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateLogLines } from '../../bench/generate';
import type { EntryBatch } from '../../src/core/parse/entryBatch';
import { batchToRefs } from './lineEntries';
import { LogModel } from '../../src/core/document/logModel';
import { DocumentParseWorker, type LineSource, type ParseOutcome } from '../../src/core/threads/parseWorker';
import { lowerThreadPriority } from '../../src/core/threads/threadPriority';
import { assertMatchesLines } from './modelCheck';

const WORKER = resolve('dist', 'worker.js');

/** Generated lines with damaged ones among them, blank lines and a line with a BOM. */
function sampleLines(count: number, seed: number): string[] {
  const lines = generateLogLines(count, { seed, malformed: 0.05 });
  for (let i = 37; i < lines.length; i += 97) lines[i] = lines[i].slice(0, -9);
  for (let i = 50; i < lines.length; i += 400) lines[i] = '';
  lines[0] = `\uFEFF${lines[0]}`;
  return lines;
}

function sourceOf(lines: readonly string[], eol: string, reads?: Array<[number, number]>): LineSource {
  return {
    lineCount: lines.length,
    eol,
    readLines: (start, end) => {
      reads?.push([start, end]);
      return lines.slice(start, end).join(eol);
    },
  };
}

/** Parses on the worker into a new model; the entry batches in the order they came. */
async function parseOnWorker(
  worker: DocumentParseWorker,
  lines: readonly string[],
  eol = '\n',
  stopped?: () => boolean,
): Promise<{ model: LogModel; outcome: ParseOutcome; batches: EntryBatch[]; runs: number }> {
  const model = new LogModel();
  const reset = model.startReset(lines.length);
  const batches: EntryBatch[] = [];
  let runs = 0;
  const outcome = await worker.parse(
    sourceOf(lines, eol),
    {},
    (parsed, entries) => {
      runs++;
      reset.add(parsed);
      batches.push(entries);
    },
    stopped,
  );
  if (outcome === 'done') reset.finish((i) => lines[i]);
  return { model, outcome, batches, runs };
}

describe('parsing a document on the worker thread', () => {
  let worker: DocumentParseWorker;
  before(() => {
    assert.ok(existsSync(WORKER), 'dist/worker.js is missing: build first');
    worker = new DocumentParseWorker(WORKER);
  });
  after(() => worker.dispose());

  it('fills the model as a parse on this thread does, run by run, with either line break', async () => {
    const lines = sampleLines(12_000, 11);
    const here = new LogModel();
    here.reset(lines.length, (i) => lines[i]);
    for (const eol of ['\n', '\r\n']) {
      const { model, outcome, batches, runs } = await parseOnWorker(worker, lines, eol);
      assert.equal(outcome, 'done');
      assert.ok(runs > 3, `${runs} runs`);
      assertMatchesLines(model, lines, `(line break ${JSON.stringify(eol)})`);
      assert.deepEqual(model.problems(), here.problems(), 'problems');
      assert.deepEqual({ ...model.problemCounts() }, { ...here.problemCounts() });
      // Every entry is handed over once, in line order, with the fields the SNI view groups by.
      const handed = batches.flatMap(batchToRefs);
      const expected = [...here.entries()];
      assert.deepEqual(
        handed.map((r) => [r.line, r.entry.sni, r.entry.status, r.entry.kind]),
        expected.map((r) => [r.line, r.entry.sni, r.entry.status, r.entry.kind]),
      );
    }
  });

  it('parses several documents at once, each into its own model', async () => {
    const docs = [sampleLines(6000, 1), sampleLines(9000, 2), sampleLines(3000, 3)];
    const results = await Promise.all(docs.map((lines) => parseOnWorker(worker, lines)));
    results.forEach(({ model, outcome }, k) => {
      assert.equal(outcome, 'done');
      assertMatchesLines(model, docs[k], `(document ${k})`);
    });
  });

  it('reads the text out in runs of some 256 Ki characters, in order and without gaps', async () => {
    const short = sampleLines(20_000, 4);
    const reads: Array<[number, number]> = [];
    const model = new LogModel();
    const reset = model.startReset(short.length);
    assert.equal(await worker.parse(sourceOf(short, '\n', reads), {}, (parsed) => reset.add(parsed)), 'done');
    // Runs cover the document once, in order, without gaps.
    assert.equal(reads[0][0], 0);
    for (let k = 1; k < reads.length; k++) assert.equal(reads[k][0], reads[k - 1][1]);
    assert.equal(reads[reads.length - 1][1], short.length);
    // After the first run, each holds some 256 Ki characters.
    for (const [start, end] of reads.slice(1, -1)) {
      const chars = short.slice(start, end).join('\n').length;
      assert.ok(chars > 150_000 && chars < 400_000, `a run of ${chars} characters`);
    }
  });

  it('stops when told, after the runs already sent, and leaves the model as it was', async () => {
    const lines = sampleLines(20_000, 5);
    const model = new LogModel();
    model.reset(1, () => '{');
    const reset = model.startReset(lines.length);
    let runs = 0;
    const outcome = await worker.parse(
      sourceOf(lines, '\n'),
      {},
      (parsed) => {
        runs++;
        reset.add(parsed);
      },
      () => runs >= 2,
    );
    assert.equal(outcome, 'stopped');
    assert.ok(runs >= 2 && runs <= 4, `${runs} runs came back`);
    assert.equal(model.lineCount, 1);
    assert.equal(model.problemCounts().error, 1);
    // The worker goes on serving other parses.
    const next = await parseOnWorker(worker, lines.slice(0, 3000));
    assert.equal(next.outcome, 'done');
    assertMatchesLines(next.model, lines.slice(0, 3000));
  });

  it('fails a parse whose text does not hold the lines it should, and goes on with the next', async () => {
    const lines = sampleLines(3000, 6);
    const wrong: LineSource = {
      ...sourceOf(lines, '\n'),
      readLines: (start, end) => lines.slice(start, end).join('\r\n') + (start === 0 ? '\nextra' : ''),
    };
    await assert.rejects(
      worker.parse(wrong, {}, () => undefined),
      /expected 500 lines from line 1, got 501/,
    );
    const next = await parseOnWorker(worker, lines);
    assertMatchesLines(next.model, lines);
  });

  it('runs at a lower priority than the thread that started it', async () => {
    await parseOnWorker(worker, sampleLines(100, 8));
    const niceOf = (tid: string): number => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Field 19 is the nice value; the fields after the command name (in parentheses) start at field 3.
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    };
    if (process.platform !== 'linux') {
      assert.equal(lowerThreadPriority(10), false);
      return;
    }
    const nice = readdirSync('/proc/self/task').map(niceOf);
    assert.equal(niceOf(String(process.pid)), 0);
    assert.ok(nice.includes(10), `nice values of this process's threads: ${nice.join(', ')}`);
  });

  it('fails every parse when the worker cannot start', async () => {
    const broken = new DocumentParseWorker(resolve('dist', 'no-such-worker.js'));
    try {
      await assert.rejects(
        broken.parse(sourceOf(sampleLines(10, 7), '\n'), {}, () => undefined),
        /Cannot find module|no-such-worker/,
      );
    } finally {
      broken.dispose();
    }
  });
});
