/**
 * The SNI tree's shape: which nodes sit under which, how groups and entries are paged, and which node holds
 * a given line. It is a projection of the {@link SniModel} built only on the model's public queries, so the
 * tree can never show counts the model does not give. The tree provider maps {@link TreeNode}s to tree items
 * and asks {@link SniTreeProjection.parentOf} for `getParent`.
 */
import type { GroupKind, SniKey } from '../parse/entryKind';
import { compareStrings, compareTimes } from './compare';
import { nodeId, parseNodeId } from './nodeIds';
import type { SniModel } from './sniModel';
import type { EntryLocation, EntryOrder, GroupBy, Scope, SniGroup, TreeNode, ViewOptions } from './types';

/** Default entries per page under a kind node. */
export const DEFAULT_PAGE_SIZE = 200;
/** Default SNI groups per page at the first level and under a source or firewall. */
export const DEFAULT_GROUP_PAGE_SIZE = 500;

const ALL: Scope = { by: 'all' };

/** The nodes of the SNI tree under a {@link ViewOptions}, read from one model. */
export class SniTreeProjection {
  constructor(readonly model: SniModel) {}

  /** Children of a node (`undefined` = the roots) as the tree shows them under `view`; [] for unknown ids. */
  children(parentId: string | undefined, view: ViewOptions = {}): TreeNode[] {
    const groupBy = view.groupBy ?? 'sni';
    if (parentId === undefined) {
      if (groupBy === 'sni') return this.groupPage(ALL, 0, view);
      return this.model.containers(groupBy, view).map((c) => ({ type: c.scope.by, ...c }));
    }
    const ref = parseNodeId(parentId);
    if (ref === undefined) return [];
    switch (ref.type) {
      case 'source':
        return this.groupPage({ by: 'source', source: ref.source }, 0, view);
      case 'firewall':
        return this.groupPage({ by: 'firewall', firewall: ref.firewall }, 0, view);
      case 'more':
        return this.groupPage(ref.scope, ref.offset, view);
      case 'sni':
        return this.model.kindsOf(ref.sni, ref.scope, view.kind ?? 'all').map((k) => ({
          type: 'kind',
          id: nodeId({ type: 'kind', scope: ref.scope, sni: ref.sni, kind: k.kind }),
          scope: ref.scope,
          sni: ref.sni,
          ...k,
        }));
      case 'kind':
        return this.pageNodes(ref.scope, ref.sni, ref.kind, 0, view);
      case 'page':
        return this.pageNodes(ref.scope, ref.sni, ref.kind, ref.offset, view);
      case 'entry':
        return [];
    }
  }

  /** The node with this id as the tree shows it under `view`, or undefined when it is not shown. */
  node(id: string, view: ViewOptions = {}): TreeNode | undefined {
    const ref = parseNodeId(id);
    if (ref === undefined) return undefined;
    if (ref.type === 'source' || ref.type === 'firewall') {
      return this.children(undefined, view).find((n) => n.id === id);
    }
    if (ref.type === 'more') {
      const size = groupPageSizeOf(view);
      const total = this.model.groupCount({ ...view, scope: ref.scope });
      if (ref.offset === 0 || ref.offset % size !== 0 || ref.offset >= total) return undefined;
      return { type: 'more', id, scope: ref.scope, offset: ref.offset, remaining: total - ref.offset };
    }
    const group = this.model.group(ref.sni, ref.scope, view);
    if (group === undefined) return undefined;
    if (ref.type === 'sni') return sniNode(group);
    const kind = this.model.kindsOf(ref.sni, ref.scope, view.kind ?? 'all').find((k) => k.kind === ref.kind);
    if (kind === undefined) return undefined;
    const count = kind.count;
    if (ref.type === 'kind') return { type: 'kind', id, scope: ref.scope, sni: ref.sni, kind: ref.kind, label: kind.label, count };
    if (ref.type === 'page') {
      const size = pageSizeOf(view);
      if (ref.offset === 0 || ref.offset % size !== 0 || ref.offset >= count) return undefined;
      return { type: 'page', id, scope: ref.scope, sni: ref.sni, kind: ref.kind, offset: ref.offset, remaining: count - ref.offset };
    }
    const loc = this.model.findGroupForLine(ref.source, ref.line);
    if (loc === undefined || loc.sni !== ref.sni || loc.kind !== ref.kind || !inScope(loc, ref.scope)) return undefined;
    return { type: 'entry', id, entry: loc };
  }

  /**
   * The id of a node's parent under `view` (for `getParent`), or undefined for roots and unknown nodes.
   * An entry's parent is its kind node or the page node that holds it, which depends on the order and page size.
   */
  parentOf(id: string, view: ViewOptions = {}): string | undefined {
    const ref = parseNodeId(id);
    if (ref === undefined) return undefined;
    switch (ref.type) {
      case 'source':
      case 'firewall':
        return undefined;
      case 'sni': {
        // A group past the first page sits under the "more" node of its page.
        const size = groupPageSizeOf(view);
        const rank = this.model.groupRank(ref.sni, { ...view, scope: ref.scope });
        if (rank >= size) return nodeId({ type: 'more', scope: ref.scope, offset: Math.floor(rank / size) * size });
        return containerId(ref.scope);
      }
      case 'more': {
        const size = groupPageSizeOf(view);
        const prev = (Math.ceil(ref.offset / size) - 1) * size;
        return prev > 0 ? nodeId({ type: 'more', scope: ref.scope, offset: prev }) : containerId(ref.scope);
      }
      case 'kind':
        return nodeId({ type: 'sni', scope: ref.scope, sni: ref.sni });
      case 'page': {
        const size = pageSizeOf(view);
        const prev = (Math.ceil(ref.offset / size) - 1) * size;
        return prev > 0 ? nodeId({ ...ref, offset: prev }) : nodeId({ type: 'kind', scope: ref.scope, sni: ref.sni, kind: ref.kind });
      }
      case 'entry': {
        const rank = this.rankOf(ref.scope, ref.sni, ref.kind, ref.source, ref.line, view.order ?? 'line');
        if (rank === undefined) return undefined;
        const size = pageSizeOf(view);
        const start = Math.floor(rank / size) * size;
        const kindRef = { scope: ref.scope, sni: ref.sni, kind: ref.kind };
        return start > 0 ? nodeId({ type: 'page', ...kindRef, offset: start }) : nodeId({ type: 'kind', ...kindRef });
      }
    }
  }

  /** The id of the entry node for a source line under `view`, or undefined when the tree does not show it. */
  findNodeForLine(sourceKey: string, line: number, view: ViewOptions = {}): string | undefined {
    const loc = this.model.findGroupForLine(sourceKey, line);
    if (loc === undefined) return undefined;
    const scope = scopeFor(view.groupBy ?? 'sni', loc.sourceKey, loc.firewall);
    const id = nodeId({ type: 'entry', scope, sni: loc.sni, kind: loc.kind, source: loc.sourceKey, line: loc.line });
    return this.node(id, view) === undefined ? undefined : id;
  }

  /**
   * Position of an entry in its (scope, SNI, kind) list in the given order, or undefined. A binary search
   * over the model's entry pages, with the order the list is sorted in: only a few entries are built.
   */
  rankOf(scope: Scope, sni: SniKey, kind: GroupKind, sourceKey: string, line: number, order: EntryOrder = 'line'): number | undefined {
    const loc = this.model.findGroupForLine(sourceKey, line);
    if (loc === undefined || loc.sni !== sni || loc.kind !== kind || !inScope(loc, scope)) return undefined;
    const time = loc.timeMs ?? NaN;
    const at = (i: number): EntryLocation | undefined => this.model.entriesOf(sni, kind, i, 1, { scope, order }).items[0];
    let lo = 0;
    let hi = this.model.entriesOf(sni, kind, 0, 0, { scope, order }).total;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const probe = at(mid) as EntryLocation;
      let c = order === 'time' ? compareTimes(probe.timeMs ?? NaN, time) : 0;
      if (c === 0) c = compareStrings(probe.sourceKey, sourceKey);
      if (c === 0) c = probe.line - line;
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return undefined;
  }

  /** One page of a scope's groups, and a "more" node when groups follow. Only the page's snapshots are built. */
  private groupPage(scope: Scope, offset: number, view: ViewOptions): TreeNode[] {
    const size = groupPageSizeOf(view);
    const page = this.model.groupsPage({ ...view, scope }, offset, size);
    const nodes = page.items.map(sniNode);
    const next = offset + size;
    if (next < page.total)
      nodes.push({ type: 'more', id: nodeId({ type: 'more', scope, offset: next }), scope, offset: next, remaining: page.total - next });
    return nodes;
  }

  /** One page of a kind node's entries, and a page node when entries follow. */
  private pageNodes(scope: Scope, sni: SniKey, kind: GroupKind, offset: number, view: ViewOptions): TreeNode[] {
    const size = pageSizeOf(view);
    const page = this.model.entriesOf(sni, kind, offset, size, { scope, order: view.order ?? 'line' });
    const nodes: TreeNode[] = page.items.map((entry) => ({
      type: 'entry',
      id: nodeId({ type: 'entry', scope, sni, kind, source: entry.sourceKey, line: entry.line }),
      entry,
    }));
    const next = page.offset + size;
    if (next < page.total) {
      nodes.push({
        type: 'page',
        id: nodeId({ type: 'page', scope, sni, kind, offset: next }),
        scope,
        sni,
        kind,
        offset: next,
        remaining: page.total - next,
      });
    }
    return nodes;
  }
}

function sniNode(group: SniGroup): TreeNode {
  return { type: 'sni', id: group.id, group };
}

function groupPageSizeOf(view: ViewOptions): number {
  const size = Math.floor(view.groupPageSize ?? DEFAULT_GROUP_PAGE_SIZE);
  return size >= 1 ? size : DEFAULT_GROUP_PAGE_SIZE;
}

function pageSizeOf(view: ViewOptions): number {
  const size = Math.floor(view.pageSize ?? DEFAULT_PAGE_SIZE);
  return size >= 1 ? size : DEFAULT_PAGE_SIZE;
}

/** The id of the source or firewall node holding a scope's groups; undefined for the first level. */
function containerId(scope: Scope): string | undefined {
  if (scope.by === 'source') return nodeId({ type: 'source', source: scope.source });
  if (scope.by === 'firewall') return nodeId({ type: 'firewall', firewall: scope.firewall });
  return undefined;
}

/** The scope an entry's node sits in when the tree is grouped by `groupBy`. */
function scopeFor(groupBy: GroupBy, sourceKey: string, firewall: string | null): Scope {
  if (groupBy === 'source') return { by: 'source', source: sourceKey };
  if (groupBy === 'firewall') return { by: 'firewall', firewall };
  return { by: 'all' };
}

function inScope(loc: EntryLocation, scope: Scope): boolean {
  if (scope.by === 'source') return loc.sourceKey === scope.source;
  if (scope.by === 'firewall') return loc.firewall === scope.firewall;
  return true;
}
