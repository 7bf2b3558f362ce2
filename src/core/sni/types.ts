/**
 * The SNI model's public vocabulary: scopes, filters and view options that queries take, and the groups,
 * pages and tree nodes they return. Plain data, so the tree provider and the CLI can hold and compare it.
 */
import type { GroupKind, SniKey } from '../parse/entryKind';

/** Which groups to show: `errors` = groups with TLS errors; `failing` = groups with any revoked, TLS error or unknown entry. */
export type KindFilter = 'all' | 'revoked' | 'unknown' | 'errors' | 'failing';
/** `count`: most entries first, then by name; `name`: case-insensitive A–Z; `latest`: most recent `lastSeen` first. */
export type SortOrder = 'count' | 'name' | 'latest';
/** First level of the tree: SNIs of all sources merged, or sources / firewalls each holding their SNIs. */
export type GroupBy = 'sni' | 'source' | 'firewall';
/** Order of entries under a kind node: by (source key, line) or by time (then source key, line). */
export type EntryOrder = 'line' | 'time';

/** Free-form facts about a source (path, firewall, region, account, time from an AWS file name, ...). */
export type SourceMeta = Readonly<Record<string, string>>;

/** Which part of the model a query looks at: everything, one source, or one firewall (`null` = entries without a firewall name). */
export type Scope =
  | { readonly by: 'all' }
  | { readonly by: 'source'; readonly source: string }
  | { readonly by: 'firewall'; readonly firewall: string | null };

/** Where one entry lives. This is all the model keeps of an entry; read the line for the rest. */
export interface EntryLocation {
  readonly sourceKey: string;
  readonly line: number;
  readonly sni: SniKey;
  readonly kind: GroupKind;
  readonly firewall: string | null;
  /** Epoch ms from `event.timestamp`, else from `event_timestamp`; undefined when neither was usable. */
  readonly timeMs?: number;
}

/** Revocation-check entries by action; `other` counts missing or undocumented actions. TLS error entries carry no action. */
export interface ActionCounts {
  readonly PASS: number;
  readonly DROP: number;
  readonly REJECT: number;
  readonly other: number;
}

/** A snapshot of one SNI group within a scope. Cheap to build; see `SniModel.details` for the costlier parts. */
export interface SniGroup {
  /** Tree node id of this group (`nodeId` in nodeIds.ts). */
  readonly id: string;
  readonly sni: SniKey;
  readonly scope: Scope;
  readonly entries: number;
  readonly tlsErrors: number;
  /** Revocation entries with status `REVOKED`. */
  readonly revoked: number;
  /** Revocation entries with status `UNKNOWN`. */
  readonly unknown: number;
  /** Revocation entries with any other or no status. */
  readonly otherStatus: number;
  readonly actions: ActionCounts;
  readonly worst: GroupKind;
  readonly firstSeen?: number;
  readonly lastSeen?: number;
}

/** Up to a few distinct values (sorted), how many distinct values were seen, and whether that total is exact. */
export interface DistinctValues<T> {
  readonly values: readonly T[];
  readonly total: number;
  /** False when the group has more distinct values than the model counts: `total` is then a lower bound. */
  readonly complete: boolean;
}

/** A group with its destinations, firewalls and per-source counts (for tooltips and detail views). */
export interface SniGroupDetails extends SniGroup {
  readonly destIps: DistinctValues<string>;
  readonly destPorts: DistinctValues<number>;
  /** Every firewall seen, sorted, `null` (no firewall name) last. */
  readonly firewalls: readonly (string | null)[];
  /** Entries per source, by source key. */
  readonly sources: readonly { readonly sourceKey: string; readonly entries: number }[];
}

/** One row of the CLI's `snis` report. */
export interface SniSummaryRow {
  readonly sni: SniKey;
  readonly entries: number;
  readonly tlsErrors: number;
  readonly revoked: number;
  readonly unknown: number;
}

/** Which groups to return and in what order. */
export interface GroupFilter {
  readonly sort?: SortOrder;
  /** Case-insensitive substring of the raw SNI. Groups without an `sni` field never match a non-empty text. */
  readonly text?: string;
  readonly kind?: KindFilter;
}

/** {@link GroupFilter} plus the part of the model to look at (default: everything). */
export interface GroupQuery extends GroupFilter {
  readonly scope?: Scope;
}

/** How the tree is shown; the tree provider keeps one of these and hands it to every call. */
export interface ViewOptions extends GroupFilter {
  readonly groupBy?: GroupBy;
  readonly order?: EntryOrder;
  /** Entries per page under a kind node (default 200). */
  readonly pageSize?: number;
  /** SNI groups per page at the first level or under a source or firewall (default 500). */
  readonly groupPageSize?: number;
}

/** One level-one node when grouping by source or firewall. */
export interface Container {
  readonly id: string;
  readonly scope: Scope & { readonly by: 'source' | 'firewall' };
  /** Entries in the groups that pass the filter. */
  readonly entries: number;
  /** Groups that pass the filter. */
  readonly groups: number;
  readonly meta?: SourceMeta;
}

/** A kind node under an SNI group. */
export interface KindCount {
  readonly kind: GroupKind;
  readonly label: string;
  readonly count: number;
}

/** A page of entries. */
export interface EntryPage {
  readonly total: number;
  readonly offset: number;
  readonly items: readonly EntryLocation[];
}

/** A page of a scope's groups in the order asked for; `total` counts every group that passes the filter. */
export interface GroupPage {
  readonly total: number;
  readonly offset: number;
  readonly items: readonly SniGroup[];
}

/** A node of the tree, ready to be mapped to a tree item. */
export type TreeNode =
  | ({ readonly type: 'source' | 'firewall' } & Container)
  | { readonly type: 'sni'; readonly id: string; readonly group: SniGroup }
  | {
      readonly type: 'kind';
      readonly id: string;
      readonly scope: Scope;
      readonly sni: SniKey;
      readonly kind: GroupKind;
      readonly label: string;
      readonly count: number;
    }
  | { readonly type: 'entry'; readonly id: string; readonly entry: EntryLocation }
  | {
      /** "More SNIs": the groups of a scope from `offset` on. */
      readonly type: 'more';
      readonly id: string;
      readonly scope: Scope;
      readonly offset: number;
      readonly remaining: number;
    }
  | {
      readonly type: 'page';
      readonly id: string;
      readonly scope: Scope;
      readonly sni: SniKey;
      readonly kind: GroupKind;
      /** Index of the first entry this node holds. */
      readonly offset: number;
      /** Entries from `offset` to the end. */
      readonly remaining: number;
    };

/** What changed: the new version and the sources whose contribution changed. */
export interface SniModelChange {
  readonly version: number;
  readonly sources: readonly string[];
}

export type SniModelChangeListener = (change: SniModelChange) => void;

export interface SniModelOptions {
  /** Distinct destination addresses (and, separately, ports) that `SniModel.details` counts per group; past it the total is a lower bound. Default 1000. */
  readonly distinctLimit?: number;
}
