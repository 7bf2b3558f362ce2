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

/** Prints the explorer's figures for `model`; `held` gives the memory in use after a full collection. */
export function measureExplorer(model: SniModel, held: () => number, fmt: (ms: number) => string): void {
  const before = held();
  const explorer = new Explorer(() => model.columns());
  const paint = (filter: ExplorerFilter, sort: ExplorerSort) =>
    measure(
      (function* () {
        const summary = yield* explorer.summarize(filter);
        const page = yield* explorer.rows(filter, sort, 0, 100);
        return { summary, page };
      })(),
    );
  const first = paint({}, { column: 'time' });
  const { summary } = first.result;
  const line = (label: string, m: { wall: number; longest: number }): string =>
    `  ${label}: ${fmt(m.wall)} (longest step ${fmt(m.longest)})`;
  console.log(`Explorer on ${summary.total} entries (${summary.timeline.buckets} bars of ${summary.timeline.bucketMs / 1000} s):`);
  console.log(line('first paint (time order, timeline, facets, first page)', first));
  const topSni = summary.facets.find((f) => f.name === 'sni')?.values[0]?.key;
  if (topSni !== undefined) console.log(line('filter on the top SNI', paint({ include: { sni: [topSni] } }, { column: 'time' })));
  console.log(line('exclude the top SNI', paint({ exclude: { sni: topSni === undefined ? [] : [topSni] } }, { column: 'time' })));
  const { first: a, last: b } = summary.extent;
  if (Number.isFinite(a))
    console.log(
      line('brush the middle half of the time range', paint({ from: a + (b - a) / 4, to: a + (3 * (b - a)) / 4 }, { column: 'time' })),
    );
  console.log(line('sort by SNI (no filter)', paint({}, { column: 'sni' })));
  console.log(line('then a page deep in the list', measure(explorer.rows({}, { column: 'sni' }, Math.floor(summary.matched / 2), 100))));
  const after = held();
  console.log(`  memory held by the explorer's caches: ${((after - before) / 1024 / 1024).toFixed(0)} MB`);
  explorer.reset();
}
