/**
 * What the navigation commands (next/previous problem, next/previous revoked or unknown entry, go to entry
 * by time) cost on the extension host for a big document: for each, the longest stretch it holds the
 * thread and the total time of its work over the document's model.
 *
 *   node out/bench/navigation.js [log file, default bench/data/plain-40MB-edit.log (generated when missing)]
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LogModel } from '../src/core/logModel';
import {
  countByKind,
  entryAtTime,
  entryOutcome,
  findLine,
  finerWidths,
  formatEntryTime,
  hasProblems,
  isRevokedOrUnknown,
  sniText,
  thousands,
  timedEntries,
  timePickLevel,
  TIME_PICK_LIMIT,
  type LineFilter,
  type LineResults,
} from '../src/core/navigation';
import type { LineResult } from '../src/core/types';
import { writeLog } from './generate';

const MB = 1024 * 1024;
const DEFAULT_LOG = resolve('bench', 'data', 'plain-40MB-edit.log');
/** Cursor positions tried per search, spread evenly over the document. */
const STARTS = 50;
const ROUNDS = 5;

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** How long a piece of work held the thread: its longest uninterrupted stretch, and all of it. */
interface Cost {
  longest: number;
  total: number;
  steps: number;
}

/** Work done in one go. */
function atOnce(fn: () => unknown): Cost {
  const t = performance.now();
  fn();
  const total = performance.now() - t;
  return { longest: total, total, steps: 1 };
}

/** ROUNDS runs of `measure` after a warm-up run: medians, and the longest stretch of any run. */
function repeat(measure: () => Cost): Cost & { worst: number } {
  measure();
  const runs = Array.from({ length: ROUNDS }, measure);
  return {
    longest: median(runs.map((r) => r.longest)),
    worst: Math.max(...runs.map((r) => r.longest)),
    total: median(runs.map((r) => r.total)),
    steps: median(runs.map((r) => r.steps)),
  };
}

function report(label: string, cost: Cost & { worst: number }): void {
  const steps = cost.steps > 1 ? `, ${cost.steps} steps` : '';
  console.log(`  ${label.padEnd(58)} longest ${fmt(cost.longest).padStart(8)} (max ${fmt(cost.worst).padStart(8)})   total ${fmt(cost.total).padStart(8)}${steps}`);
}

/** The costliest of the searches from STARTS cursor positions (where the search goes far, it costs most). */
function worstSearch(lineCount: number, search: (from: number) => Cost): Cost {
  let worst: Cost = { longest: 0, total: 0, steps: 0 };
  for (let i = 0; i < STARTS; i++) {
    const cost = search(Math.floor((i / STARTS) * lineCount));
    if (cost.total > worst.total) worst = cost;
  }
  return worst;
}

function modelOf(lines: readonly string[]): LogModel {
  const model = new LogModel();
  model.reset(lines.length, (i) => lines[i]);
  return model;
}

/** The same log with only the lines `keep` accepts. */
function filtered(lines: readonly string[], model: LogModel, keep: (result: LineResult) => boolean): LogModel {
  return modelOf(lines.filter((_, i) => keep(model.lineResult(i)!)));
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
  for (let i = 0; i < model.lineCount; i++) if (hasProblems(model.lineResult(i)!)) problemLines++;
  let entries = 0;
  let flagged = 0;
  for (const { entry } of model.entries()) {
    entries++;
    if (isRevokedOrUnknown({ problems: [], entry })) flagged++;
  }
  console.log(
    `Navigation commands on ${path} (${(statSync(path).size / MB).toFixed(0)} MB, ${model.lineCount} lines, ${entries} entries, ` +
      `${problemLines} lines with problems, ${flagged} revoked or unknown); node ${process.version}; medians of ${ROUNDS} runs, and the longest stretch of any of them\n`,
  );

  // Searches that go round the whole document: in the same log without its lines with problems, and with
  // only its first revoked or unknown entry. Each is built when needed, so only one extra model is held.
  let kept = false;
  const clean = (): LogModel => filtered(lines, model, (r) => !hasProblems(r));
  const single = (): LogModel =>
    filtered(lines, model, (r) => {
      if (!isRevokedOrUnknown(r)) return true;
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
  console.log('At once (the commands as they were):');
  for (const [label, make, direction, filter] of searches) {
    kept = false;
    const m = make();
    report(label, repeat(() => worstSearch(m.lineCount, (from) => atOnce(() => findLine(m, from, direction, filter)))));
  }

  const at = Date.UTC(2024, 6, 2, 18, 30);
  const cursor = model.lineCount >> 1;
  report('go to entry by time, with a time', repeat(() => atOnce(() => entryAtTime(timedEntries(model.entries()), at))));
  report(
    "go to entry by time, the picker's first list",
    repeat(() =>
      atOnce(() => {
        const level = timePickLevel(timedEntries(model.entries()));
        // Each interval's counts, and the one that holds the cursor (the picker starts on it).
        if (level.kind === 'buckets') for (const b of level.buckets) [countByKind(b.entries), b.entries.some((e) => e.line === cursor)];
      }),
    ),
  );
  const top = timePickLevel(timedEntries(model.entries()));
  if (top.kind === 'buckets') {
    const biggest = top.buckets.reduce((a, b) => (b.entries.length > a.entries.length ? b : a));
    report(
      `  then its biggest interval (${biggest.entries.length} entries)`,
      repeat(() =>
        atOnce(() => {
          const level = timePickLevel(biggest.entries, TIME_PICK_LIMIT, finerWidths(biggest.widthMs));
          if (level.kind === 'buckets') for (const b of level.buckets) [countByKind(b.entries), b.entries.some((e) => e.line === cursor)];
        }),
      ),
    );
  }
  const listed = timedEntries(model.entries()).slice(0, TIME_PICK_LIMIT);
  report(
    `  the words of a list of ${listed.length} entries`,
    repeat(() => atOnce(() => listed.map((e) => [formatEntryTime(e.timeMs), entryOutcome(e.entry), sniText(e.entry.sni), thousands(e.line + 1)]))),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
