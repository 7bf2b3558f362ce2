import { widened } from '../typedArrays';
import { tlsErrorKindOf } from './entryKind';
import type { TlsEntry } from './types';

/**
 * Entries packed for crossing a thread boundary: one typed array per field and a table of the distinct
 * strings, so that posting a batch of thousands of entries copies a few buffers instead of cloning
 * thousands of objects. It carries the fields the SNI model groups by.
 */
export interface EntryBatch {
  count: number;
  lines: Int32Array;
  /** 0 TLS error, 1 revocation check. */
  kinds: Uint8Array;
  /** Indices into `strings`, -1 where the entry had no such field. */
  sni: Int32Array;
  firewall: Int32Array;
  status: Int32Array;
  action: Int32Array;
  destIp: Int32Array;
  /** -1 where absent. */
  destPort: Int32Array;
  /** Indices into `strings`, -1 where absent. */
  srcIp: Int32Array;
  zone: Int32Array;
  fingerprint: Int32Array;
  /** A TLS error's kind by its message (entryKind.ts's `tlsErrorKindOf`); 0 for a revocation check. */
  errorKind: Uint8Array;
  /** NaN where absent. */
  timeMs: Float64Array;
  eventTimestamp: Float64Array;
  strings: string[];
}

/** Fills an {@link EntryBatch}, interning strings as it goes. */
export class EntryBatchBuilder {
  private readonly capacity: number;
  private readonly batch: EntryBatch;
  private readonly index = new Map<string, number>();

  constructor(capacity = 8192) {
    this.capacity = capacity;
    this.batch = this.empty();
  }

  get size(): number {
    return this.batch.count;
  }

  get full(): boolean {
    return this.batch.count >= this.capacity;
  }

  /** Adds an entry; past the capacity the batch grows (callers that want batches of a bounded size check {@link full}). */
  add(line: number, entry: TlsEntry): void {
    const b = this.batch;
    if (b.count === b.lines.length) this.grow();
    const i = b.count++;
    b.lines[i] = line;
    b.kinds[i] = entry.kind === 'revocation' ? 1 : 0;
    b.sni[i] = this.intern(entry.sni);
    b.firewall[i] = this.intern(entry.firewallName);
    b.status[i] = this.intern(entry.status);
    b.action[i] = this.intern(entry.action);
    b.destIp[i] = this.intern(entry.destIp);
    b.destPort[i] = entry.destPort ?? -1;
    b.srcIp[i] = this.intern(entry.srcIp);
    b.zone[i] = this.intern(entry.availabilityZone);
    b.fingerprint[i] = this.intern(entry.leafCertFpr);
    b.errorKind[i] = tlsErrorKindOf(entry.kind === 'revocation', entry.errorMessage);
    b.timeMs[i] = entry.timeMs ?? Number.NaN;
    b.eventTimestamp[i] = entry.eventTimestamp ?? Number.NaN;
  }

  /**
   * Hands over the batch filled so far, in arrays of its size that can be transferred, and starts a new
   * one in the same arrays: a batch costs one copy of its entries, not a new set of full-capacity arrays.
   */
  take(): EntryBatch {
    const b = this.batch;
    const n = b.count;
    const out: EntryBatch = {
      count: n,
      lines: b.lines.slice(0, n),
      kinds: b.kinds.slice(0, n),
      sni: b.sni.slice(0, n),
      firewall: b.firewall.slice(0, n),
      status: b.status.slice(0, n),
      action: b.action.slice(0, n),
      destIp: b.destIp.slice(0, n),
      destPort: b.destPort.slice(0, n),
      srcIp: b.srcIp.slice(0, n),
      zone: b.zone.slice(0, n),
      fingerprint: b.fingerprint.slice(0, n),
      errorKind: b.errorKind.slice(0, n),
      timeMs: b.timeMs.slice(0, n),
      eventTimestamp: b.eventTimestamp.slice(0, n),
      strings: b.strings,
    };
    b.count = 0;
    b.strings = [];
    this.index.clear();
    return out;
  }

  /** Doubles the room of every column, keeping what they hold. */
  private grow(): void {
    const b = this.batch;
    const n = b.lines.length * 2;
    b.lines = widened(b.lines, n);
    b.kinds = widened(b.kinds, n);
    b.sni = widened(b.sni, n);
    b.firewall = widened(b.firewall, n);
    b.status = widened(b.status, n);
    b.action = widened(b.action, n);
    b.destIp = widened(b.destIp, n);
    b.destPort = widened(b.destPort, n);
    b.srcIp = widened(b.srcIp, n);
    b.zone = widened(b.zone, n);
    b.fingerprint = widened(b.fingerprint, n);
    b.errorKind = widened(b.errorKind, n);
    b.timeMs = widened(b.timeMs, n);
    b.eventTimestamp = widened(b.eventTimestamp, n);
  }

  private intern(value: string | undefined): number {
    if (value === undefined) return -1;
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.batch.strings.length;
      this.batch.strings.push(value);
      this.index.set(value, i);
    }
    return i;
  }

  private empty(): EntryBatch {
    const n = this.capacity;
    return {
      count: 0,
      lines: new Int32Array(n),
      kinds: new Uint8Array(n),
      sni: new Int32Array(n),
      firewall: new Int32Array(n),
      status: new Int32Array(n),
      action: new Int32Array(n),
      destIp: new Int32Array(n),
      destPort: new Int32Array(n),
      srcIp: new Int32Array(n),
      zone: new Int32Array(n),
      fingerprint: new Int32Array(n),
      errorKind: new Uint8Array(n),
      timeMs: new Float64Array(n),
      eventTimestamp: new Float64Array(n),
      strings: [],
    };
  }
}

/** The buffers of a batch, for `postMessage(batch, transferList)`. */
export function batchTransferList(b: EntryBatch): ArrayBuffer[] {
  return [
    b.lines,
    b.kinds,
    b.sni,
    b.firewall,
    b.status,
    b.action,
    b.destIp,
    b.destPort,
    b.srcIp,
    b.zone,
    b.fingerprint,
    b.errorKind,
    b.timeMs,
    b.eventTimestamp,
  ].map((a) => a.buffer as ArrayBuffer);
}
