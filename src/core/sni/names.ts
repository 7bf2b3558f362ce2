/**
 * SNIs in name order: case-insensitive, then by code units so equal-looking names keep a stable order, a
 * missing SNI first. Sorting groups by name then compares two numbers per pair instead of two strings.
 */
import type { SniKey } from '../parse/entryKind';
import { compareStrings } from './compare';

/** Lower-case forms and name ranks of the SNIs of one interner, whose `values` only ever grow. */
export class SniNames {
  private readonly lower: (string | undefined)[] = [];
  /** Every SNI id in name order (see {@link compareIds}), and each id's place in it. */
  private order = new Int32Array(0);
  private rank = new Int32Array(0);

  constructor(private readonly values: readonly SniKey[]) {}

  /** The lower-case form of an SNI (undefined for a missing SNI), computed once. */
  lowerOf(sniId: number): string | undefined {
    const sni = this.values[sniId];
    if (sni === null) return undefined;
    // Grown densely: an array written far past its end turns into a slow dictionary.
    while (this.lower.length <= sniId) this.lower.push(undefined);
    let lower = this.lower[sniId];
    if (lower === undefined) lower = this.lower[sniId] = sni.toLowerCase();
    return lower;
  }

  /** An SNI id's place in name order as of the last {@link update}. */
  rankOf(sniId: number): number {
    return this.rank[sniId];
  }

  /**
   * Brings the name order up to date. SNIs are only ever added: the ones added since the last call are
   * sorted among themselves and merged in, so a scan that keeps finding a few new SNIs does not sort every
   * name again on each redraw.
   */
  update(): void {
    const count = this.values.length;
    const known = this.order.length;
    if (count === known) return;
    const fresh: number[] = [];
    for (let id = known; id < count; id++) fresh.push(id);
    fresh.sort(this.compareIds);
    const order = new Int32Array(count);
    let i = 0;
    let j = 0;
    for (let k = 0; k < count; k++) {
      if (j >= fresh.length || (i < known && this.compareIds(this.order[i], fresh[j]) <= 0)) order[k] = this.order[i++];
      else order[k] = fresh[j++];
    }
    const rank = new Int32Array(count);
    for (let k = 0; k < count; k++) rank[order[k]] = k;
    this.order = order;
    this.rank = rank;
  }

  /** Case-insensitive, then by code units so equal-looking names keep a stable order; a missing SNI first. */
  private compareIds = (a: number, b: number): number => {
    const sa = this.values[a];
    const sb = this.values[b];
    if (sa === null || sb === null) return sa === sb ? 0 : sa === null ? -1 : 1;
    return compareStrings(this.lowerOf(a) as string, this.lowerOf(b) as string) || compareStrings(sa, sb);
  };
}
