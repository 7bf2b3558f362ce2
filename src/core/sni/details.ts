/**
 * The costlier facts about one group, read from its rows when a tooltip or detail view asks: distinct
 * destination addresses and ports (counted up to a limit), the firewalls seen and the entries per source.
 */
import type { Agg } from './aggregate';
import { ipText, type Interner, type SourceState } from './columns';
import { compareNullLast, compareStrings } from './compare';
import type { DistinctValues, SniGroup, SniGroupDetails } from './types';

/** How many distinct values {@link SniGroupDetails} lists. */
export const DISTINCT_SAMPLE = 20;

/**
 * The details of an aggregate whose snapshot is `group`, read from the rows of `sources` (those holding its
 * SNI, in key order). Past `limit` distinct addresses (or ports) the total is a lower bound.
 */
export function groupDetails(
  agg: Agg,
  group: SniGroup,
  sources: readonly SourceState[],
  limit: number,
  ipIds: Interner<string>,
  fwValues: readonly (string | null)[],
): SniGroupDetails {
  const ips = new Set<number>();
  const ports = new Set<number>();
  const firewalls = new Set<number>();
  const perSource: { sourceKey: string; entries: number }[] = [];
  let ipsComplete = true;
  let portsComplete = true;
  for (const state of sources) {
    let entries = 0;
    state.forEachRow(agg.sniId, agg.fwId, (row) => {
      entries++;
      firewalls.add(state.fwOf(row));
      const ip = state.ips[row];
      if (ip >= 0 && !ips.has(ip)) {
        if (ips.size < limit) ips.add(ip);
        else ipsComplete = false;
      }
      const port = state.ports[row];
      if (port >= 0 && !ports.has(port)) {
        if (ports.size < limit) ports.add(port);
        else portsComplete = false;
      }
    });
    if (entries > 0) perSource.push({ sourceKey: state.key, entries });
  }
  const ipNames = [...ips].map((code) => ipText(code, ipIds));
  return {
    ...group,
    destIps: distinct(ipNames.sort(compareStrings), ipsComplete),
    destPorts: distinct(
      [...ports].sort((a, b) => a - b),
      portsComplete,
    ),
    firewalls: [...firewalls].map((id) => fwValues[id]).sort(compareNullLast),
    sources: perSource,
  };
}

function distinct<T>(sorted: T[], complete: boolean): DistinctValues<T> {
  return { values: sorted.slice(0, DISTINCT_SAMPLE), total: sorted.length, complete };
}
