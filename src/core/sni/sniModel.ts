/**
 * The SNI grouping model behind the sidebar tree and the CLI's `snis` report.
 *
 * Entries arrive per source (one file or document, named by a string key such as a URI). Replacing or
 * removing one source subtracts only that source's rows from the aggregates they feed; the other sources
 * are never re-read.
 *
 * Memory: no `TlsEntry` is retained. Each entry is a row of its source's typed-array columns (line, SNI id,
 * kind and action, time, destination address id and port: about 25 bytes, plus 4 per line for the
 * line-to-row index), with SNIs, firewalls and addresses interned once for the whole model. Per SNI the
 * model keeps one aggregate for all sources and one per firewall; a source keeps 20 bytes of counts per SNI
 * it holds. Everything else (per-source aggregates, entry lists in line or time order, destinations) is
 * read from the rows when asked for and cached until the data changes, so 2.8 million entries from a
 * thousand files cost about 100 MB however many (file, SNI) pairs they spread over. Paging a kind node builds
 * a (source, row) list of that one group and kind (8 bytes an entry); only `limit` locations are ever turned
 * into objects.
 *
 * Editor-free: the tree provider maps {@link TreeNode}s to tree items and asks {@link SniModel.parentOf}
 * for `getParent`; the CLI calls {@link SniModel.summary}.
 */
import type { EntryBatch } from '../parse/entryBatch';
import { ownCopy } from '../ownCopy';
import { widened } from '../typedArrays';
import type { LineResult, TlsEntry } from '../parse/types';

// ---------------------------------------------------------------------------------------------------------
// Public types

/** An SNI as logged (`"-"` = the client hello had none), or `null` when the entry had no usable `sni` field. */
export type SniKey = string | null;

/**
 * What an entry is, for grouping. `other` holds revocation-check entries whose status is missing or not one
 * of the documented `REVOKED`/`UNKNOWN` (docs/FORMAT.md, "Revocation check"); statuses are matched exactly, as logged.
 */
export type GroupKind = 'revoked' | 'tlsError' | 'unknown' | 'other';

/**
 * Kinds from worst to least bad; a group's `worst` is the first kind it has, and kind nodes are listed in
 * this order.
 * - `revoked`: the CA has positively said the server's certificate must not be trusted. It is a security
 *   finding, and with action `PASS` traffic still reached that server.
 * - `tlsError`: the firewall reset the connection, so something certainly broke, but the cause is usually a
 *   client or configuration problem (no SNI, a name the certificate does not cover), not a compromised peer.
 * - `unknown`: the firewall could not learn the status (responder unreachable or silent); often transient.
 * - `other`: a status no documentation describes; it cannot be ranked, so it comes last but is still shown.
 */
export const GROUP_KINDS: readonly GroupKind[] = ['revoked', 'tlsError', 'unknown', 'other'];

/** Labels of the kind nodes under an SNI group. */
export const KIND_LABELS: Readonly<Record<GroupKind, string>> = {
  revoked: 'Revoked',
  tlsError: 'TLS errors',
  unknown: 'Unknown',
  other: 'Other status',
};

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

/** One entry handed to the model: its 0-based line in the source and the parsed entry (not retained). */
export interface EntryRef {
  readonly line: number;
  readonly entry: TlsEntry;
}

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

/** A snapshot of one SNI group within a scope. Cheap to build; see {@link SniModel.details} for the costlier parts. */
export interface SniGroup {
  /** Tree node id of this group ({@link nodeId}). */
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

/** The parsed form of a node id. */
export type NodeRef =
  | { readonly type: 'source'; readonly source: string }
  | { readonly type: 'firewall'; readonly firewall: string | null }
  | { readonly type: 'sni'; readonly scope: Scope; readonly sni: SniKey }
  | { readonly type: 'more'; readonly scope: Scope; readonly offset: number }
  | { readonly type: 'kind'; readonly scope: Scope; readonly sni: SniKey; readonly kind: GroupKind }
  | { readonly type: 'page'; readonly scope: Scope; readonly sni: SniKey; readonly kind: GroupKind; readonly offset: number }
  | {
      readonly type: 'entry';
      readonly scope: Scope;
      readonly sni: SniKey;
      readonly kind: GroupKind;
      readonly source: string;
      readonly line: number;
    };

/** What changed: the new version and the sources whose contribution changed. */
export interface ModelChange {
  readonly version: number;
  readonly sources: readonly string[];
}

export type ChangeListener = (change: ModelChange) => void;

export interface SniModelOptions {
  /** Distinct destination addresses (and, separately, ports) that {@link SniModel.details} counts per group; past it the total is a lower bound. Default 1000. */
  readonly distinctLimit?: number;
}

/** Default entries per page under a kind node. */
export const DEFAULT_PAGE_SIZE = 200;
/** Default SNI groups per page at the first level and under a source or firewall. */
export const DEFAULT_GROUP_PAGE_SIZE = 500;
/** How many distinct values {@link SniGroupDetails} lists. */
export const DISTINCT_SAMPLE = 20;
const DEFAULT_DISTINCT_LIMIT = 1000;
/** Lines are stored in Int32Arrays. */
const MAX_LINE = 0x7ffffffe;

// ---------------------------------------------------------------------------------------------------------
// Labels and entry helpers

/** The label to show for an SNI: raw value, except `"-"`, `""` and a missing field, which get a description. */
export function sniLabel(sni: SniKey): string {
  if (sni === null) return '(no SNI field)';
  if (sni === '-') return '(no SNI in client hello)';
  if (sni === '') return '(empty SNI)';
  return sni;
}

/** The group kind of an entry. */
export function kindOf(entry: TlsEntry): GroupKind {
  return GROUP_KINDS[kindIndex(entry)];
}

/** Turns per-line parse results (index = line - firstLine) into refs for the model, skipping lines without an entry. */
export function refsFromLineResults(results: readonly LineResult[], firstLine = 0): EntryRef[] {
  const refs: EntryRef[] = [];
  for (let i = 0; i < results.length; i++) {
    const entry = results[i].entry;
    if (entry !== undefined) refs.push({ line: firstLine + i, entry });
  }
  return refs;
}

/** The index in {@link GROUP_KINDS} of an entry's group kind. */
export function kindIndex(entry: TlsEntry): number {
  return kindIndexOf(entry.kind === 'revocation', entry.status);
}

/** {@link kindIndex} from what a packed entry keeps: whether it is a revocation check, and its status. */
function kindIndexOf(revocation: boolean, status: string | undefined): number {
  if (!revocation) return K_TLS;
  if (status === 'REVOKED') return K_REVOKED;
  if (status === 'UNKNOWN') return K_UNKNOWN;
  return K_OTHER;
}

function timeOf(entry: TlsEntry): number {
  if (entry.timeMs !== undefined && Number.isFinite(entry.timeMs)) return entry.timeMs;
  if (entry.eventTimestamp !== undefined && Number.isFinite(entry.eventTimestamp)) return entry.eventTimestamp * 1000;
  return NaN;
}

// Indices into GROUP_KINDS, and slots of a counts vector.
const K_REVOKED = 0;
const K_TLS = 1;
const K_UNKNOWN = 2;
const K_OTHER = 3;
const C_ENTRIES = 0;
const C_KIND = 1; // + kind index
const C_ACTION = 5; // + action index: PASS, DROP, REJECT, other
const ACTIONS = ['PASS', 'DROP', 'REJECT'] as const;

function actionIndex(action: string | undefined): number {
  const i = action === undefined ? -1 : (ACTIONS as readonly string[]).indexOf(action);
  return i < 0 ? 3 : i;
}

// ---------------------------------------------------------------------------------------------------------
// Node ids
//
// Scheme (each <...> is encoded with encodeIdPart, so it never holds '/', ':', '#'):
//   src:<source>                         a source (group by source)
//   fw:<firewall>                        a firewall (group by firewall)
//   [src:<source>/|fw:<firewall>/]sni:<sni>
//   <sni node>/kind:<kind>               kind is one of GROUP_KINDS
//   <kind node>/page:<offset>            "show more": entries from offset on
//   <kind node>/entry:<source>#<line>    one entry; its id does not depend on paging

/**
 * Encodes a value for a node id: `[A-Za-z0-9._~-]` stay as they are, every other UTF-16 code unit becomes
 * `%` and four upper-case hex digits (so lone surrogates round-trip too), and `null` becomes `!`.
 */
export function encodeIdPart(value: string | null): string {
  if (value === null) return '!';
  let out = '';
  let run = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (isSafeIdChar(c)) continue;
    out += value.slice(run, i) + '%' + c.toString(16).toUpperCase().padStart(4, '0');
    run = i + 1;
  }
  return run === 0 ? value : out + value.slice(run);
}

/** Reverses {@link encodeIdPart}; undefined when `text` is not something it produces. */
export function decodeIdPart(text: string): string | null | undefined {
  if (text === '!') return null;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSafeIdChar(c)) {
      out += text[i];
    } else if (c === 0x25 && /^[0-9A-F]{4}$/.test(text.slice(i + 1, i + 5))) {
      const unit = parseInt(text.slice(i + 1, i + 5), 16);
      if (isSafeIdChar(unit)) return undefined; // not canonical: ids must be unique
      out += String.fromCharCode(unit);
      i += 4;
    } else {
      return undefined;
    }
  }
  return out;
}

function isSafeIdChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e
  );
}

function scopePrefix(scope: Scope): string {
  if (scope.by === 'source') return `src:${encodeIdPart(scope.source)}/`;
  if (scope.by === 'firewall') return `fw:${encodeIdPart(scope.firewall)}/`;
  return '';
}

/** The id of a node. Ids are unique across node kinds and scopes, and {@link parseNodeId} reverses them. */
export function nodeId(ref: NodeRef): string {
  switch (ref.type) {
    case 'source':
      return `src:${encodeIdPart(ref.source)}`;
    case 'firewall':
      return `fw:${encodeIdPart(ref.firewall)}`;
    case 'sni':
      return `${scopePrefix(ref.scope)}sni:${encodeIdPart(ref.sni)}`;
    case 'more':
      return `${scopePrefix(ref.scope)}more:${ref.offset}`;
    case 'kind':
      return `${scopePrefix(ref.scope)}sni:${encodeIdPart(ref.sni)}/kind:${ref.kind}`;
    case 'page':
      return `${scopePrefix(ref.scope)}sni:${encodeIdPart(ref.sni)}/kind:${ref.kind}/page:${ref.offset}`;
    case 'entry':
      return `${scopePrefix(ref.scope)}sni:${encodeIdPart(ref.sni)}/kind:${ref.kind}/entry:${encodeIdPart(ref.source)}#${ref.line}`;
  }
}

/** Parses an id made by {@link nodeId}; undefined for anything else. */
export function parseNodeId(id: string): NodeRef | undefined {
  const parts = id.split('/');
  let i = 0;
  let scope: Scope = { by: 'all' };
  const first = splitSegment(parts[0]);
  if (first === undefined) return undefined;
  if (first.name === 'src' || first.name === 'fw') {
    const value = decodeIdPart(first.value);
    if (value === undefined) return undefined;
    if (first.name === 'src') {
      if (value === null) return undefined;
      if (parts.length === 1) return { type: 'source', source: value };
      scope = { by: 'source', source: value };
    } else {
      if (parts.length === 1) return { type: 'firewall', firewall: value };
      scope = { by: 'firewall', firewall: value };
    }
    i = 1;
  }
  const sniSeg = splitSegment(parts[i]);
  if (sniSeg?.name === 'more' && parts.length === i + 1) {
    const offset = parseIndex(sniSeg.value);
    return offset === undefined ? undefined : { type: 'more', scope, offset };
  }
  if (sniSeg === undefined || sniSeg.name !== 'sni') return undefined;
  const sni = decodeIdPart(sniSeg.value);
  if (sni === undefined) return undefined;
  if (parts.length === i + 1) return { type: 'sni', scope, sni };
  const kindSeg = splitSegment(parts[i + 1]);
  if (kindSeg === undefined || kindSeg.name !== 'kind') return undefined;
  const kind = GROUP_KINDS.find((k) => k === kindSeg.value);
  if (kind === undefined) return undefined;
  if (parts.length === i + 2) return { type: 'kind', scope, sni, kind };
  if (parts.length !== i + 3) return undefined;
  const last = splitSegment(parts[i + 2]);
  if (last === undefined) return undefined;
  if (last.name === 'page') {
    const offset = parseIndex(last.value);
    return offset === undefined ? undefined : { type: 'page', scope, sni, kind, offset };
  }
  if (last.name === 'entry') {
    const hash = last.value.indexOf('#');
    if (hash < 0) return undefined;
    const source = decodeIdPart(last.value.slice(0, hash));
    const line = parseIndex(last.value.slice(hash + 1));
    if (source === undefined || source === null || line === undefined) return undefined;
    return { type: 'entry', scope, sni, kind, source, line };
  }
  return undefined;
}

function splitSegment(segment: string | undefined): { name: string; value: string } | undefined {
  if (segment === undefined) return undefined;
  const colon = segment.indexOf(':');
  return colon < 0 ? undefined : { name: segment.slice(0, colon), value: segment.slice(colon + 1) };
}

function parseIndex(text: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,9})$/.test(text)) return undefined;
  const n = Number(text);
  return n <= MAX_LINE ? n : undefined;
}

function scopeFor(groupBy: GroupBy, sourceKey: string, firewall: string | null): Scope {
  if (groupBy === 'source') return { by: 'source', source: sourceKey };
  if (groupBy === 'firewall') return { by: 'firewall', firewall };
  return { by: 'all' };
}

// ---------------------------------------------------------------------------------------------------------
// Storage
//
// Every entry is a row of a source's columns: line, SNI id, kind and action, time, destination address id
// and port, plus the firewall id when a source holds more than one firewall. SNIs, firewalls and addresses
// are interned once for the whole model, so a row costs about 25 bytes and a line 4 more (line -> row).
// A source also keeps, per SNI it holds, its entries by kind (a map entry and 20 bytes): enough to list
// sources and containers without reading rows. Aggregates per SNI (all sources) and per (firewall, SNI) are
// kept up to date row by row; everything per (source, SNI) beyond that, and entry lists, addresses and
// ports, are read from the rows on demand and cached until the data changes.

/** Entries of one SNI within a source, by kind: [entries, revoked, tlsError, unknown, other]. */
const L_STRIDE = 5;
/** Sources whose per-SNI aggregates (actions, times, entry lists) are kept built at once. */
const SOURCE_AGG_CACHE = 16;

/** Counts of one SNI within a scope; times are exact while `timesDirty` is false. */
class Agg {
  // Slots: entries, the four kinds, the four actions (see C_*).
  readonly counts: number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  first = NaN;
  last = NaN;
  /** Rows were removed: first/last must be recomputed from the rows. */
  timesDirty = false;
  revision = 0;
  orderCache: Map<string, Materialized> | undefined;
  /** The last snapshot, valid while `revision` is `snapRevision`. */
  snap: SniGroup | undefined;
  snapRevision = -1;

  constructor(
    readonly sni: SniKey,
    readonly sniId: number,
    /** Only rows of this firewall id count; -1 = any firewall. */
    readonly fwId: number,
    /** Only rows of this source count; undefined = every source. */
    readonly source: SourceState | undefined,
  ) {}
}

/** Entries of one (scope, SNI, kind) in one order, as (source, row) pairs. */
interface Materialized {
  readonly revision: number;
  readonly sources: readonly SourceState[];
  readonly srcOf: Int32Array;
  readonly rowOf: Int32Array;
}

class SourceState {
  meta: SourceMeta | undefined;
  rows = 0;
  lines = new Int32Array(0);
  snis = new Int32Array(0);
  /** Bits 0–1: kind index; bits 2–4: 0 for TLS errors, else 1 + action index. */
  codes = new Uint8Array(0);
  times = new Float64Array(0);
  /** Destination address (see ipCode), -1 when absent. */
  ips = new Float64Array(0);
  /** Destination port, -1 when absent. */
  ports = new Int32Array(0);
  /** The firewall id of every row while they all share one (-2 before the first row). */
  fwUniform = -2;
  /** Per-row firewall ids once a second firewall appears. */
  fws: Int32Array | undefined;
  /**
   * line -> row + 1 (0 = no entry on that line), built only once a line arrives that is not after the
   * last one; until then rows are in strictly increasing line order and a line is found by binary search.
   */
  lineIndex: Int32Array | undefined;
  /** Rows are in line order. */
  inOrder = true;
  /**
   * SNI id -> index of its counts in `stats`, while the source is being appended to; afterwards the ids are
   * kept sorted in `ids` and the counts of `ids[i]` are at `i * L_STRIDE`.
   */
  local: Map<number, number> | undefined = new Map();
  ids: Int32Array | undefined;
  stats = new Int32Array(0);
  /** Bumped by every change to this source's rows. */
  revision = 0;
  /** Per-SNI aggregates of this source, built on demand for `revision`. */
  aggs: { revision: number; map: Map<number, Agg> } | undefined;

  constructor(
    readonly key: string,
    meta: SourceMeta | undefined,
  ) {
    this.meta = meta;
  }

  fwOf(row: number): number {
    return this.fws === undefined ? this.fwUniform : this.fws[row];
  }

  /** Room for `extra` more rows. */
  reserve(extra: number): void {
    const need = this.rows + extra;
    if (need <= this.lines.length) return;
    const size = this.lines.length === 0 ? need : Math.max(need, Math.ceil(this.lines.length * 1.5));
    this.lines = widened(this.lines, size);
    this.snis = widened(this.snis, size);
    this.codes = widened(this.codes, size);
    this.times = widened(this.times, size);
    this.ips = widened(this.ips, size);
    this.ports = widened(this.ports, size);
    if (this.fws !== undefined) this.fws = widened(this.fws, size);
  }

  /** The stats index of an SNI, created when new (only while appending: see {@link expand}). */
  statsOf(sniId: number): number {
    const local = this.local as Map<number, number>;
    let at = local.get(sniId);
    if (at === undefined) {
      at = local.size * L_STRIDE;
      if (at + L_STRIDE > this.stats.length) this.stats = widened(this.stats, Math.max(L_STRIDE * 4, this.stats.length * 2));
      local.set(sniId, at);
    }
    return at;
  }

  hasSni(sniId: number): boolean {
    if (this.local !== undefined) return this.local.has(sniId);
    const ids = this.ids as Int32Array;
    const at = lowerBound(ids, ids.length, sniId);
    return at < ids.length && ids[at] === sniId;
  }

  /** Calls `fn` with each SNI id the source holds and the index of its counts in `stats`. */
  forEachSni(fn: (sniId: number, at: number) => void): void {
    if (this.local !== undefined) {
      for (const [sniId, at] of this.local) fn(sniId, at);
    } else {
      const ids = this.ids as Int32Array;
      for (let i = 0; i < ids.length; i++) fn(ids[i], i * L_STRIDE);
    }
  }

  /** Packs the per-SNI counts into sorted typed arrays (a map entry per SNI costs several times more). */
  compact(): void {
    const local = this.local;
    if (local === undefined) return;
    const pairs = [...local].sort((a, b) => a[0] - b[0]);
    const ids = new Int32Array(pairs.length);
    const stats = new Int32Array(pairs.length * L_STRIDE);
    for (let i = 0; i < pairs.length; i++) {
      ids[i] = pairs[i][0];
      stats.set(this.stats.subarray(pairs[i][1], pairs[i][1] + L_STRIDE), i * L_STRIDE);
    }
    this.ids = ids;
    this.stats = stats;
    this.local = undefined;
  }

  /** Makes the per-SNI counts growable again, for appending. */
  expand(): void {
    if (this.local !== undefined) return;
    const ids = this.ids as Int32Array;
    const local = new Map<number, number>();
    for (let i = 0; i < ids.length; i++) local.set(ids[i], i * L_STRIDE);
    this.local = local;
    this.ids = undefined;
  }

  /** The row holding a line, or -1. */
  rowOfLine(line: number): number {
    if (this.lineIndex !== undefined) return line < this.lineIndex.length ? this.lineIndex[line] - 1 : -1;
    const at = lowerBound(this.lines, this.rows, line);
    return at < this.rows && this.lines[at] === line ? at : -1;
  }

  /** Builds the line index from the rows (when lines stop arriving in increasing order). */
  indexLines(maxLine: number): void {
    const last = this.rows > 0 ? this.lines[this.rows - 1] : -1;
    const index = new Int32Array(Math.max(maxLine, last) + 1);
    for (let row = 0; row < this.rows; row++) index[this.lines[row]] = row + 1;
    this.lineIndex = index;
  }
}

/** The first index below `end` whose value in the sorted `values` is not less than `value` (`end` when none is). */
function lowerBound(values: Int32Array, end: number, value: number): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}


/** Interns values as dense ids. */
class Interner<T> {
  private readonly ids = new Map<T, number>();
  readonly values: T[] = [];

  id(value: T): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  find(value: T): number | undefined {
    return this.ids.get(value);
  }
}

// ---------------------------------------------------------------------------------------------------------
// The model

/**
 * Entries of many sources grouped by SNI. Mutations bump {@link version} and call the change listeners
 * synchronously; the editor debounces refreshes itself.
 */
export class SniModel {
  private readonly sources = new Map<string, SourceState>();
  private bySni = new Map<number, Agg>();
  private byFirewall = new Map<number, Map<number, Agg>>();
  private sniIds = new Interner<SniKey>();
  private fwIds = new Interner<string | null>();
  private ipIds = new Interner<string>();
  private sniLower: (string | undefined)[] = [];
  /** Every SNI id in name order (see {@link compareNameIds}), and each id's place in it: sorting by name compares two numbers. */
  private nameOrder = new Int32Array(0);
  private nameRank = new Int32Array(0);
  private readonly dirtyTimes = new Set<Agg>();
  private readonly sourceAggOrder: SourceState[] = [];
  private sortedKeys: string[] | undefined;
  private readonly listeners: ChangeListener[] = [];
  private readonly distinctLimit: number;
  private versionCounter = 0;

  constructor(options: SniModelOptions = {}) {
    this.distinctLimit = Math.max(0, Math.floor(options.distinctLimit ?? DEFAULT_DISTINCT_LIMIT));
  }

  /** Bumped by every mutation. */
  get version(): number {
    return this.versionCounter;
  }

  /** Entries in all sources. */
  get totalEntries(): number {
    let n = 0;
    for (const s of this.sources.values()) n += s.rows;
    return n;
  }

  /** Calls `listener` after every mutation; returns a function that unsubscribes it. */
  onDidChange(listener: ChangeListener): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  // --- mutations -------------------------------------------------------------------------------------

  /**
   * Replaces a source's contribution (the document was opened or edited). `meta` replaces the source's
   * metadata when given. Lines must be integers in [0, 2^31 - 2]; a line already given earlier in `refs`
   * is skipped. Returns how many entries were added.
   * @throws RangeError for an invalid line, before anything changes.
   */
  setSourceEntries(sourceKey: string, refs: readonly EntryRef[], meta?: SourceMeta): number {
    validateLines(refs);
    const old = this.sources.get(sourceKey);
    if (old !== undefined) this.detach(old);
    const state = this.createSource(sourceKey, meta ?? old?.meta);
    const added = this.appendRefs(state, refs);
    this.fire([sourceKey]);
    return added;
  }

  /**
   * Appends entries to a source, creating it if needed (a streaming scan delivering batches). A ref whose
   * line the source already holds is skipped. Returns how many entries were added.
   * @throws RangeError for an invalid line, before anything changes.
   */
  addEntries(sourceKey: string, refs: readonly EntryRef[], meta?: SourceMeta): number {
    validateLines(refs);
    const state = this.sourceFor(sourceKey, meta);
    const added = this.appendRefs(state, refs);
    this.fire([sourceKey]);
    return added;
  }

  /**
   * {@link addEntries} for a packed batch from a worker: the same result without an object per entry.
   * @throws RangeError for an invalid line, before anything changes.
   */
  addBatch(sourceKey: string, batch: EntryBatch, meta?: SourceMeta): number {
    for (let i = 0; i < batch.count; i++) {
      const line = batch.lines[i];
      if (!(line >= 0 && line <= MAX_LINE)) throw new RangeError(`Invalid line index ${line}: lines are integers from 0 to ${MAX_LINE}.`);
    }
    const state = this.sourceFor(sourceKey, meta);
    const strings = batch.strings;
    // Batch string index -> model id, filled as strings are met (-2 = not yet).
    const sniOf = new Int32Array(strings.length).fill(-2);
    const fwOf = new Int32Array(strings.length).fill(-2);
    const ipOf = new Float64Array(strings.length).fill(-2);
    const noSni = this.sniIds.id(null);
    const noFw = this.fwIds.id(null);
    let maxLine = -1;
    for (let i = 0; i < batch.count; i++) if (batch.lines[i] > maxLine) maxLine = batch.lines[i];
    this.prepare(state, batch.count, maxLine);
    let added = 0;
    for (let i = 0; i < batch.count; i++) {
      const s = batch.sni[i];
      let sniId = noSni;
      if (s >= 0) {
        sniId = sniOf[s];
        if (sniId === -2) sniId = sniOf[s] = this.sniIds.id(strings[s]);
      }
      const f = batch.firewall[i];
      let fwId = noFw;
      if (f >= 0) {
        fwId = fwOf[f];
        if (fwId === -2) fwId = fwOf[f] = this.fwIds.id(strings[f]);
      }
      const p = batch.destIp[i];
      let ipId = -1;
      if (p >= 0) {
        ipId = ipOf[p];
        if (ipId === -2) ipId = ipOf[p] = this.ipCode(strings[p]);
      }
      const revocation = batch.kinds[i] === 1;
      const st = batch.status[i];
      const status = st >= 0 ? strings[st] : undefined;
      const k = kindIndexOf(revocation, status);
      const a = batch.action[i];
      const code = k | ((revocation ? 1 + actionIndex(a >= 0 ? strings[a] : undefined) : 0) << 2);
      let time = batch.timeMs[i];
      if (!Number.isFinite(time)) {
        const seconds = batch.eventTimestamp[i];
        time = Number.isFinite(seconds) ? seconds * 1000 : NaN;
      }
      if (this.appendRow(state, batch.lines[i], sniId, fwId, code, time, ipId, batch.destPort[i])) added++;
    }
    this.finishAppend(state);
    this.fire([sourceKey]);
    return added;
  }

  /** Sets a source's metadata (creating an empty source if needed). */
  setSourceMeta(sourceKey: string, meta: SourceMeta | undefined): void {
    const state = this.sources.get(sourceKey) ?? this.createSource(sourceKey, undefined);
    state.meta = meta;
    this.fire([sourceKey]);
  }

  /** Drops a source and its entries. Returns false when there was no such source. */
  removeSource(sourceKey: string): boolean {
    const state = this.sources.get(sourceKey);
    if (state === undefined) return false;
    this.detach(state);
    this.fire([sourceKey]);
    return true;
  }

  /** Drops everything. */
  clear(): void {
    const keys = [...this.sources.keys()];
    this.sources.clear();
    this.bySni = new Map();
    this.byFirewall = new Map();
    this.sniIds = new Interner();
    this.fwIds = new Interner();
    this.ipIds = new Interner();
    this.sniLower = [];
    this.nameOrder = new Int32Array(0);
    this.nameRank = new Int32Array(0);
    this.dirtyTimes.clear();
    this.sourceAggOrder.length = 0;
    this.appending = undefined;
    this.sortedKeys = undefined;
    this.fire(keys);
  }

  // --- sources ---------------------------------------------------------------------------------------

  /** Source keys in code-unit order. */
  sourceKeys(): readonly string[] {
    if (this.sortedKeys === undefined) this.sortedKeys = [...this.sources.keys()].sort(compareStrings);
    return this.sortedKeys;
  }

  /** A source's metadata, if any. */
  sourceMeta(sourceKey: string): SourceMeta | undefined {
    return this.sources.get(sourceKey)?.meta;
  }

  /** Entries in one source (0 when unknown). */
  sourceEntries(sourceKey: string): number {
    return this.sources.get(sourceKey)?.rows ?? 0;
  }

  // --- queries ---------------------------------------------------------------------------------------

  /** SNI groups of a scope (default: all sources merged) that pass the filter, sorted. */
  groups(query: GroupQuery = {}): SniGroup[] {
    const scope = query.scope ?? ALL;
    return this.sortedAggs(query).map((agg) => snapshot(agg, scope));
  }

  /** How many groups of a scope pass the filter; cheaper than {@link groups} (nothing is sorted or built). */
  groupCount(query: GroupQuery = {}): number {
    const map = this.aggMap(query.scope ?? ALL);
    if (map === undefined) return 0;
    if ((query.text ?? '') === '' && (query.kind ?? 'all') === 'all') return map.size;
    const matcher = this.matcher(query);
    let n = 0;
    for (const agg of map.values()) if (matcher(agg.sniId, agg.counts, C_KIND)) n++;
    return n;
  }

  /** Level-one nodes when grouping by source (by key) or by firewall (by name, no name last), without empty ones. */
  containers(by: 'source' | 'firewall', filter: GroupFilter = {}): Container[] {
    const matcher = this.matcher(filter);
    const out: Container[] = [];
    const push = (scope: Scope & { by: 'source' | 'firewall' }, entries: number, groups: number, meta?: SourceMeta): void => {
      if (groups === 0) return;
      const id = scope.by === 'source' ? nodeId({ type: 'source', source: scope.source }) : nodeId({ type: 'firewall', firewall: scope.firewall });
      out.push(meta === undefined ? { id, scope, entries, groups } : { id, scope, entries, groups, meta });
    };
    if (by === 'source') {
      for (const key of this.sourceKeys()) {
        const state = this.sources.get(key);
        if (state === undefined) continue;
        let entries = 0;
        let groups = 0;
        state.forEachSni((sniId, at) => {
          if (state.stats[at] === 0 || !matcher(sniId, state.stats, at + 1)) return;
          entries += state.stats[at];
          groups++;
        });
        push({ by: 'source', source: key }, entries, groups, state.meta);
      }
    } else {
      const ids = [...this.byFirewall.keys()].sort((a, b) => compareNullLast(this.fwIds.values[a], this.fwIds.values[b]));
      for (const fwId of ids) {
        const map = this.byFirewall.get(fwId) as Map<number, Agg>;
        let entries = 0;
        let groups = 0;
        for (const agg of map.values()) {
          if (!matcher(agg.sniId, agg.counts, C_KIND)) continue;
          entries += agg.counts[C_ENTRIES];
          groups++;
        }
        push({ by: 'firewall', firewall: this.fwIds.values[fwId] }, entries, groups);
      }
    }
    return out;
  }

  /** One group, or undefined when the scope has no entry with that SNI. */
  group(sni: SniKey, scope: Scope = ALL): SniGroup | undefined {
    const agg = this.agg(scope, sni);
    if (agg === undefined) return undefined;
    this.refreshTimes();
    return snapshot(agg, scope);
  }

  /** A group with destinations, firewalls and per-source counts, read from its rows. */
  details(sni: SniKey, scope: Scope = ALL): SniGroupDetails | undefined {
    const agg = this.agg(scope, sni);
    if (agg === undefined) return undefined;
    this.refreshTimes();
    const ips = new Set<number>();
    const ports = new Set<number>();
    const firewalls = new Set<number>();
    const perSource: { sourceKey: string; entries: number }[] = [];
    let ipsComplete = true;
    let portsComplete = true;
    const limit = this.distinctLimit;
    for (const state of this.sourcesOf(agg)) {
      let entries = 0;
      this.forRows(agg, state, (row) => {
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
    const ipNames = [...ips].map((code) => (code < IP_OTHER ? ipv4Text(code) : this.ipIds.values[code - IP_OTHER]));
    return {
      ...snapshot(agg, scope),
      destIps: distinct(ipNames.sort(compareStrings), ipsComplete),
      destPorts: distinct([...ports].sort((a, b) => a - b), portsComplete),
      firewalls: [...firewalls].map((id) => this.fwIds.values[id]).sort(compareNullLast),
      sources: perSource,
    };
  }

  /** The kinds a group holds (in {@link GROUP_KINDS} order), limited to those the filter asks for. */
  kindsOf(sni: SniKey, scope: Scope = ALL, filter: KindFilter = 'all'): KindCount[] {
    const agg = this.agg(scope, sni);
    if (agg === undefined) return [];
    const out: KindCount[] = [];
    for (let k = 0; k < GROUP_KINDS.length; k++) {
      const count = agg.counts[C_KIND + k];
      if (count > 0 && kindAllowed(k, filter)) out.push({ kind: GROUP_KINDS[k], label: KIND_LABELS[GROUP_KINDS[k]], count });
    }
    return out;
  }

  /**
   * A page of one group's entries of one kind. Line order is (source key, line); time order is (time,
   * source key, line) with undated entries last. Only `limit` locations are built, whatever the group's size.
   */
  entriesOf(sni: SniKey, kind: GroupKind, offset: number, limit: number, options: { scope?: Scope; order?: EntryOrder } = {}): EntryPage {
    const agg = this.agg(options.scope ?? ALL, sni);
    const k = GROUP_KINDS.indexOf(kind);
    const start = Math.max(0, Math.floor(offset));
    if (agg === undefined || k < 0) return { total: 0, offset: start, items: [] };
    const m = this.materialize(agg, k, options.order ?? 'line');
    const total = m.rowOf.length;
    const end = Math.min(total, start + Math.max(0, Math.floor(limit)));
    const items: EntryLocation[] = [];
    for (let i = start; i < end; i++) items.push(this.locationOf(m.sources[m.srcOf[i]], m.rowOf[i]));
    return { total, offset: start, items };
  }

  /**
   * The entry of `sni` after (direction 1) or before (-1) `fromLine` in the same source, wrapping around
   * at the ends; optionally only entries of one kind. `fromLine` need not hold an entry. Undefined when the
   * source has no such entry.
   */
  navigate(sni: SniKey, fromSource: string, fromLine: number, direction: 1 | -1, kind?: GroupKind): EntryLocation | undefined {
    const state = this.sources.get(fromSource);
    const sniId = this.sniIds.find(sni);
    if (state === undefined || sniId === undefined || !state.hasSni(sniId)) return undefined;
    const only = kind === undefined ? -1 : GROUP_KINDS.indexOf(kind);
    let best = -1;
    let wrap = -1;
    const { lines, snis, codes } = state;
    for (let row = 0; row < state.rows; row++) {
      if (snis[row] !== sniId || (only >= 0 && (codes[row] & 3) !== only)) continue;
      const line = lines[row];
      if (direction === 1) {
        if (line > fromLine && (best < 0 || line < lines[best])) best = row;
        if (wrap < 0 || line < lines[wrap]) wrap = row;
      } else {
        if (line < fromLine && (best < 0 || line > lines[best])) best = row;
        if (wrap < 0 || line > lines[wrap]) wrap = row;
      }
    }
    const hit = best >= 0 ? best : wrap;
    return hit < 0 ? undefined : this.locationOf(state, hit);
  }

  /** The entry on a line of a source, or undefined when that line holds none. O(1). */
  findGroupForLine(sourceKey: string, line: number): EntryLocation | undefined {
    const state = this.sources.get(sourceKey);
    if (state === undefined || !Number.isInteger(line) || line < 0) return undefined;
    const row = state.rowOfLine(line);
    return row < 0 ? undefined : this.locationOf(state, row);
  }

  /** Rows of the CLI's `snis` report, most entries first. */
  summary(): SniSummaryRow[] {
    return this.groups({ sort: 'count' }).map(summaryRow);
  }

  /** SNIs with any TLS error, revoked or unknown entry, most entries first. */
  failingSnis(): SniKey[] {
    return this.groups({ sort: 'count', kind: 'failing' }).map((g) => g.sni);
  }

  // --- tree projection -------------------------------------------------------------------------------

  /** Children of a node (`undefined` = the roots) as the tree shows them under `view`; [] for unknown ids. */
  children(parentId: string | undefined, view: ViewOptions = {}): TreeNode[] {
    const groupBy = view.groupBy ?? 'sni';
    if (parentId === undefined) {
      if (groupBy === 'sni') return this.groupPage(ALL, 0, view);
      return this.containers(groupBy, view).map((c) => ({ type: c.scope.by, ...c }));
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
        return this.kindsOf(ref.sni, ref.scope, view.kind ?? 'all').map((k) => ({
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
      const total = this.groupCount({ ...view, scope: ref.scope });
      if (ref.offset === 0 || ref.offset % size !== 0 || ref.offset >= total) return undefined;
      return { type: 'more', id, scope: ref.scope, offset: ref.offset, remaining: total - ref.offset };
    }
    const agg = this.agg(ref.scope, ref.sni);
    if (agg === undefined || !this.matcher(view)(agg.sniId, agg.counts, C_KIND)) return undefined;
    this.refreshTimes();
    if (ref.type === 'sni') return sniNode(snapshot(agg, ref.scope));
    const k = GROUP_KINDS.indexOf(ref.kind);
    const count = agg.counts[C_KIND + k];
    if (count === 0 || !kindAllowed(k, view.kind ?? 'all')) return undefined;
    if (ref.type === 'kind') return { type: 'kind', id, scope: ref.scope, sni: ref.sni, kind: ref.kind, label: KIND_LABELS[ref.kind], count };
    if (ref.type === 'page') {
      const size = pageSizeOf(view);
      if (ref.offset === 0 || ref.offset % size !== 0 || ref.offset >= count) return undefined;
      return { type: 'page', id, scope: ref.scope, sni: ref.sni, kind: ref.kind, offset: ref.offset, remaining: count - ref.offset };
    }
    const loc = this.findGroupForLine(ref.source, ref.line);
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
        const rank = this.sortedAggs({ ...view, scope: ref.scope }).findIndex((agg) => agg.sni === ref.sni);
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
    const loc = this.findGroupForLine(sourceKey, line);
    if (loc === undefined) return undefined;
    const scope = scopeFor(view.groupBy ?? 'sni', loc.sourceKey, loc.firewall);
    const id = nodeId({ type: 'entry', scope, sni: loc.sni, kind: loc.kind, source: loc.sourceKey, line: loc.line });
    return this.node(id, view) === undefined ? undefined : id;
  }

  /** Position of an entry in its (scope, SNI, kind) list in the given order, or undefined. */
  rankOf(scope: Scope, sni: SniKey, kind: GroupKind, sourceKey: string, line: number, order: EntryOrder = 'line'): number | undefined {
    const loc = this.findGroupForLine(sourceKey, line);
    if (loc === undefined || loc.sni !== sni || loc.kind !== kind || !inScope(loc, scope)) return undefined;
    const agg = this.agg(scope, sni);
    if (agg === undefined) return undefined;
    const k = GROUP_KINDS.indexOf(kind);
    const m = this.materialize(agg, k, order);
    const time = loc.timeMs ?? NaN;
    // Binary search with the comparator the list was sorted with.
    let lo = 0;
    let hi = m.rowOf.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const state = m.sources[m.srcOf[mid]];
      const row = m.rowOf[mid];
      let c = order === 'time' ? compareTimes(state.times[row], time) : 0;
      if (c === 0) c = compareStrings(state.key, sourceKey);
      if (c === 0) c = state.lines[row] - line;
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return undefined;
  }

  // --- internals -------------------------------------------------------------------------------------

  /** One page of a scope's groups, and a "more" node when groups follow. Only the page's snapshots are built. */
  private groupPage(scope: Scope, offset: number, view: ViewOptions): TreeNode[] {
    const size = groupPageSizeOf(view);
    const aggs = this.sortedAggs({ ...view, scope });
    const nodes = aggs.slice(offset, offset + size).map((agg) => sniNode(snapshot(agg, scope)));
    const next = offset + size;
    if (next < aggs.length) nodes.push({ type: 'more', id: nodeId({ type: 'more', scope, offset: next }), scope, offset: next, remaining: aggs.length - next });
    return nodes;
  }

  /** The aggregates of a scope that pass the filter, sorted; the last list is reused until the model changes. */
  private sortedAggs(query: GroupQuery): readonly Agg[] {
    const scope = query.scope ?? ALL;
    const sort = query.sort ?? 'count';
    const key = JSON.stringify([scope, sort, query.text ?? '', query.kind ?? 'all']);
    if (this.sortedCache !== undefined && this.sortedCache.version === this.versionCounter && this.sortedCache.key === key) return this.sortedCache.aggs;
    const map = this.aggMap(scope);
    if (map === undefined) return [];
    const matcher = this.matcher(query);
    const aggs: Agg[] = [];
    for (const agg of map.values()) if (matcher(agg.sniId, agg.counts, C_KIND)) aggs.push(agg);
    this.refreshTimes();
    this.nameRanks();
    aggs.sort(this.comparator(sort));
    this.sortedCache = { version: this.versionCounter, key, aggs };
    return aggs;
  }

  private sortedCache: { version: number; key: string; aggs: readonly Agg[] } | undefined;

  private pageNodes(scope: Scope, sni: SniKey, kind: GroupKind, offset: number, view: ViewOptions): TreeNode[] {
    const size = pageSizeOf(view);
    const page = this.entriesOf(sni, kind, offset, size, { scope, order: view.order ?? 'line' });
    const nodes: TreeNode[] = page.items.map((entry) => ({
      type: 'entry',
      id: nodeId({ type: 'entry', scope, sni, kind, source: entry.sourceKey, line: entry.line }),
      entry,
    }));
    const next = page.offset + size;
    if (next < page.total) {
      nodes.push({ type: 'page', id: nodeId({ type: 'page', scope, sni, kind, offset: next }), scope, sni, kind, offset: next, remaining: page.total - next });
    }
    return nodes;
  }

  private aggMap(scope: Scope): Map<number, Agg> | undefined {
    if (scope.by === 'source') {
      const state = this.sources.get(scope.source);
      return state === undefined ? undefined : this.sourceAggs(state);
    }
    if (scope.by === 'firewall') {
      const fwId = this.fwIds.find(scope.firewall);
      return fwId === undefined ? undefined : this.byFirewall.get(fwId);
    }
    return this.bySni;
  }

  private agg(scope: Scope, sni: SniKey): Agg | undefined {
    const sniId = this.sniIds.find(sni);
    return sniId === undefined ? undefined : this.aggMap(scope)?.get(sniId);
  }

  /** A source's per-SNI aggregates, read from its rows; the last few sources' are kept until they change. */
  private sourceAggs(state: SourceState): Map<number, Agg> {
    if (state.aggs !== undefined && state.aggs.revision === state.revision) return state.aggs.map;
    const map = new Map<number, Agg>();
    let last: Agg | undefined;
    for (let row = 0; row < state.rows; row++) {
      const sniId = state.snis[row];
      let agg = last !== undefined && last.sniId === sniId ? last : map.get(sniId);
      if (agg === undefined) map.set(sniId, (agg = new Agg(this.sniIds.values[sniId], sniId, -1, state)));
      last = agg;
      addRow(agg, state.codes[row], state.times[row]);
    }
    state.aggs = { revision: state.revision, map };
    const order = this.sourceAggOrder;
    const at = order.indexOf(state);
    if (at >= 0) order.splice(at, 1);
    order.push(state);
    if (order.length > SOURCE_AGG_CACHE) (order.shift() as SourceState).aggs = undefined;
    return map;
  }

  private sourceFor(key: string, meta: SourceMeta | undefined): SourceState {
    const state = this.sources.get(key);
    if (state === undefined) return this.createSource(key, meta);
    if (meta !== undefined) state.meta = meta;
    return state;
  }

  private createSource(key: string, meta: SourceMeta | undefined): SourceState {
    const state = new SourceState(key, meta);
    this.sources.set(key, state);
    this.sortedKeys = undefined;
    return state;
  }

  /** Removes a source and subtracts its rows from the aggregates they feed. */
  private detach(state: SourceState): void {
    const touched = new Set<Agg>();
    // Aggregates whose earliest or latest time was on a removed row: only those need their times recomputed.
    const extremes = new Set<Agg>();
    let g: Agg | undefined;
    let f: Agg | undefined;
    for (let row = 0; row < state.rows; row++) {
      const sniId = state.snis[row];
      const fwId = state.fwOf(row);
      if (g === undefined || g.sniId !== sniId || (f as Agg).fwId !== fwId) {
        g = this.bySni.get(sniId) as Agg;
        f = this.byFirewall.get(fwId)?.get(sniId) as Agg;
        touched.add(g);
        touched.add(f);
      }
      removeRow(g, state.codes[row]);
      removeRow(f as Agg, state.codes[row]);
      const time = state.times[row];
      if (time === g.first || time === g.last) extremes.add(g);
      if (time === (f as Agg).first || time === (f as Agg).last) extremes.add(f as Agg);
    }
    for (const agg of touched) {
      agg.revision++;
      agg.orderCache = undefined;
      if (agg.counts[C_ENTRIES] > 0) {
        if (extremes.has(agg)) {
          agg.timesDirty = true;
          this.dirtyTimes.add(agg);
        }
        continue;
      }
      this.dirtyTimes.delete(agg);
      if (agg.fwId < 0) {
        this.bySni.delete(agg.sniId);
      } else {
        const map = this.byFirewall.get(agg.fwId);
        map?.delete(agg.sniId);
        if (map?.size === 0) this.byFirewall.delete(agg.fwId);
      }
    }
    this.sources.delete(state.key);
    if (this.appending === state) this.appending = undefined;
    const at = this.sourceAggOrder.indexOf(state);
    if (at >= 0) this.sourceAggOrder.splice(at, 1);
    this.sortedKeys = undefined;
    this.cursor = undefined;
  }

  private appendRefs(state: SourceState, refs: readonly EntryRef[]): number {
    let maxLine = -1;
    for (const ref of refs) if (ref.line > maxLine) maxLine = ref.line;
    this.prepare(state, refs.length, maxLine);
    let added = 0;
    // Consecutive entries mostly share SNI and firewall; skip the look-ups then.
    let lastSni: SniKey | undefined;
    let sniId = -1;
    let lastFw: string | null | undefined;
    let fwId = -1;
    for (const ref of refs) {
      const e = ref.entry;
      const sni = e.sni ?? null;
      if (sni !== lastSni || sniId < 0) {
        sniId = this.sniIds.id(sni);
        lastSni = sni;
      }
      const fw = e.firewallName ?? null;
      if (fw !== lastFw || fwId < 0) {
        fwId = this.fwIds.id(fw);
        lastFw = fw;
      }
      const ipId = e.destIp === undefined ? -1 : this.ipCode(e.destIp);
      const port = e.destPort !== undefined && Number.isInteger(e.destPort) && e.destPort >= 0 && e.destPort <= 0x7fffffff ? e.destPort : -1;
      const code = kindIndex(e) | ((e.kind === 'revocation' ? 1 + actionIndex(e.action) : 0) << 2);
      if (this.appendRow(state, ref.line, sniId, fwId, code, timeOf(e), ipId, port)) added++;
    }
    this.finishAppend(state);
    return added;
  }

  /** Room for `count` rows and lines up to `maxLine`; starts an append. */
  private prepare(state: SourceState, count: number, maxLine: number): void {
    state.reserve(count);
    if (state.lineIndex !== undefined && maxLine >= state.lineIndex.length) {
      const grown = new Int32Array(Math.max(maxLine + 1, Math.min(MAX_LINE + 1, Math.ceil(state.lineIndex.length * 1.5))));
      grown.set(state.lineIndex);
      state.lineIndex = grown;
    }
    this.maxLine = maxLine;
    // Only the source being appended to keeps its per-SNI counts in a map.
    if (this.appending !== state) {
      this.appending?.compact();
      state.expand();
      this.appending = state;
    }
    this.cursor = undefined;
  }

  /** The source appended to last, and the highest line of the append under way. */
  private appending: SourceState | undefined;
  private maxLine = -1;
  /** The aggregates the last appended row fed, for the next row with the same SNI and firewall. */
  private cursor: { g: Agg; f: Agg } | undefined;

  /** Appends one row unless the source already holds its line. */
  private appendRow(state: SourceState, line: number, sniId: number, fwId: number, code: number, time: number, ipId: number, port: number): boolean {
    if (state.lineIndex === undefined && state.rows > 0 && line <= state.lines[state.rows - 1]) state.indexLines(this.maxLine);
    if (state.lineIndex !== undefined && state.lineIndex[line] !== 0) return false;
    const row = state.rows++;
    state.lines[row] = line;
    state.snis[row] = sniId;
    state.codes[row] = code;
    state.times[row] = time;
    state.ips[row] = ipId;
    state.ports[row] = port;
    if (state.fwUniform === -2) {
      state.fwUniform = fwId;
    } else if (state.fws === undefined && fwId !== state.fwUniform) {
      state.fws = new Int32Array(state.lines.length).fill(state.fwUniform, 0, row);
    }
    if (state.fws !== undefined) state.fws[row] = fwId;
    if (row > 0 && line < state.lines[row - 1]) state.inOrder = false;
    if (state.lineIndex !== undefined) state.lineIndex[line] = row + 1;
    const at = state.statsOf(sniId);
    state.stats[at]++;
    state.stats[at + 1 + (code & 3)]++;
    let c = this.cursor;
    if (c === undefined || c.g.sniId !== sniId || c.f.fwId !== fwId) {
      let g = this.bySni.get(sniId);
      if (g === undefined) this.bySni.set(sniId, (g = new Agg(this.sniIds.values[sniId], sniId, -1, undefined)));
      let fwMap = this.byFirewall.get(fwId);
      if (fwMap === undefined) this.byFirewall.set(fwId, (fwMap = new Map()));
      let f = fwMap.get(sniId);
      if (f === undefined) fwMap.set(sniId, (f = new Agg(g.sni, sniId, fwId, undefined)));
      c = this.cursor = { g, f };
    }
    addRow(c.g, code, time);
    addRow(c.f, code, time);
    return true;
  }

  private finishAppend(state: SourceState): void {
    state.revision++;
    this.cursor = undefined;
  }

  /** Recomputes first/last of aggregates that lost rows, in one pass over the sources that hold their SNIs. */
  private refreshTimes(): void {
    if (this.dirtyTimes.size === 0) return;
    const dirtySnis: number[] = [];
    const dirty = new Uint8Array(this.sniIds.values.length);
    for (const agg of this.dirtyTimes) {
      agg.first = NaN;
      agg.last = NaN;
      agg.snap = undefined;
      if (dirty[agg.sniId] === 0) dirtySnis.push(agg.sniId);
      dirty[agg.sniId] = 1;
    }
    for (const state of this.sources.values()) {
      if (!dirtySnis.some((sniId) => state.hasSni(sniId))) continue;
      for (let row = 0; row < state.rows; row++) {
        const sniId = state.snis[row];
        if (dirty[sniId] === 0) continue;
        const time = state.times[row];
        if (Number.isNaN(time)) continue;
        const g = this.bySni.get(sniId);
        if (g !== undefined && g.timesDirty) widen(g, time);
        const f = this.byFirewall.get(state.fwOf(row))?.get(sniId);
        if (f !== undefined && f.timesDirty) widen(f, time);
      }
    }
    for (const agg of this.dirtyTimes) agg.timesDirty = false;
    this.dirtyTimes.clear();
  }

  /** The sources holding rows of an aggregate, in key order. */
  private sourcesOf(agg: Agg): SourceState[] {
    if (agg.source !== undefined) return [agg.source];
    const out: SourceState[] = [];
    for (const key of this.sourceKeys()) {
      const state = this.sources.get(key) as SourceState;
      if (state.hasSni(agg.sniId)) out.push(state);
    }
    return out;
  }

  /** Calls `fn` for each row of `state` that belongs to `agg`, in row order. */
  private forRows(agg: Agg, state: SourceState, fn: (row: number) => void): void {
    const { snis } = state;
    const fwId = agg.fwId;
    for (let row = 0; row < state.rows; row++) {
      if (snis[row] === agg.sniId && (fwId < 0 || state.fwOf(row) === fwId)) fn(row);
    }
  }

  /** The (source, row) list of one kind of an aggregate in an order; cached until the aggregate changes. */
  private materialize(agg: Agg, k: number, order: EntryOrder): Materialized {
    const cacheKey = `${order}:${k}`;
    const cached = agg.orderCache?.get(cacheKey);
    if (cached !== undefined && cached.revision === agg.revision) return cached;
    if (agg.orderCache !== undefined && [...agg.orderCache.values()].some((m) => m.revision !== agg.revision)) agg.orderCache = undefined;
    const sources = this.sourcesOf(agg);
    const total = agg.counts[C_KIND + k];
    let srcOf = new Int32Array(total);
    let rowOf = new Int32Array(total);
    let n = 0;
    let inLineOrder = true;
    for (let si = 0; si < sources.length; si++) {
      const state = sources[si];
      const { codes } = state;
      if (!state.inOrder) inLineOrder = false;
      this.forRows(agg, state, (row) => {
        if ((codes[row] & 3) !== k || n >= total) return;
        srcOf[n] = si;
        rowOf[n] = row;
        n++;
      });
    }
    if (order === 'time' || !inLineOrder) {
      const times = new Float64Array(n);
      const lines = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const state = sources[srcOf[i]];
        times[i] = state.times[rowOf[i]];
        lines[i] = state.lines[rowOf[i]];
      }
      const byTime = order === 'time';
      // In line order, a position already encodes (source, line): time order is (time, position).
      let perm = byTime && inLineOrder ? sortByKeys(times) : undefined;
      if (perm === undefined) {
        perm = new Uint32Array(n);
        for (let i = 0; i < n; i++) perm[i] = i;
        perm.sort((a, b) => (byTime ? compareTimes(times[a], times[b]) : 0) || srcOf[a] - srcOf[b] || lines[a] - lines[b]);
      }
      const s2 = new Int32Array(n);
      const r2 = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        s2[i] = srcOf[perm[i]];
        r2[i] = rowOf[perm[i]];
      }
      srcOf = s2;
      rowOf = r2;
    } else if (n < total) {
      srcOf = srcOf.slice(0, n);
      rowOf = rowOf.slice(0, n);
    }
    const m: Materialized = { revision: agg.revision, sources, srcOf, rowOf };
    if (agg.orderCache === undefined) agg.orderCache = new Map();
    agg.orderCache.set(cacheKey, m);
    return m;
  }

  private locationOf(state: SourceState, row: number): EntryLocation {
    const time = state.times[row];
    const loc = {
      sourceKey: state.key,
      line: state.lines[row],
      sni: this.sniIds.values[state.snis[row]],
      kind: GROUP_KINDS[state.codes[row] & 3],
      firewall: this.fwIds.values[state.fwOf(row)],
    };
    return Number.isNaN(time) ? loc : { ...loc, timeMs: time };
  }

  /**
   * A destination address as a number: an IPv4 address in its usual spelling is its 32-bit value (no table
   * needed, however many distinct addresses a folder holds), anything else IP_OTHER + an interned id.
   */
  private ipCode(ip: string): number {
    const v4 = ipv4Value(ip);
    return v4 >= 0 ? v4 : IP_OTHER + this.ipIds.id(ip);
  }

  private lowerOf(sniId: number): string | undefined {
    const sni = this.sniIds.values[sniId];
    if (sni === null) return undefined;
    // Grown densely: an array written far past its end turns into a slow dictionary.
    while (this.sniLower.length <= sniId) this.sniLower.push(undefined);
    let lower = this.sniLower[sniId];
    if (lower === undefined) lower = this.sniLower[sniId] = sni.toLowerCase();
    return lower;
  }

  /** A filter over (SNI id, kind counts at `at`..`at + 3`). */
  private matcher(filter: GroupFilter): (sniId: number, counts: ArrayLike<number>, at: number) => boolean {
    const text = (filter.text ?? '').toLowerCase();
    const kind = filter.kind ?? 'all';
    return (sniId, counts, at) => {
      if (text !== '') {
        const lower = this.lowerOf(sniId);
        if (lower === undefined || !lower.includes(text)) return false;
      }
      if (kind === 'all') return true;
      for (let k = 0; k < GROUP_KINDS.length; k++) if (counts[at + k] > 0 && kindAllowed(k, kind)) return true;
      return false;
    };
  }

  /** Case-insensitive, then by code units so equal-looking names keep a stable order; a missing SNI first. */
  private compareNameIds = (a: number, b: number): number => {
    const sa = this.sniIds.values[a];
    const sb = this.sniIds.values[b];
    if (sa === null || sb === null) return sa === sb ? 0 : sa === null ? -1 : 1;
    return compareStrings(this.lowerOf(a) as string, this.lowerOf(b) as string) || compareStrings(sa, sb);
  };

  /**
   * Each SNI id's place in name order. SNIs are only ever added (until {@link clear}): the ones added since
   * the last call are sorted among themselves and merged in, so a scan that keeps finding a few new SNIs
   * does not sort every name again on each redraw.
   */
  private nameRanks(): Int32Array {
    const count = this.sniIds.values.length;
    const known = this.nameOrder.length;
    if (count === known) return this.nameRank;
    const fresh: number[] = [];
    for (let id = known; id < count; id++) fresh.push(id);
    fresh.sort(this.compareNameIds);
    const order = new Int32Array(count);
    let i = 0;
    let j = 0;
    for (let k = 0; k < count; k++) {
      if (j >= fresh.length || (i < known && this.compareNameIds(this.nameOrder[i], fresh[j]) <= 0)) order[k] = this.nameOrder[i++];
      else order[k] = fresh[j++];
    }
    const rank = new Int32Array(count);
    for (let k = 0; k < count; k++) rank[order[k]] = k;
    this.nameOrder = order;
    this.nameRank = rank;
    return rank;
  }

  private compareNames = (a: Agg, b: Agg): number => this.nameRank[a.sniId] - this.nameRank[b.sniId];

  private comparator(sort: SortOrder): (a: Agg, b: Agg) => number {
    switch (sort) {
      case 'count':
        return (a, b) => b.counts[C_ENTRIES] - a.counts[C_ENTRIES] || this.compareNames(a, b);
      case 'name':
        return this.compareNames;
      case 'latest':
        return (a, b) => compareTimes(-a.last, -b.last) || this.compareNames(a, b);
    }
  }

  private fire(sources: readonly string[]): void {
    const change: ModelChange = { version: ++this.versionCounter, sources };
    let failure: { error: unknown } | undefined;
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        failure ??= { error };
      }
    }
    // Every listener has run and the model is consistent; report the first failure to the caller.
    if (failure !== undefined) throw failure.error;
  }
}

/**
 * The permutation that sorts positions 0..n-1 by (time, position), undated last, for integer times: each
 * becomes one number, (time - earliest) * n + position, that a typed-array sort orders natively (many times
 * faster than a comparator). Undefined when those numbers would not all be exact doubles.
 */
function sortByKeys(times: Float64Array): Uint32Array | undefined {
  const n = times.length;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = times[i];
    if (Number.isNaN(t)) continue;
    if (!Number.isInteger(t)) return undefined;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const undated = min === Infinity ? 0 : max - min + 1;
  if ((undated + 1) * n >= Number.MAX_SAFE_INTEGER) return undefined;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (Number.isNaN(times[i]) ? undated : times[i] - min) * n + i;
  keys.sort();
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = keys[i] % n;
  return perm;
}

/** Codes of destination addresses that are not IPv4 start here. */
const IP_OTHER = 2 ** 32;

/** The value of an IPv4 address written as four decimal numbers 0-255 without leading zeros, else -1. */
function ipv4Value(ip: string): number {
  if (ip.length < 7 || ip.length > 15) return -1;
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= ip.length; i++) {
    const c = i < ip.length ? ip.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || part > 255 || (digits > 1 && ip.charCodeAt(i - digits) === 0x30)) return -1;
      value = value * 256 + part;
      parts++;
      part = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39 && digits < 3) {
      part = part * 10 + (c - 0x30);
      digits++;
    } else {
      return -1;
    }
  }
  return parts === 4 ? value : -1;
}

function ipv4Text(value: number): string {
  return `${Math.floor(value / 16777216)}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

function addRow(agg: Agg, code: number, time: number): void {
  const c = agg.counts;
  c[C_ENTRIES]++;
  c[C_KIND + (code & 3)]++;
  const a = code >> 2;
  if (a > 0) c[C_ACTION + a - 1]++;
  if (!agg.timesDirty && !Number.isNaN(time)) widen(agg, time);
  agg.revision++;
}

function removeRow(agg: Agg, code: number): void {
  const c = agg.counts;
  c[C_ENTRIES]--;
  c[C_KIND + (code & 3)]--;
  const a = code >> 2;
  if (a > 0) c[C_ACTION + a - 1]--;
}

function widen(agg: Agg, time: number): void {
  if (!(time >= agg.first)) agg.first = time;
  if (!(time <= agg.last)) agg.last = time;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

const ALL: Scope = { by: 'all' };

function validateLines(refs: readonly EntryRef[]): void {
  for (const ref of refs) {
    if (!Number.isInteger(ref.line) || ref.line < 0 || ref.line > MAX_LINE) {
      throw new RangeError(`Invalid line index ${String(ref.line)}: lines are integers from 0 to ${MAX_LINE}.`);
    }
  }
}

function groupPageSizeOf(view: ViewOptions): number {
  const size = Math.floor(view.groupPageSize ?? DEFAULT_GROUP_PAGE_SIZE);
  return size >= 1 ? size : DEFAULT_GROUP_PAGE_SIZE;
}

/** The id of the source or firewall node holding a scope's groups; undefined for the first level. */
function containerId(scope: Scope): string | undefined {
  if (scope.by === 'source') return nodeId({ type: 'source', source: scope.source });
  if (scope.by === 'firewall') return nodeId({ type: 'firewall', firewall: scope.firewall });
  return undefined;
}

function pageSizeOf(view: ViewOptions): number {
  const size = Math.floor(view.pageSize ?? DEFAULT_PAGE_SIZE);
  return size >= 1 ? size : DEFAULT_PAGE_SIZE;
}

function inScope(loc: EntryLocation, scope: Scope): boolean {
  if (scope.by === 'source') return loc.sourceKey === scope.source;
  if (scope.by === 'firewall') return loc.firewall === scope.firewall;
  return true;
}

function kindAllowed(k: number, filter: KindFilter): boolean {
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

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNullLast(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareStrings(a, b);
}

/** Ascending, NaN (no time) last. */
function compareTimes(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) === Number.isNaN(b) ? 0 : Number.isNaN(a) ? 1 : -1;
  return a - b;
}

function snapshot(agg: Agg, scope: Scope): SniGroup {
  if (agg.snap !== undefined && agg.snapRevision === agg.revision) return agg.snap;
  const c = agg.counts;
  let worst: GroupKind = 'other';
  for (let k = 0; k < GROUP_KINDS.length; k++) {
    if (c[C_KIND + k] > 0) {
      worst = GROUP_KINDS[k];
      break;
    }
  }
  const id = nodeId({ type: 'sni', scope, sni: agg.sni });
  const actions = { PASS: c[C_ACTION], DROP: c[C_ACTION + 1], REJECT: c[C_ACTION + 2], other: c[C_ACTION + 3] };
  const [entries, revoked, tlsErrors, unknown, otherStatus] = [c[C_ENTRIES], c[C_KIND + K_REVOKED], c[C_KIND + K_TLS], c[C_KIND + K_UNKNOWN], c[C_KIND + K_OTHER]];
  const group: SniGroup = Number.isNaN(agg.first)
    ? { id, sni: agg.sni, scope, entries, tlsErrors, revoked, unknown, otherStatus, actions, worst }
    : { id, sni: agg.sni, scope, entries, tlsErrors, revoked, unknown, otherStatus, actions, worst, firstSeen: agg.first, lastSeen: agg.last };
  agg.snap = group;
  agg.snapRevision = agg.revision;
  return group;
}

function sniNode(group: SniGroup): TreeNode {
  return { type: 'sni', id: group.id, group };
}

function summaryRow(g: SniGroup): SniSummaryRow {
  return { sni: g.sni, entries: g.entries, tlsErrors: g.tlsErrors, revoked: g.revoked, unknown: g.unknown };
}

function distinct<T>(sorted: T[], complete: boolean): DistinctValues<T> {
  return { values: sorted.slice(0, DISTINCT_SAMPLE), total: sorted.length, complete };
}


// ---------------------------------------------------------------------------------------------------------
// Export

/**
 * One CSV field (RFC 4180) for an untrusted value. A value that a spreadsheet could read as a formula (it
 * starts with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`, except the exact value `-`: a lone minus
 * sign cannot carry a formula, and it is how the logs spell "no SNI", so it stays as logged and the CSV
 * agrees with the JSON report and the files. Then the field is quoted when it holds `,`, `"`, CR or LF.
 */
export function csvField(value: string): string {
  const safe = value !== '-' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The summary as CSV: a header `sni,entries,tlsErrors,revoked,unknown`, one row per group, CRLF line ends.
 * A missing SNI field is an empty field; an empty SNI is `""`, so the two stay apart for readers that care.
 */
export function toCsv(rows: readonly SniSummaryRow[]): string {
  let out = 'sni,entries,tlsErrors,revoked,unknown\r\n';
  for (const r of rows) {
    const sni = r.sni === null ? '' : r.sni === '' ? '""' : csvField(r.sni);
    out += `${sni},${r.entries},${r.tlsErrors},${r.revoked},${r.unknown}\r\n`;
  }
  return out;
}

/**
 * Untrusted text as literal Markdown inline text, safe in a table cell: every ASCII punctuation character
 * is backslash-escaped (CommonMark allows that for all of them, and GFM tables honour `\|`), line breaks,
 * tabs and other control characters are shown as escapes (`\n`, `\u0000`) instead of breaking the row, and
 * leading or trailing spaces become `&#32;` so the table does not trim them away.
 */
export function escapeMarkdownText(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    const c = value.charCodeAt(i);
    if ((c >= 0x21 && c <= 0x2f) || (c >= 0x3a && c <= 0x40) || (c >= 0x5b && c <= 0x60) || (c >= 0x7b && c <= 0x7e)) {
      out += '\\' + ch;
    } else if (c === 0x0a) {
      out += '\\\\n';
    } else if (c === 0x0d) {
      out += '\\\\r';
    } else if (c === 0x09) {
      out += '\\\\t';
    } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) {
      out += '\\\\u' + c.toString(16).padStart(4, '0');
    } else {
      out += ch;
    }
  }
  const lead = /^ +/.exec(out)?.[0].length ?? 0;
  if (lead === out.length) return '&#32;'.repeat(lead);
  const trail = / +$/.exec(out)?.[0].length ?? 0;
  return '&#32;'.repeat(lead) + out.slice(lead, out.length - trail) + '&#32;'.repeat(trail);
}

/**
 * The summary as a GitHub-flavoured Markdown table. SNIs are escaped with {@link escapeMarkdownText};
 * `-`, an empty SNI and a missing field are followed or replaced by an italic description, which an
 * escaped value can never produce.
 */
export function toMarkdown(rows: readonly SniSummaryRow[]): string {
  let out = '| SNI | Entries | TLS errors | Revoked | Unknown |\n| --- | ---: | ---: | ---: | ---: |\n';
  for (const r of rows) {
    const sni =
      r.sni === null ? '*(no SNI field)*' : r.sni === '' ? '*(empty SNI)*' : r.sni === '-' ? '\\- *(no SNI in client hello)*' : escapeMarkdownText(r.sni);
    out += `| ${sni} | ${r.entries} | ${r.tlsErrors} | ${r.revoked} | ${r.unknown} |\n`;
  }
  return out;
}

/**
 * Just the per-SNI counts of {@link SniModel.summary}, for a reader that needs nothing else (the command
 * line's report): one small record per SNI instead of the model's per-line storage. Same rows, same order.
 */
export class SniCounter {
  private readonly rows = new Map<SniKey, { sni: SniKey; entries: number; tlsErrors: number; revoked: number; unknown: number }>();

  add(entry: TlsEntry): void {
    const sni = entry.sni ?? null;
    let row = this.rows.get(sni);
    if (row === undefined) {
      // Kept for the whole file: a copy of its own, not a slice of the reader's chunk.
      const key = sni === null ? null : ownCopy(sni);
      this.rows.set(key, (row = { sni: key, entries: 0, tlsErrors: 0, revoked: 0, unknown: 0 }));
    }
    row.entries++;
    const k = kindIndex(entry);
    if (k === K_TLS) row.tlsErrors++;
    else if (k === K_REVOKED) row.revoked++;
    else if (k === K_UNKNOWN) row.unknown++;
  }

  /** Rows with the most entries first, ties by name as {@link SniModel.summary} orders them. */
  summary(): SniSummaryRow[] {
    const lower = (s: SniKey): string => (s === null ? '' : s.toLowerCase());
    return [...this.rows.values()].sort(
      (a, b) =>
        b.entries - a.entries ||
        (a.sni === null || b.sni === null ? (a.sni === b.sni ? 0 : a.sni === null ? -1 : 1) : compareStrings(lower(a.sni), lower(b.sni)) || compareStrings(a.sni, b.sni)),
    );
  }
}
