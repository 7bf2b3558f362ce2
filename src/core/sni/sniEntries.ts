/**
 * One SNI's entries gathered from every source into one list, in time order: what the "entries of this SNI"
 * document holds, line for line, with where each line came from.
 */

import type { SniKey } from '../parse/entryKind';
import { compareStrings, compareTimes } from './compare';
import type { SniModel } from './sniModel';
import type { EntryLocation, Scope } from './types';

/** The most entries one such document holds (about 4 MB of text at 400 characters a line). */
export const MAX_SNI_ENTRIES = 10_000;

/** The entries of an SNI, the first `limit` in time order, and how many it has in all. */
export interface SniEntryList {
  items: EntryLocation[];
  total: number;
}

/** Time order: by time (undated last), then source key, then line. */
export function compareByTime(a: EntryLocation, b: EntryLocation): number {
  return compareTimes(a.timeMs ?? NaN, b.timeMs ?? NaN) || compareStrings(a.sourceKey, b.sourceKey) || a.line - b.line;
}

/**
 * The first `limit` entries of `sni` within `scope`, every kind together, in time order. Builds at most
 * `limit` locations per kind, whatever the group's size.
 */
export function sniEntriesByTime(model: SniModel, sni: SniKey, scope: Scope = { by: 'all' }, limit = MAX_SNI_ENTRIES): SniEntryList {
  const items: EntryLocation[] = [];
  let total = 0;
  for (const { kind, count } of model.kindsOf(sni, scope)) {
    total += count;
    items.push(...model.entriesOf(sni, kind, 0, limit, { scope, order: 'time' }).items);
  }
  items.sort(compareByTime);
  if (items.length > limit) items.length = limit;
  return { items, total };
}

/** Reads given lines of one source: by line number, the lines it could read. */
export type SourceLineReader = (lines: readonly number[]) => Promise<ReadonlyMap<number, string>>;

/** A document gathered from several sources: its text and, for each of its lines, where it came from. */
export interface GatheredLines {
  text: string;
  origins: Array<{ sourceKey: string; line: number }>;
  /** Entries whose line could not be read (their source is gone, or was cut short since it was read). */
  missing: number;
}

/**
 * The lines of `items` read from their sources, in the order of `items`. `readerFor` gives a source's reader,
 * or undefined when it can no longer be read; each source is read once, for all its lines.
 */
export async function gatherLines(
  items: readonly EntryLocation[],
  readerFor: (sourceKey: string) => SourceLineReader | undefined,
): Promise<GatheredLines> {
  const bySource = new Map<string, number[]>();
  for (const item of items) {
    let lines = bySource.get(item.sourceKey);
    if (!lines) bySource.set(item.sourceKey, (lines = []));
    lines.push(item.line);
  }
  const read = new Map<string, ReadonlyMap<number, string>>();
  await Promise.all(
    [...bySource].map(async ([key, lines]) => {
      const reader = readerFor(key);
      if (reader) read.set(key, await reader([...lines].sort((a, b) => a - b)));
    }),
  );
  const out: string[] = [];
  const origins: GatheredLines['origins'] = [];
  let missing = 0;
  for (const item of items) {
    const text = read.get(item.sourceKey)?.get(item.line);
    if (text === undefined) {
      missing++;
      continue;
    }
    out.push(text);
    origins.push({ sourceKey: item.sourceKey, line: item.line });
  }
  return { text: out.join('\n'), origins, missing };
}
