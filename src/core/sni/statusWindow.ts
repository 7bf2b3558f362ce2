/**
 * The file's own evidence for a status: how many distinct SNIs had it within the same few minutes, across
 * every source of the SNI model. The times and SNIs of the status's entries are gathered and sorted once per
 * model version, so a hover costs a binary search and a pass over the entries of one window.
 */

import { K_UNKNOWN } from '../parse/entryKind';
import type { StatusWindow } from '../explain/explanation';
import type { SniModel } from './sniModel';

/** Five minutes: the interval at which AWS delivers log files. */
export const STATUS_WINDOW_MS = 5 * 60_000;

/** UNKNOWN entries by time, for {@link StatusWindow} counts around a time. */
export class UnknownWindows {
  private built: { version: number; times: Float64Array; snis: Int32Array } | undefined;

  constructor(
    private readonly model: SniModel,
    private readonly windowMs = STATUS_WINDOW_MS,
  ) {}

  /** The window of `windowMs` (aligned to multiples of it, in UTC) that holds `timeMs`, with its UNKNOWN counts. */
  around(timeMs: number): StatusWindow | undefined {
    if (!Number.isFinite(timeMs)) return undefined;
    const { times, snis } = this.index();
    const fromMs = Math.floor(timeMs / this.windowMs) * this.windowMs;
    const toMs = fromMs + this.windowMs;
    const distinct = new Set<number>();
    let entries = 0;
    for (let i = lowerBound(times, fromMs); i < times.length && times[i] < toMs; i++) {
      distinct.add(snis[i]);
      entries++;
    }
    return { fromMs, toMs, snis: distinct.size, entries };
  }

  private index(): { times: Float64Array; snis: Int32Array } {
    const version = this.model.version;
    if (this.built?.version === version) return this.built;
    const pairs: Array<[number, number]> = [];
    this.model.forEachOfKind(K_UNKNOWN, (time, sni) => {
      if (Number.isFinite(time)) pairs.push([time, sni]);
    });
    pairs.sort((a, b) => a[0] - b[0]);
    const times = new Float64Array(pairs.length);
    const snis = new Int32Array(pairs.length);
    for (let i = 0; i < pairs.length; i++) [times[i], snis[i]] = pairs[i];
    this.built = { version, times, snis };
    return this.built;
  }
}

function lowerBound(values: Float64Array, target: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
