/**
 * Where an open document is parsed: on the worker thread (core/parseWorker.ts, as the editor does for a big
 * log) against in short steps on this thread (LogModel.resetInSteps, 25 lines a step, steps run in turns
 * of 8 ms as the editor's queue does). For each: wall time, the time this thread was busy (event-loop
 * utilisation), and the longest this thread's event loop was held (monitorEventLoopDelay). The two
 * alternate on the same lines. Needs the bundles: `node scripts/build.mjs` first.
 *
 *   node out/bench/parseWorker.js [--mb 30] [--rounds 5]
 */
import { resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { LogModel } from '../src/core/document/logModel';
import { DocumentParseWorker, type LineSource } from '../src/core/threads/parseWorker';
import { generateLogLines } from './generate';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SIZE_MB = arg('--mb', 30);
const ROUNDS = arg('--rounds', 5);
const TURN_MS = 8;
const LINES_PER_STEP = 25;

interface Figures {
  ms: number;
  busyMs: number;
  maxDelayMs: number;
}

async function measure(run: () => Promise<void>): Promise<Figures> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const elu = performance.eventLoopUtilization();
  histogram.enable();
  const started = performance.now();
  await run();
  const ms = performance.now() - started;
  histogram.disable();
  const used = performance.eventLoopUtilization(elu);
  return { ms, busyMs: used.active, maxDelayMs: histogram.max / 1e6 };
}

/** The steps of a parse run in turns of {@link TURN_MS}, a new turn of the event loop each. */
function inTurns(steps: Iterator<unknown>): Promise<void> {
  return new Promise((done) => {
    const turn = (): void => {
      const end = performance.now() + TURN_MS;
      while (performance.now() < end) {
        if (steps.next().done) {
          done();
          return;
        }
      }
      setImmediate(turn);
    };
    turn();
  });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const lines = generateLogLines(Math.round((SIZE_MB * 1024 * 1024) / 370), { seed: 7, malformed: 0.01 });
  const chars = lines.reduce((n, l) => n + l.length + 1, 0);
  console.log(`${lines.length} lines, ${(chars / 1024 / 1024).toFixed(1)} Mi characters; ${ROUNDS} rounds, alternating`);
  const worker = new DocumentParseWorker(resolve(__dirname, '..', '..', 'dist', 'worker.js'));
  const source: LineSource = { lineCount: lines.length, eol: '\n', readLines: (start, end) => lines.slice(start, end).join('\n') };
  const results: Record<'worker' | 'here', Figures[]> = { worker: [], here: [] };
  // One parse each first, so that the worker has started and both paths are compiled.
  for (let round = -1; round < ROUNDS; round++) {
    const onWorker = await measure(async () => {
      const model = new LogModel();
      const reset = model.startReset(lines.length);
      await worker.parse(source, {}, (parsed) => reset.add(parsed));
      reset.finish((i) => lines[i]);
    });
    const here = await measure(() => inTurns(new LogModel().resetInSteps(lines.length, (i) => lines[i], LINES_PER_STEP)));
    if (round < 0) continue;
    results.worker.push(onWorker);
    results.here.push(here);
  }
  worker.dispose();
  const row = (name: string, f: Figures[]): string =>
    `${name.padEnd(34)} ${median(f.map((x) => x.ms))
      .toFixed(0)
      .padStart(6)} ms  busy ${median(f.map((x) => x.busyMs))
      .toFixed(0)
      .padStart(5)} ms  ` +
    `longest hold ${median(f.map((x) => x.maxDelayMs))
      .toFixed(1)
      .padStart(5)} ms (max ${Math.max(...f.map((x) => x.maxDelayMs)).toFixed(1)})`;
  console.log('medians:');
  console.log(row('on the worker thread', results.worker));
  console.log(row(`here, ${LINES_PER_STEP}-line steps in ${TURN_MS} ms turns`, results.here));
  const w = results.worker;
  const h = results.here;
  console.log(
    `worker / here: wall ${(median(w.map((x) => x.ms)) / median(h.map((x) => x.ms))).toFixed(2)}x, ` +
      `this thread busy ${(median(w.map((x) => x.busyMs)) / median(h.map((x) => x.busyMs))).toFixed(2)}x`,
  );
}

void main();
