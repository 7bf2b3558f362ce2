import { countByKind, entryEndpoints, entryOutcome, entryTimeMs, formatEntryTime, sniText } from './navigation';
import type { TlsEntry } from './types';

/**
 * A log's outline for the editor's Outline view and "Go to Symbol": one node per SNI, in the order the
 * SNIs first appear, with that SNI's entries beneath in line order. Names are one line of plain text.
 */

export interface OutlineEntry {
  line: number;
  /** The entry's time, `2024-07-02 18:01:44.412`. */
  name: string;
  /** `REVOKED → DROP · 10.0.2.60 → 104.18.30.5:443` */
  detail: string;
}

export interface OutlineGroup {
  /** The raw `event.sni` (undefined when the field is missing). */
  sni: string | undefined;
  name: string;
  /** `5 entries: 4 TLS errors, 1 unknown`, and how many are listed when not all are. */
  detail: string;
  firstLine: number;
  lastLine: number;
  /** The entries listed (all of them, unless the limits cut the list). */
  entries: OutlineEntry[];
  total: number;
}

/** Entries listed under one SNI at most. */
export const OUTLINE_ENTRIES_PER_SNI = 1000;
/** Entries listed in a whole document at most; SNIs beyond the budget are listed without their entries. */
export const OUTLINE_ENTRIES_TOTAL = 10_000;

/** Builds the outline of a document's entries (given in line order). */
export function buildOutline(
  entries: Iterable<{ line: number; entry: TlsEntry }>,
  perSni = OUTLINE_ENTRIES_PER_SNI,
  total = OUTLINE_ENTRIES_TOTAL,
): OutlineGroup[] {
  const groups = new Map<string | undefined, { group: OutlineGroup; all: TlsEntry[] }>();
  for (const { line, entry } of entries) {
    let g = groups.get(entry.sni);
    if (!g) {
      g = { group: { sni: entry.sni, name: sniText(entry.sni), detail: '', firstLine: line, lastLine: line, entries: [], total: 0 }, all: [] };
      groups.set(entry.sni, g);
    }
    g.group.lastLine = line;
    g.group.total++;
    g.all.push(entry);
    if (g.group.entries.length < perSni) {
      g.group.entries.push({ line, name: formatEntryTime(entryTimeMs(entry)), detail: `${entryOutcome(entry)} · ${entryEndpoints(entry)}` });
    }
  }
  let budget = total;
  const out: OutlineGroup[] = [];
  for (const { group, all } of groups.values()) {
    if (group.entries.length > budget) group.entries = group.entries.slice(0, budget);
    budget -= group.entries.length;
    const counts = countByKind(all.map((entry) => ({ entry })));
    group.detail = group.entries.length < group.total ? `${counts} (first ${group.entries.length.toLocaleString('en-US')} listed)` : counts;
    out.push(group);
  }
  return out;
}
