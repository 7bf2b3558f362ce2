/**
 * Sorting millions of rows without holding the thread: a natural merge sort (stable) whose steps each do a
 * bounded amount of work. Logs are written in time order, so the runs it finds are long and most folders
 * sort in a pass or two.
 */

/** Elements merged or scanned per step. */
const STEP = 16384;
/** Runs shorter than this are extended by insertion sort. */
const MIN_RUN = 32;

/**
 * The permutation of 0..keys.length-1 that sorts `keys` ascending, ties in index order (pass NaN-free keys:
 * map "no time" to Infinity first). A generator: each `next()` does a short step; the return value is the
 * permutation.
 */
export function* sortedOrder(keys: Float64Array): Generator<void, Uint32Array, void> {
  const n = keys.length;
  let a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  // Runs: [bounds[i], bounds[i+1]).
  const bounds: number[] = [0];
  let i = 0;
  let work = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && keys[j - 1] <= keys[j]) {
      j++;
      if ((j & (STEP - 1)) === 0) yield;
    }
    if (j - i < MIN_RUN && j < n) {
      const end = Math.min(n, i + MIN_RUN);
      insertionSort(a, keys, i, end);
      j = end;
    }
    bounds.push(j);
    work += j - i;
    i = j;
    if (work >= STEP) {
      work = 0;
      yield;
    }
  }
  if (bounds.length <= 2) return a;
  let b = new Uint32Array(n);
  let runs = bounds;
  while (runs.length > 2) {
    const next: number[] = [0];
    for (let r = 0; r + 1 < runs.length; r += 2) {
      const lo = runs[r];
      const mid = runs[r + 1];
      const hi = r + 2 < runs.length ? runs[r + 2] : mid;
      let p = lo;
      let q = mid;
      let o = lo;
      while (p < mid && q < hi) {
        // `<=` keeps the left run's element first on ties: stable.
        if (keys[a[p]] <= keys[a[q]]) b[o++] = a[p++];
        else b[o++] = a[q++];
        if (++work >= STEP) {
          work = 0;
          yield;
        }
      }
      while (p < mid) b[o++] = a[p++];
      while (q < hi) b[o++] = a[q++];
      work += hi - o;
      next.push(hi);
    }
    [a, b] = [b, a];
    runs = next;
    yield;
  }
  return a;
}

function insertionSort(a: Uint32Array, keys: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i < hi; i++) {
    const v = a[i];
    const k = keys[v];
    let j = i - 1;
    while (j >= lo && keys[a[j]] > k) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

/** Runs a generator's steps to the end and returns its value (tests, the CLI, benchmarks). */
export function drain<T>(steps: Generator<unknown, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done === true) return r.value;
  }
}
