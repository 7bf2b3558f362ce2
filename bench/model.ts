/**
 * What an open document's model costs: LogModel.reset (entries read and counted, three small numbers kept
 * per line) against the same parse keeping every line's entry, as the model did before. For each: time,
 * heap kept once the parse is done, and time spent in garbage collection during the parse. The two
 * alternate on the same lines, each round in a fresh heap state (a full collection first).
 *
 *   node out/bench/model.js [--mb 30] [--rounds 5]
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { analyzeLine } from '../src/core/parse/analyze';
import { LogModel } from '../src/core/document/logModel';
import type { TlsEntry } from '../src/core/parse/types';
import { generateLogLines } from './generate';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const MB = 1024 * 1024;
const SIZE_MB = arg('--mb', 30);
const ROUNDS = arg('--rounds', 5);

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

interface Figures {
  ms: number;
  keptMB: number;
  gcMs: number;
}

async function measure(run: () => unknown): Promise<{ figures: Figures; kept: unknown }> {
  const before = heapAfterGc();
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  observer.observe({ entryTypes: ['gc'] });
  const started = performance.now();
  const kept = run();
  const ms = performance.now() - started;
  // Collections that ran during the parse are reported on a later turn: wait for them before the final GC.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  const keptMB = (heapAfterGc() - before) / MB;
  return { figures: { ms, keptMB, gcMs }, kept };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  // Lines as the extension host holds a document's: each a string of its own.
  const lines = JSON.parse(JSON.stringify(generateLogLines(Math.round((SIZE_MB * MB) / 370), { seed: 3, malformed: 0.01 }))) as string[];
  const bytes = lines.reduce((n, l) => n + l.length + 1, 0);
  console.log(
    `Open document's model on ${lines.length} lines (${(bytes / MB).toFixed(0)} MB), node ${process.version}, medians of ${ROUNDS} rounds, alternating\n`,
  );
  const keptEntries = (): unknown => {
    const entries: Array<TlsEntry | undefined> = new Array(lines.length);
    for (let i = 0; i < lines.length; i++) entries[i] = analyzeLine(lines[i], i).entry;
    return entries;
  };
  const model = (): unknown => {
    const m = new LogModel();
    m.reset(lines.length, (i) => lines[i]);
    return m;
  };
  const results: Record<'entries' | 'model', Figures[]> = { entries: [], model: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of [
      ['entries', keptEntries],
      ['model', model],
    ] as const) {
      const { figures, kept } = await measure(run);
      results[name].push(figures);
      // Dropped before the next measurement.
      void kept;
    }
  }
  const row = (label: string, f: Figures[]): string =>
    `${label.padEnd(44)} ${median(f.map((x) => x.ms))
      .toFixed(0)
      .padStart(6)} ms  ${median(f.map((x) => x.keptMB))
      .toFixed(1)
      .padStart(6)} MB kept  ${median(f.map((x) => x.gcMs))
      .toFixed(0)
      .padStart(5)} ms in GC`;
  console.log(row('baseline: every line parsed, entries kept', results.entries));
  console.log(row('LogModel.reset: kinds, SNI ids, counts kept', results.model));
  const m = (k: 'entries' | 'model', f: (x: Figures) => number): number => median(results[k].map(f));
  console.log(
    `\nLogModel.reset takes ${(m('model', (x) => x.ms) / m('entries', (x) => x.ms)).toFixed(2)}× the baseline's time, keeps ` +
      `${(m('model', (x) => x.keptMB) / m('entries', (x) => x.keptMB)).toFixed(3)}× its heap and spends ` +
      `${(
        m('model', (x) => x.gcMs) /
        Math.max(
          0.1,
          m('entries', (x) => x.gcMs),
        )
      ).toFixed(2)}× its time in GC.`,
  );
}

void main();
