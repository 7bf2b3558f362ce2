/**
 * Where the SNI tree's counts are made. An {@link Agg} holds the counts of one SNI within one scope (all
 * sources, one firewall, or one source); the model feeds it one row at a time with {@link addRow} as entries
 * arrive and takes rows back with {@link removeRow} when a source goes, so no count is ever recomputed from
 * scratch. {@link snapshot} turns the counts into the {@link SniGroup} the tree and the CLI show.
 *
 * Each row carries its kind and action as one small number, its row code:
 *   bits 0-1  kind index in GROUP_KINDS (K_REVOKED, K_TLS, K_UNKNOWN, K_OTHER)
 *   bits 2-4  0 for a TLS error (it has no action), else 1 + action index in PASS, DROP, REJECT, other
 *   bits 5-6  a TLS error's kind by its message (entryKind.ts's TlsErrorKind), 0 for a revocation check
 * and an aggregate's counts are one vector of nine slots:
 *   C_ENTRIES                   all entries
 *   C_KIND + kind index         entries of each kind (four slots, GROUP_KINDS order)
 *   C_ACTION + action index     revocation checks by action (four slots: PASS, DROP, REJECT, other)
 */
import {
  E_NONE,
  GROUP_KINDS,
  K_OTHER,
  K_REVOKED,
  K_TLS,
  K_UNKNOWN,
  type GroupKind,
  type SniKey,
  type TlsErrorKind,
} from '../parse/entryKind';
import { REVOCATION_ACTIONS } from '../parse/format';
import type { SourceState } from './columns';
import { nodeId } from './nodeIds';
import type { Scope, SniGroup } from './types';

// ---------------------------------------------------------------------------------------------------------
// Row codes

/** The documented actions, in the order of their count slots; any other or missing action counts as a fourth. */
const KIND_MASK = 3;
const ACTION_SHIFT = 2;
const ACTION_MASK = 7;
const ERROR_SHIFT = 5;

function actionIndex(action: string | undefined): number {
  const i = action === undefined ? -1 : (REVOCATION_ACTIONS as readonly string[]).indexOf(action);
  return i < 0 ? 3 : i;
}

/** The row code of an entry: its kind index and, for a revocation check, its action, else its TLS error kind. */
export function rowCode(kindIndex: number, revocation: boolean, action: string | undefined, errorKind: TlsErrorKind = E_NONE): number {
  return kindIndex | ((revocation ? 1 + actionIndex(action) : 0) << ACTION_SHIFT) | (revocation ? 0 : errorKind << ERROR_SHIFT);
}

/** The kind index (in GROUP_KINDS) a row code holds. */
export function kindOfCode(code: number): number {
  return code & KIND_MASK;
}

/** The action index a row code holds (PASS, DROP, REJECT, other), or -1 for a TLS error, which has no action. */
export function actionOfCode(code: number): number {
  return ((code >> ACTION_SHIFT) & ACTION_MASK) - 1;
}

/** The TLS error kind a row code holds (0 for a revocation check). */
export function errorKindOfCode(code: number): TlsErrorKind {
  return (code >> ERROR_SHIFT) as TlsErrorKind;
}

// ---------------------------------------------------------------------------------------------------------
// Counts

/** Slot of all entries in a counts vector. */
export const C_ENTRIES = 0;
/** First of the four per-kind slots: entries of kind index k are at `C_KIND + k`. */
export const C_KIND = 1;
/** First of the four per-action slots: PASS, DROP, REJECT, other. */
const C_ACTION = 5;

/** Counts of one SNI within a scope; times are exact while `timesDirty` is false. */
export class Agg {
  /** The nine count slots described at the top of this file. */
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
export interface Materialized {
  readonly revision: number;
  readonly sources: readonly SourceState[];
  readonly srcOf: Int32Array;
  readonly rowOf: Int32Array;
}

/** Counts one row in an aggregate and widens its time span. */
export function addRow(agg: Agg, code: number, time: number): void {
  const c = agg.counts;
  c[C_ENTRIES]++;
  c[C_KIND + kindOfCode(code)]++;
  const a = actionOfCode(code);
  if (a >= 0) c[C_ACTION + a]++;
  if (!agg.timesDirty && !Number.isNaN(time)) widen(agg, time);
  agg.revision++;
}

/** Takes one row out of an aggregate's counts; the caller decides whether its time span must be recomputed. */
export function removeRow(agg: Agg, code: number): void {
  const c = agg.counts;
  c[C_ENTRIES]--;
  c[C_KIND + kindOfCode(code)]--;
  const a = actionOfCode(code);
  if (a >= 0) c[C_ACTION + a]--;
}

/** Stretches an aggregate's first/last to include `time`. */
export function widen(agg: Agg, time: number): void {
  if (!(time >= agg.first)) agg.first = time;
  if (!(time <= agg.last)) agg.last = time;
}

/**
 * Recomputes first/last of the aggregates in `dirty` (they lost rows, and with them perhaps their earliest
 * or latest time), in one pass over the sources that hold their SNIs. `bySni` and `byFirewall` are the
 * model's all-sources and per-(firewall, SNI) aggregates, the only ones whose times are kept this way.
 */
export function recomputeTimes(
  dirty: ReadonlySet<Agg>,
  sources: Iterable<SourceState>,
  sniCount: number,
  bySni: ReadonlyMap<number, Agg>,
  byFirewall: ReadonlyMap<number, ReadonlyMap<number, Agg>>,
): void {
  const dirtySnis: number[] = [];
  const isDirty = new Uint8Array(sniCount);
  for (const agg of dirty) {
    agg.first = NaN;
    agg.last = NaN;
    agg.snap = undefined;
    if (isDirty[agg.sniId] === 0) dirtySnis.push(agg.sniId);
    isDirty[agg.sniId] = 1;
  }
  for (const state of sources) {
    if (!dirtySnis.some((sniId) => state.hasSni(sniId))) continue;
    for (let row = 0; row < state.rows; row++) {
      const sniId = state.snis[row];
      if (isDirty[sniId] === 0) continue;
      const time = state.times[row];
      if (Number.isNaN(time)) continue;
      const g = bySni.get(sniId);
      if (g !== undefined && g.timesDirty) widen(g, time);
      const f = byFirewall.get(state.fwOf(row))?.get(sniId);
      if (f !== undefined && f.timesDirty) widen(f, time);
    }
  }
  for (const agg of dirty) agg.timesDirty = false;
}

/** A source's per-SNI aggregates, counted from its rows. */
export function sourceAggregates(state: SourceState, sniValues: readonly SniKey[]): Map<number, Agg> {
  const map = new Map<number, Agg>();
  let last: Agg | undefined;
  for (let row = 0; row < state.rows; row++) {
    const sniId = state.snis[row];
    let agg = last !== undefined && last.sniId === sniId ? last : map.get(sniId);
    if (agg === undefined) map.set(sniId, (agg = new Agg(sniValues[sniId], sniId, -1, state)));
    last = agg;
    addRow(agg, state.codes[row], state.times[row]);
  }
  return map;
}

/** An aggregate's counts as a group of `scope`; the last snapshot is reused until the counts change. */
export function snapshot(agg: Agg, scope: Scope): SniGroup {
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
  const [entries, revoked, tlsErrors, unknown, otherStatus] = [
    c[C_ENTRIES],
    c[C_KIND + K_REVOKED],
    c[C_KIND + K_TLS],
    c[C_KIND + K_UNKNOWN],
    c[C_KIND + K_OTHER],
  ];
  const group: SniGroup = Number.isNaN(agg.first)
    ? { id, sni: agg.sni, scope, entries, tlsErrors, revoked, unknown, otherStatus, actions, worst }
    : {
        id,
        sni: agg.sni,
        scope,
        entries,
        tlsErrors,
        revoked,
        unknown,
        otherStatus,
        actions,
        worst,
        firstSeen: agg.first,
        lastSeen: agg.last,
      };
  agg.snap = group;
  agg.snapRevision = agg.revision;
  return group;
}
