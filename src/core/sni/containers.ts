/**
 * The SNI view's level-one nodes when it groups by source or by firewall: each with the entries and SNIs
 * that pass the view's filter, empty ones left out.
 */
import { C_ENTRIES, C_KIND, type Agg } from './aggregate';
import type { SourceState } from './columns';
import { compareNullLast } from './compare';
import type { GroupMatcher } from './filter';
import { nodeId } from './nodeIds';
import type { Container, Scope, SourceMeta } from './types';

function container(
  scope: Scope & { by: 'source' | 'firewall' },
  entries: number,
  groups: number,
  meta: SourceMeta | undefined,
): Container | undefined {
  if (groups === 0) return undefined;
  const id =
    scope.by === 'source' ? nodeId({ type: 'source', source: scope.source }) : nodeId({ type: 'firewall', firewall: scope.firewall });
  return meta === undefined ? { id, scope, entries, groups } : { id, scope, entries, groups, meta };
}

/** One node per source, in the order given. */
export function sourceContainers(sources: readonly SourceState[], matcher: GroupMatcher): Container[] {
  const out: Container[] = [];
  for (const state of sources) {
    let entries = 0;
    let groups = 0;
    state.forEachSni((sniId, at) => {
      if (state.stats[at] === 0 || !matcher(sniId, state.stats, at + 1)) return;
      entries += state.stats[at];
      groups++;
    });
    const c = container({ by: 'source', source: state.key }, entries, groups, state.meta);
    if (c !== undefined) out.push(c);
  }
  return out;
}

/** One node per firewall name (`names` by firewall id), by name, no name last. */
export function firewallContainers(
  byFirewall: ReadonlyMap<number, ReadonlyMap<number, Agg>>,
  names: readonly (string | null)[],
  matcher: GroupMatcher,
): Container[] {
  const out: Container[] = [];
  const ids = [...byFirewall.keys()].sort((a, b) => compareNullLast(names[a], names[b]));
  for (const fwId of ids) {
    let entries = 0;
    let groups = 0;
    for (const agg of (byFirewall.get(fwId) as ReadonlyMap<number, Agg>).values()) {
      if (!matcher(agg.sniId, agg.counts, C_KIND)) continue;
      entries += agg.counts[C_ENTRIES];
      groups++;
    }
    const c = container({ by: 'firewall', firewall: names[fwId] }, entries, groups, undefined);
    if (c !== undefined) out.push(c);
  }
  return out;
}
