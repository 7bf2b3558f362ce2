/**
 * Entries and counts as short plain text, for every surface that lists them: the quick picks, the outline,
 * the SNI tree, the status bar, the hover's facts, the CLI. One function per job, so that the same entry
 * reads the same wherever it is shown. Log values have their invisible characters shown and are cut to a
 * length a list can show; none of this is markdown (escape it before putting it in any).
 */

import { showInvisibles } from './explain/markdown';
import { isDocumentedStatus } from './parse/format';
import { parseIsoTimestamp } from './parse/timestamp';
import { parseTlsErrorMessage } from './parse/tlsMessage';
import type { TlsEntry } from './parse/types';
import { sniLabel } from './parse/entryKind';

// ---------------------------------------------------------------------------------------------------------
// Numbers

/** `12,345`: a whole number with its thousands grouped (toLocaleString is slow enough to matter in a loop). */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `3 errors`, `1 error`, `12,345 errors`; `many` defaults to `one` with an `s`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${thousands(n)} ${n === 1 ? one : many}`;
}

/** Sizes for people: 1.5 MB, 730 kB. */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(0)} kB`;
  return `${n} bytes`;
}

// ---------------------------------------------------------------------------------------------------------
// Log values

const MAX_TEXT = 120;

/** A log value as one line of plain text: invisible characters shown, at most `max` characters. */
export function oneLine(text: string, max = MAX_TEXT): string {
  const visible = showInvisibles(text);
  return visible.length > max ? `${visible.slice(0, max - 1)}…` : visible;
}

/** An SNI as one line: the value, or our words for `-`, an empty value and a missing field. */
export function sniText(sni: string | undefined): string {
  const label = sniLabel(sni ?? null);
  return label.trim() === '' ? '(blank SNI)' : oneLine(label, 200);
}

/** An address as one short line, `?` when absent. */
export function addressText(ip: string | undefined): string {
  return ip === undefined ? '?' : oneLine(ip, 45);
}

/** One end of a connection from its {@link addressText}: `10.0.2.53:443`, `[2001:db8::5]:443`. */
export function endpointText(address: string, port: number | undefined): string {
  if (port === undefined) return address;
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/** `10.0.2.53:59844 → 54.92.160.72:443` */
export function entryEndpoints(entry: TlsEntry): string {
  return `${endpointText(addressText(entry.srcIp), entry.srcPort)} → ${endpointText(addressText(entry.destIp), entry.destPort)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Time

/** The largest distance from 1970 a Date can hold, in milliseconds; a time beyond it cannot be shown. */
const MAX_DATE_MS = 8.64e15;

/**
 * An entry's `event.timestamp` in epoch milliseconds: as the validator read it, else read from the text (an
 * entry built by hand may carry only the text). Undefined when it is absent or not a valid timestamp.
 */
export function eventTimeMs(entry: TlsEntry | undefined): number | undefined {
  if (entry?.timeMs !== undefined) return entry.timeMs;
  return entry?.timestamp !== undefined ? parseIsoTimestamp(entry.timestamp)?.ms : undefined;
}

/**
 * An entry's time in epoch milliseconds: `event.timestamp`, else `event_timestamp`; undefined without
 * either, or when it lies beyond what a date can hold.
 */
export function entryTimeMs(entry: TlsEntry): number | undefined {
  const ms = timeFromFields(eventTimeMs(entry), entry.eventTimestamp);
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? ms : undefined;
}

/**
 * The rule behind every entry time, for callers that hold the two fields apart (packed batches, the SNI
 * model's rows): `event.timestamp` in milliseconds when it is a finite number, else `event_timestamp`
 * (seconds) in milliseconds, else NaN. A missing value may be given as undefined or NaN.
 */
export function timeFromFields(timeMs: number | undefined, eventTimestamp: number | undefined): number {
  if (timeMs !== undefined && Number.isFinite(timeMs)) return timeMs;
  return eventTimestamp !== undefined && Number.isFinite(eventTimestamp) ? eventTimestamp * 1000 : NaN;
}

/**
 * How much of a time a list shows. Lists that pick one entry among many (quick picks, the outline) show
 * milliseconds, which tell apart entries of the same second; the SNI tree's rows, narrower and sorted
 * under an SNI, show whole seconds.
 */
export type TimePrecision = 'milliseconds' | 'seconds' | 'minutes';

/** `2024-07-02 18:01:44.412` (UTC; `2024-07-02 18:01:44` to the second, `2024-07-02 18:01` to the minute), or `(no time)`. */
export function formatEntryTime(ms: number | undefined, precision: TimePrecision = 'milliseconds'): string {
  if (ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) return '(no time)';
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, precision === 'minutes' ? 16 : precision === 'seconds' ? 19 : 23)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Outcome

/**
 * Where an outcome is shown. `alone`: in a list of entries of every kind (quick picks, the outline), so it
 * says the kind: `TLS error: name mismatch`, `REVOKED → DROP`. `underKind`: in the SNI tree, under a node
 * that already names the kind ("TLS errors", "Revoked"), so the kind's words are left out: `name mismatch`,
 * `DROP`. A status that is not documented has no node of its own, so it is kept: `GOOD → DROP`.
 */
export type OutcomePlace = 'alone' | 'underKind';

/** The gist of a TLS error message: `no SNI`, `name mismatch`, or the message itself cut short. */
function tlsErrorGist(entry: TlsEntry): string {
  const parsed = parseTlsErrorMessage(entry.errorMessage ?? '', { sni: entry.sni });
  if (parsed.kind === 'noSni') return 'no SNI';
  if (parsed.kind === 'certMismatch') return 'name mismatch';
  return oneLine(entry.errorMessage ?? '(no message)', 60);
}

/** What the firewall did or said, briefly: `REVOKED → DROP`, `TLS error: no SNI`; see {@link OutcomePlace}. */
export function entryOutcome(entry: TlsEntry, place: OutcomePlace = 'alone'): string {
  if (entry.kind === 'revocation') {
    const action = oneLine(entry.action ?? '(no action)', 30);
    if (place === 'underKind' && isDocumentedStatus(entry.status)) return action;
    return `${oneLine(entry.status ?? '(no status)', 30)} → ${action}`;
  }
  return place === 'underKind' ? tlsErrorGist(entry) : `TLS error: ${tlsErrorGist(entry)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Compact forms, for a label at the start of a line (the editor's inlay hints)

/** `18:01:44` (UTC), or `--:--:--` without a time: always eight characters, so that hints line up. */
export function timeOfDay(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) return '--:--:--';
  return new Date(ms).toISOString().slice(11, 19);
}

/**
 * The outcome in a word or two: `REVOKED→DROP`, `UNKNOWN→PASS`, `no SNI`, `mismatch`, or `TLS error` for a
 * message AWS does not document. Values are cut short ({@link oneLine}).
 */
export function compactOutcome(entry: TlsEntry): string {
  if (entry.kind === 'revocation') return `${oneLine(entry.status ?? '?', 12)}→${oneLine(entry.action ?? '?', 12)}`;
  const parsed = parseTlsErrorMessage(entry.errorMessage ?? '', { sni: entry.sni });
  if (parsed.kind === 'noSni') return 'no SNI';
  if (parsed.kind === 'certMismatch') return 'mismatch';
  return 'TLS error';
}
