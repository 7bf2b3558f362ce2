/**
 * What the navigation commands (next/previous problem, next/previous revoked or unknown entry, go to entry
 * by time) cost on the extension host for a big document: for each, the longest stretch it holds the
 * thread and the total time of its work over the document's model, done at once (the synchronous core
 * functions) and in steps (the generators the editor runs on its slice queue, one `next()` per step).
 *
 *   node out/bench/navigation.js [log file, default bench/data/plain-40MB-edit.log (generated when missing)]
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LogModel } from '../src/core/document/logModel';
import {
  bucketDetailsInSteps,
  countByKind,
  entryAtTime,
  findLine,
  findLineInSteps,
  finerWidths,
  hasProblems,
  isRevokedOrUnknown,
  timedEntries,
  timedEntriesInSteps,
  timePickLevel,
  timePickLevelInSteps,
  TIME_PICK_LIMIT,
  type LineFilter,
  type LineResults,
  type TimedEntry,
  type TimePickLevel,
} from '../src/core/document/navigation';
import { entryOutcome, formatEntryTime, sniText, thousands } from '../src/core/text';
import { writeLog } from './generate';

const MB = 1024 * 1024;
const DEFAULT_LOG = resolve('bench', 'data', 'plain-40MB-edit.log');
/** Cursor positions tried per search, spread evenly over the document. */
const STARTS = 50;
const ROUNDS = 7;
/** Entries the editor writes into quick pick items per step (ITEMS_PER_STEP in src/editor/navigation.ts). */
const ENTRY_ITEMS_PER_STEP = 250;

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * How long a piece of work held the thread: its longest uninterrupted stretch, and all of it, in wall time.
 * On a busy machine a stretch also holds the time other processes had the core: the load average is printed.
 */
interface Cost {
  longest: number;
  /** The median stretch: what a step takes when nothing else gets in. */
  typical: number;
  total: number;
  steps: number;
}

/** Work done in one go. */
function atOnce(fn: () => unknown): Cost {
  return inSteps(
    (function* () {
      fn();
    })(),
  );
}

/** Stepped work run to its end, each step timed as the slice queue runs it: one `next()` at a time. */
function inSteps<T>(steps: Generator<unknown, T, void>, done?: (value: T) => void): Cost {
  const stretches: number[] = [];
  for (;;) {
    const start = performance.now();
    const next = steps.next();
    stretches.push(performance.now() - start);
    if (next.done) {
      done?.(next.value);
      return costOf(stretches);
    }
  }
}

function costOf(stretches: number[]): Cost & { stretches: number[] } {
  return {
    longest: Math.max(...stretches),
    typical: median(stretches),
    total: stretches.reduce((n, t) => n + t, 0),
    steps: stretches.length - 1,
    stretches,
  };
}

/** Costs of work done in parts one after the other, as one. */
function chain(...costs: Cost[]): Cost {
  return costOf(costs.flatMap((c) => (c as Cost & { stretches: number[] }).stretches));
}

/** Runs a full garbage collection (the flag can be set at run time; `gc` is then reachable from a new context). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * ROUNDS runs of `measure` after a warm-up run, and the median of each figure. Each run starts after a
 * full garbage collection, so that it pays for the garbage it makes, not for what came before, and a pause
 * that lets the collector finish its sweeping on other threads (which would otherwise get in a step).
 */
async function repeat(measure: () => Cost): Promise<Cost> {
  measure();
  const runs: Cost[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    collectGarbage();
    await new Promise((done) => setTimeout(done, 200));
    runs.push(measure());
  }
  return {
    longest: median(runs.map((r) => r.longest)),
    typical: median(runs.map((r) => r.typical)),
    total: median(runs.map((r) => r.total)),
    steps: median(runs.map((r) => r.steps)),
  };
}

function report(label: string, cost: Cost): void {
  const steps = cost.steps > 0 ? `   ${cost.steps} pauses, median stretch ${fmt(cost.typical)}` : '';
  console.log(`  ${label.padEnd(46)} longest stretch ${fmt(cost.longest).padStart(8)}   total ${fmt(cost.total).padStart(8)}${steps}`);
}

/** The costliest of the searches from STARTS cursor positions (where the search goes far, it costs most). */
function worstSearch(lineCount: number, search: (from: number) => Cost): Cost {
  let worst: Cost | undefined;
  for (let i = 0; i < STARTS; i++) {
    const cost = search(Math.floor((i / STARTS) * lineCount));
    if (!worst || cost.total > worst.total) worst = cost;
  }
  return worst!;
}

function modelOf(lines: readonly string[]): LogModel {
  const model = new LogModel();
  model.reset(lines.length, (i) => lines[i]);
  return model;
}

/** The same log with only the lines `keep` accepts. */
function filtered(lines: readonly string[], keep: (line: number) => boolean): LogModel {
  return modelOf(lines.filter((_, i) => keep(i)));
}

async function main(): Promise<void> {
  const path = resolve(process.argv[2] ?? DEFAULT_LOG);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    process.stdout.write(`generating ${path} ...\n`);
    await writeLog(path, 40 * MB, { malformed: 0.01, seed: 7 });
  }
  const lines = readFileSync(path, 'utf8').split('\n');
  const model = modelOf(lines);
  let problemLines = 0;
  let entries = 0;
  let flagged = 0;
  for (let i = 0; i < model.lineCount; i++) {
    if (hasProblems(model, i)) problemLines++;
    if (model.hasEntry(i)) entries++;
    if (isRevokedOrUnknown(model, i)) flagged++;
  }
  console.log(
    `Navigation commands on ${path} (${(statSync(path).size / MB).toFixed(0)} MB, ${model.lineCount} lines, ${entries} entries, ` +
      `${problemLines} lines with problems, ${flagged} revoked or unknown); node ${process.version}; medians of ${ROUNDS} runs; ` +
      `load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores\n`,
  );

  // Searches that go round the whole document: in the same log without its lines with problems, and with
  // only its first revoked or unknown entry. Each is built when needed, so only one extra model is held.
  let kept = false;
  const clean = (): LogModel => filtered(lines, (i) => !hasProblems(model, i));
  const single = (): LogModel =>
    filtered(lines, (i) => {
      if (!isRevokedOrUnknown(model, i)) return true;
      if (kept) return false;
      kept = true;
      return true;
    });
  const searches: Array<[string, () => LineResults, 1 | -1, LineFilter]> = [
    ['next problem, worst of 50 cursor positions', () => model, 1, hasProblems],
    ['previous problem, worst of 50 cursor positions', () => model, -1, hasProblems],
    ['next problem in the log without problems (none found)', clean, 1, hasProblems],
    ['next revoked or unknown, worst of 50 cursor positions', () => model, 1, isRevokedOrUnknown],
    ['next revoked or unknown with only one in the log (round)', single, 1, isRevokedOrUnknown],
    ['previous revoked or unknown with only one in the log', single, -1, isRevokedOrUnknown],
  ];
  for (const [label, make, direction, filter] of searches) {
    kept = false;
    const m = make();
    console.log(label);
    report(
      'at once (findLine)',
      await repeat(() => worstSearch(m.lineCount, (from) => atOnce(() => findLine(m, from, direction, filter)))),
    );
    report(
      'in steps (findLineInSteps)',
      await repeat(() => worstSearch(m.lineCount, (from) => inSteps(findLineInSteps(m, from, direction, filter)))),
    );
  }

  const at = Date.UTC(2024, 6, 2, 18, 30);
  const cursor = model.lineCount >> 1;
  console.log('go to entry by time, with a time');
  report('at once (timedEntries, entryAtTime)', await repeat(() => atOnce(() => entryAtTime(timedEntries(model.entries()), at))));
  report(
    'in steps (timedEntriesInSteps, entryAtTime)',
    await repeat(() => inSteps(timedEntriesInSteps(model.entries()), (sorted) => entryAtTime(sorted, at))),
  );

  // The picker: the entries in time order, the first level, each interval's counts and the one that holds the
  // cursor (the picker starts on it); then the level of the biggest interval.
  console.log("go to entry by time, the picker's first list");
  report(
    'at once',
    await repeat(() =>
      atOnce(() => {
        const level = timePickLevel(timedEntries(model.entries()));
        if (level.kind === 'buckets') for (const b of level.buckets) [countByKind(b.entries), b.entries.some((e) => e.line === cursor)];
      }),
    ),
  );
  report(
    'in steps',
    await repeat(() => {
      let sorted: TimedEntry[] = [];
      let level: TimePickLevel | undefined;
      const sorting = inSteps(timedEntriesInSteps(model.entries()), (v) => (sorted = v));
      const grouping = inSteps(timePickLevelInSteps(sorted), (v) => (level = v));
      return level?.kind === 'buckets'
        ? chain(sorting, grouping, inSteps(bucketDetailsInSteps(level.buckets, cursor)))
        : chain(sorting, grouping);
    }),
  );
  const top = timePickLevel(timedEntries(model.entries()));
  if (top.kind === 'buckets') {
    const biggest = top.buckets.reduce((a, b) => (b.entries.length > a.entries.length ? b : a));
    const widths = finerWidths(biggest.widthMs);
    console.log(`  then its biggest interval (${biggest.entries.length} entries)`);
    report(
      'at once',
      await repeat(() =>
        atOnce(() => {
          const level = timePickLevel(biggest.entries, TIME_PICK_LIMIT, widths);
          if (level.kind === 'buckets') for (const b of level.buckets) [countByKind(b.entries), b.entries.some((e) => e.line === cursor)];
        }),
      ),
    );
    report(
      'in steps',
      await repeat(() => {
        let level: TimePickLevel | undefined;
        const grouping = inSteps(timePickLevelInSteps(biggest.entries, TIME_PICK_LIMIT, widths), (v) => (level = v));
        return level?.kind === 'buckets' ? chain(grouping, inSteps(bucketDetailsInSteps(level.buckets, cursor))) : grouping;
      }),
    );
  }
  // The editor writes a list of entries in steps of ENTRY_ITEMS_PER_STEP (src/editor/navigation.ts).
  const listed = timedEntries(model.entries()).slice(0, TIME_PICK_LIMIT);
  const words = (e: TimedEntry): unknown => [formatEntryTime(e.timeMs), entryOutcome(e.entry), sniText(e.entry.sni), thousands(e.line + 1)];
  console.log(`  the words of a list of ${listed.length} entries`);
  report('at once', await repeat(() => atOnce(() => listed.map(words))));
  report(
    `in steps of ${ENTRY_ITEMS_PER_STEP}`,
    await repeat(() =>
      inSteps(
        (function* () {
          for (let i = 0; i < listed.length; i += ENTRY_ITEMS_PER_STEP) {
            listed.slice(i, i + ENTRY_ITEMS_PER_STEP).map(words);
            yield;
          }
        })(),
      ),
    ),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
