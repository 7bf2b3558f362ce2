/**
 * Per-source storage of the SNI model.
 *
 * Every entry is a row of a source's columns: line, SNI id, kind and action, time, destination address id
 * and port, plus the firewall id when a source holds more than one firewall. SNIs, firewalls and addresses
 * are interned once for the whole model, so a row costs about 25 bytes and a line 4 more (line -> row).
 * A source also keeps, per SNI it holds, its entries by kind (a map entry and 20 bytes): enough to list
 * sources and containers without reading rows. Aggregates per SNI (all sources) and per (firewall, SNI) are
 * kept up to date row by row (aggregate.ts); everything per (source, SNI) beyond that, and entry lists,
 * addresses and ports, are read from the rows on demand and cached until the data changes.
 */
import { widened } from '../typedArrays';
import type { SniKey } from '../parse/entryKind';
import type { SourceMeta } from './types';

/** Lines are stored in Int32Arrays. */
export const MAX_LINE = 0x7ffffffe;

/** Entries of one SNI within a source, by kind: [entries, revoked, tlsError, unknown, other]. */
const L_STRIDE = 5;

/** One source's entries as typed-array columns, a row per entry, and its per-SNI counts by kind. */
export class SourceState {
  meta: SourceMeta | undefined;
  rows = 0;
  lines = new Int32Array(0);
  snis = new Int32Array(0);
  /** Kind and action of each row, packed as aggregate.ts's `rowCode` describes. */
  codes = new Uint8Array(0);
  times = new Float64Array(0);
  /** Destination address (see ipCode), -1 when absent. */
  ips = new Float64Array(0);
  /** Destination port, -1 when absent. */
  ports = new Int32Array(0);
  /** Source address id (the model's source-address interner), -1 when absent. */
  srcs = new Int32Array(0);
  /** Destination (address, port) pair id (see destKey), -1 when both are absent. */
  dests = new Int32Array(0);
  /** Certificate fingerprint id, -1 when absent. */
  fprs = new Int32Array(0);
  /** Availability zone and revocation status ids + 1 (0 = absent); see {@link SMALL_ID_LIMIT}. */
  zones = new Uint16Array(0);
  statuses = new Uint16Array(0);
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

  constructor(
    readonly key: string,
    meta: SourceMeta | undefined,
  ) {
    this.meta = meta;
  }

  fwOf(row: number): number {
    return this.fws === undefined ? this.fwUniform : this.fws[row];
  }

  /** Calls `fn` for each row of an SNI, in row order; only rows of firewall `fwId` unless it is -1. */
  forEachRow(sniId: number, fwId: number, fn: (row: number) => void): void {
    const { snis } = this;
    for (let row = 0; row < this.rows; row++) {
      if (snis[row] === sniId && (fwId < 0 || this.fwOf(row) === fwId)) fn(row);
    }
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
    this.srcs = widened(this.srcs, size);
    this.dests = widened(this.dests, size);
    this.fprs = widened(this.fprs, size);
    this.zones = widened(this.zones, size);
    this.statuses = widened(this.statuses, size);
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
export function lowerBound(values: Int32Array, end: number, value: number): number {
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
export class Interner<T> {
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

/**
 * Zones and statuses are few (a region has a handful of zones; AWS documents two statuses), so they are kept
 * in 16 bits as id + 1: a log with more distinct values than this shares the last id among the rest.
 */
export const SMALL_ID_LIMIT = 0xffff;

/** A small id + 1 for a Uint16 column (0 = absent), see {@link SMALL_ID_LIMIT}. */
export function smallId(value: string | undefined, ids: Interner<string>): number {
  return value === undefined ? 0 : Math.min(SMALL_ID_LIMIT, ids.id(value) + 1);
}

/** Ports above this are not ports; a destination key keeps them as "no port". */
const MAX_PORT = 65535;

/** One number for a destination (address code as {@link ipCode} makes it, or -1; port, or -1). */
export function destKey(ipCode: number, port: number): number {
  return (ipCode + 1) * (MAX_PORT + 2) + (port >= 0 && port <= MAX_PORT ? port + 1 : 0);
}

/** The address code (-1 = none) and port (-1 = none) of a {@link destKey}. */
export function destOfKey(key: number): { ip: number; port: number } {
  return { ip: Math.floor(key / (MAX_PORT + 2)) - 1, port: (key % (MAX_PORT + 2)) - 1 };
}

/** Codes of destination addresses that are not IPv4 start here. */
const IP_OTHER = 2 ** 32;

/**
 * A destination address as a number: an IPv4 address in its usual spelling is its 32-bit value (no table
 * needed, however many distinct addresses a folder holds), anything else IP_OTHER + an id from `others`.
 */
export function ipCode(ip: string, others: Interner<string>): number {
  const v4 = ipv4Value(ip);
  return v4 >= 0 ? v4 : IP_OTHER + others.id(ip);
}

/** The address an {@link ipCode} stands for. */
export function ipText(code: number, others: Interner<string>): string {
  return code < IP_OTHER ? ipv4Text(code) : others.values[code - IP_OTHER];
}

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

/** The usual spelling of an IPv4 address given as its 32-bit value (see {@link ipv4Value}). */
function ipv4Text(value: number): string {
  return `${Math.floor(value / 16777216)}.${Math.floor(value / 65536) % 256}.${Math.floor(value / 256) % 256}.${value % 256}`;
}

/** The SNI model's columns as the explorer reads them (see SniModel.columns). */
export interface ModelColumns {
  readonly version: number;
  /** In source key order. */
  readonly sources: readonly SourceState[];
  readonly snis: readonly SniKey[];
  readonly firewalls: readonly (string | null)[];
  /** Destination addresses that are not IPv4 (see {@link ipCode} and {@link ipText}). */
  readonly ips: Interner<string>;
  readonly srcs: readonly string[];
  /** Destination keys ({@link destKey}) by id. */
  readonly dests: readonly number[];
  readonly fprs: readonly string[];
  /** By small id - 1 ({@link smallId}). */
  readonly zones: readonly string[];
  readonly statuses: readonly string[];
}

/** The tables of the explorer's facet columns: one interner per facet. */
export function facetInterners(): {
  srcs: Interner<string>;
  dests: Interner<number>;
  fprs: Interner<string>;
  zones: Interner<string>;
  statuses: Interner<string>;
} {
  return { srcs: new Interner(), dests: new Interner(), fprs: new Interner(), zones: new Interner(), statuses: new Interner() };
}

/** Throws unless every line index is one a source can hold (0 to {@link MAX_LINE}). */
export function checkLines(refs: readonly { readonly line: number }[]): void {
  for (const ref of refs) {
    if (!Number.isInteger(ref.line) || ref.line < 0 || ref.line > MAX_LINE) {
      throw new RangeError(`Invalid line index ${String(ref.line)}: lines are integers from 0 to ${MAX_LINE}.`);
    }
  }
}
