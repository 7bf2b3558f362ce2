/**
 * The explorer's figures on a filled SNI model: first paint (timeline, facets and the first page of rows),
 * a facet filter, a brushed time range and a sort change, each as the wall time of its steps run back to
 * back and the longest single step (the slice queue runs steps for at most 8 ms a turn, so a step's length
 * is what the extension host can be held by at once), and the memory the explorer's caches hold.
 */
import { Explorer } from '../src/core/explore/explorer';
import type { ExplorerFilter, ExplorerSort } from '../src/core/explore/types';
import type { SniModel } from '../src/core/sni/sniModel';

/** Runs a generator's steps, timing the whole and the longest step. */
function measure<T>(steps: Generator<void, T, void>): { result: T; wall: number; longest: number } {
  const t0 = performance.now();
  let longest = 0;
  for (;;) {
    const s = performance.now();
    const r = steps.next();
    longest = Math.max(longest, performance.now() - s);
    if (r.done === true) return { result: r.value, wall: performance.now() - t0, longest };
  }
}

/** Rounds of the whole sequence, each on a new explorer (so each pays for its indexes again); medians are printed. */
const ROUNDS = 3;

/** Prints the explorer's figures for `model`; `held` gives the memory in use after a full collection. */
export function measureExplorer(model: SniModel, held: () => number, fmt: (ms: number) => string): void {
  const before = held();
  const runs: { label: string; wall: number; longest: number }[][] = [];
  let explorer: Explorer | undefined;
  let about = '';
  for (let round = 0; round < ROUNDS; round++) {
    explorer?.reset();
    explorer = new Explorer(() => model.columns());
    runs.push(sequence(explorer, (s) => (about = s)));
  }
  console.log(about);
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  runs[0].forEach(({ label }, i) => {
    const walls = runs.map((r) => r[i].wall);
    const longest = Math.max(...runs.map((r) => r[i].longest));
    console.log(`  ${label}: ${fmt(median(walls))} (median of ${ROUNDS}; longest step in any round ${fmt(longest)})`);
  });
  const after = held();
  console.log(`  memory held by the explorer's caches: ${((after - before) / 1024 / 1024).toFixed(0)} MB`);
  explorer?.reset();
}

/** One round: first paint, then each change as the page would ask for it. */
function sequence(explorer: Explorer, about: (line: string) => void): { label: string; wall: number; longest: number }[] {
  const out: { label: string; wall: number; longest: number }[] = [];
  const paint = (label: string, filter: ExplorerFilter, sort: ExplorerSort) => {
    const m = measure(
      (function* () {
        const summary = yield* explorer.summarize(filter);
        const page = yield* explorer.rows(filter, sort, 0, 100);
        return { summary, page };
      })(),
    );
    out.push({ label, wall: m.wall, longest: m.longest });
    return m.result;
  };
  const { summary } = paint('first paint (time order, timeline, facets, first page)', {}, { column: 'time' });
  about(`Explorer on ${summary.total} entries (${summary.timeline.buckets} bars of ${summary.timeline.bucketMs / 1000} s):`);
  const warm = measure(explorer.warm());
  out.push({ label: "warm-up while idle (the SNI facet's rows by value)", wall: warm.wall, longest: warm.longest });
  const topSni = summary.facets.find((f) => f.name === 'sni')?.values[0];
  const top = topSni === undefined ? [] : [topSni.key];
  paint(`filter on the top SNI (${topSni?.count ?? 0} entries)`, { include: { sni: top } }, { column: 'time' });
  paint('exclude the top SNI', { exclude: { sni: top } }, { column: 'time' });
  const { first: a, last: b } = summary.extent;
  if (Number.isFinite(a)) {
    const half = { from: a + (b - a) / 4, to: a + (3 * (b - a)) / 4 };
    paint('brush the middle half of the time range', half, { column: 'time' });
    // The SNI facet shows only the top SNI: its other values are counted in a pass of their own.
    paint(
      'the top SNI within that range (the SNI facet counted without its filter)',
      { ...half, include: { sni: top } },
      { column: 'time' },
    );
  }
  paint('sort by SNI (no filter)', {}, { column: 'sni' });
  const deep = measure(explorer.rows({}, { column: 'sni' }, Math.floor(summary.matched / 2), 100));
  out.push({ label: 'then a page deep in the list', wall: deep.wall, longest: deep.longest });
  return out;
}
