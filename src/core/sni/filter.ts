/**
 * What a {@link GroupFilter} means: which groups pass its text and kind filters, and the order its sort
 * names. The model applies these to its aggregates and to a source's per-SNI counts alike.
 */
import { GROUP_KINDS, K_OTHER, K_REVOKED, K_TLS, K_UNKNOWN } from '../parse/entryKind';
import { C_ENTRIES, type Agg } from './aggregate';
import { compareTimes } from './compare';
import type { SniNames } from './names';
import type { GroupFilter, KindFilter, SortOrder } from './types';

/** A test over (SNI id, kind counts at `at`..`at + 3` in GROUP_KINDS order). */
export type GroupMatcher = (sniId: number, counts: ArrayLike<number>, at: number) => boolean;

/** The test a filter's text and kind make; the text matches the SNI without regard to case. */
export function groupMatcher(filter: GroupFilter, names: SniNames): GroupMatcher {
  const text = (filter.text ?? '').toLowerCase();
  const kind = filter.kind ?? 'all';
  return (sniId, counts, at) => {
    if (text !== '') {
      const lower = names.lowerOf(sniId);
      if (lower === undefined || !lower.includes(text)) return false;
    }
    if (kind === 'all') return true;
    for (let k = 0; k < GROUP_KINDS.length; k++) if (counts[at + k] > 0 && kindAllowed(k, kind)) return true;
    return false;
  };
}

/** Whether a kind filter shows entries of kind index `k`. */
export function kindAllowed(k: number, filter: KindFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'revoked':
      return k === K_REVOKED;
    case 'unknown':
      return k === K_UNKNOWN;
    case 'errors':
      return k === K_TLS;
    case 'failing':
      return k !== K_OTHER;
  }
}

/** The order of a sort over aggregates; ties go by name. `names` must be up to date ({@link SniNames.update}). */
export function groupComparator(sort: SortOrder, names: SniNames): (a: Agg, b: Agg) => number {
  const byName = (a: Agg, b: Agg): number => names.rankOf(a.sniId) - names.rankOf(b.sniId);
  switch (sort) {
    case 'count':
      return (a, b) => b.counts[C_ENTRIES] - a.counts[C_ENTRIES] || byName(a, b);
    case 'name':
      return byName;
    case 'latest':
      return (a, b) => compareTimes(-a.last, -b.last) || byName(a, b);
  }
}
