import { describeKindCounts, entryEndpoints, entryOutcome, entryTimeMs, formatEntryTime, sniText, thousands } from './navigation';
import { kindOf, type GroupKind } from './sniModel';
import type { TlsEntry } from './types';

/**
 * A log's outline for the editor's Outline view, breadcrumbs and "Go to Symbol": one node per SNI, in the
 * order the SNIs first appear, with that SNI's entries beneath in line order. Names are one line of plain
 * text. The editor turns every node into an object and sends it to the workbench in one message, so a big
 * log's outline is bounded: so many SNIs, so many entries under one SNI and in all.
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

export interface OutlineLimits {
  /** SNIs listed at most; later ones are left out. */
  snis: number;
  /** Entries listed under one SNI at most. */
  perSni: number;
  /** Entries listed in the whole document at most, given to the SNIs in order. */
  entries: number;
}

export const OUTLINE_LIMITS: Readonly<OutlineLimits> = { snis: 2000, perSni: 500, entries: 2000 };

interface Pending {
  group: OutlineGroup;
  listed: { line: number; entry: TlsEntry }[];
  kinds: Record<GroupKind, number>;
}

/**
 * Collects a document's entries (in line order) one at a time, so that a caller can spread a big document
 * over several turns of the event loop; {@link finish} describes what is listed.
 */
export class OutlineBuilder {
  private readonly groups = new Map<string | undefined, Pending>();
  /** Distinct SNIs past the limit. */
  private readonly left = new Set<string | undefined>();

  constructor(private readonly limits: Readonly<OutlineLimits> = OUTLINE_LIMITS) {}

  add(line: number, entry: TlsEntry): void {
    let g = this.groups.get(entry.sni);
    if (!g) {
      if (this.groups.size >= this.limits.snis) {
        this.left.add(entry.sni);
        return;
      }
      g = {
        group: { sni: entry.sni, name: sniText(entry.sni), detail: '', firstLine: line, lastLine: line, entries: [], total: 0 },
        listed: [],
        kinds: { tlsError: 0, revoked: 0, unknown: 0, other: 0 },
      };
      this.groups.set(entry.sni, g);
    }
    g.group.lastLine = line;
    g.group.total++;
    g.kinds[kindOf(entry)]++;
    if (g.listed.length < this.limits.perSni) g.listed.push({ line, entry });
  }

  /** The SNIs listed, and how many distinct SNIs were left out. */
  finish(): { groups: OutlineGroup[]; omittedSnis: number } {
    let budget = this.limits.entries;
    const groups: OutlineGroup[] = [];
    for (const { group, listed, kinds } of this.groups.values()) {
      const shown = listed.slice(0, Math.max(0, budget));
      budget -= shown.length;
      group.entries = shown.map(({ line, entry }) => ({ line, name: formatEntryTime(entryTimeMs(entry)), detail: `${entryOutcome(entry)} · ${entryEndpoints(entry)}` }));
      const counts = describeKindCounts(kinds, group.total);
      group.detail = group.entries.length < group.total ? `${counts} (first ${thousands(group.entries.length)} listed)` : counts;
      groups.push(group);
    }
    return { groups, omittedSnis: this.left.size };
  }
}

/** The outline of a document's entries (given in line order), at once. */
export function buildOutline(entries: Iterable<{ line: number; entry: TlsEntry }>, limits: Readonly<OutlineLimits> = OUTLINE_LIMITS): OutlineGroup[] {
  const builder = new OutlineBuilder(limits);
  for (const { line, entry } of entries) builder.add(line, entry);
  return builder.finish().groups;
}
