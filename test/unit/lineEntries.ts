/**
 * Test helpers that turn parse output into the line entries the SNI model takes: from a packed batch (the
 * worker's wire format), and from per-line parse results.
 */
import type { EntryBatch } from '../../src/core/parse/entryBatch';
import type { LineEntry, LineResult, TlsEntry } from '../../src/core/parse/types';

/** Unpacks a batch into the line entries the SNI model takes. */
export function batchToRefs(b: EntryBatch): LineEntry[] {
  const refs: LineEntry[] = new Array(b.count);
  const s = (i: number): string | undefined => (i < 0 ? undefined : b.strings[i]);
  for (let i = 0; i < b.count; i++) {
    const entry: TlsEntry = { kind: b.kinds[i] === 1 ? 'revocation' : 'tlsError' };
    const sni = s(b.sni[i]);
    if (sni !== undefined) entry.sni = sni;
    const fw = s(b.firewall[i]);
    if (fw !== undefined) entry.firewallName = fw;
    const status = s(b.status[i]);
    if (status !== undefined) entry.status = status;
    const action = s(b.action[i]);
    if (action !== undefined) entry.action = action;
    const ip = s(b.destIp[i]);
    if (ip !== undefined) entry.destIp = ip;
    if (b.destPort[i] >= 0) entry.destPort = b.destPort[i];
    if (!Number.isNaN(b.timeMs[i])) entry.timeMs = b.timeMs[i];
    if (!Number.isNaN(b.eventTimestamp[i])) entry.eventTimestamp = b.eventTimestamp[i];
    refs[i] = { line: b.lines[i], entry };
  }
  return refs;
}

/** Turns per-line parse results (index = line - firstLine) into line entries for the SNI model, skipping lines without an entry. */
export function refsFromLineResults(results: readonly LineResult[], firstLine = 0): LineEntry[] {
  const refs: LineEntry[] = [];
  for (let i = 0; i < results.length; i++) {
    const entry = results[i].entry;
    if (entry !== undefined) refs.push({ line: firstLine + i, entry });
  }
  return refs;
}
