/**
 * The fast path: a clean entry read straight from the line's text, without building the JSON value. Nearly
 * every line of a real log is clean, and JSON.parse followed by the rules (validate.ts) costs about twice
 * what this does. Whatever this cannot vouch for goes to that full path, which stays the definition of
 * what an entry is.
 */

import { NEEDS_CARE, scalarEnd, skipSpace } from './jsonLocate';
import { NO_SNI_MESSAGE } from './format';
import { isoTimestampMs } from './timestamp';
import type { TlsEntry } from './types';
import { FIREWALLS, isCleanErrorMessage, isIpAddress, MESSAGES, SNIS, ZONES } from './validate';

/**
 * The fields the fast path records, by where they sit: the top-level object, `event`, `event.tls_error`
 * and `event.revocation_check`. A bit each in {@link seen}.
 */
const enum Slot {
  Firewall,
  Zone,
  EventTimestamp,
  Event,
  Timestamp,
  SrcIp,
  SrcPort,
  DestIp,
  DestPort,
  Sni,
  TlsError,
  Revocation,
  Message,
  Fingerprint,
  Status,
  Action,
}

/** The objects the fast path descends into. */
const enum Holder {
  Top,
  Event,
  TlsError,
  Revocation,
}

const enum ValueType {
  String = 1,
  Scalar = 2,
  Object = 3,
}

/** Where each recorded field's value starts and ends in the line (a string's quotes included), and its type. */
const slotStart = new Int32Array(16);
const slotEnd = new Int32Array(16);
const slotType = new Uint8Array(16);
/** The slots recorded on the line being read. */
let seen = 0;

const COMMON_SLOTS =
  (1 << Slot.Firewall) |
  (1 << Slot.Zone) |
  (1 << Slot.EventTimestamp) |
  (1 << Slot.Event) |
  (1 << Slot.Timestamp) |
  (1 << Slot.SrcIp) |
  (1 << Slot.SrcPort) |
  (1 << Slot.DestIp) |
  (1 << Slot.DestPort) |
  (1 << Slot.Sni);
const TLS_ERROR_SLOTS = COMMON_SLOTS | (1 << Slot.TlsError) | (1 << Slot.Message);
const REVOCATION_SLOTS = COMMON_SLOTS | (1 << Slot.Revocation) | (1 << Slot.Fingerprint) | (1 << Slot.Status) | (1 << Slot.Action);

/**
 * The slot of `key` in an object of kind `holder`, or -1 for a key the rules do not read. Compared with
 * `===` on the sliced key: String.prototype.startsWith at an offset costs several times as much.
 */
function slotOf(key: string, holder: Holder): number {
  switch (holder) {
    case Holder.Top:
      switch (key) {
        case 'firewall_name':
          return Slot.Firewall;
        case 'availability_zone':
          return Slot.Zone;
        case 'event_timestamp':
          return Slot.EventTimestamp;
        case 'event':
          return Slot.Event;
        default:
          return -1;
      }
    case Holder.Event:
      switch (key) {
        case 'timestamp':
          return Slot.Timestamp;
        case 'src_ip':
          return Slot.SrcIp;
        case 'src_port':
          return Slot.SrcPort;
        case 'dest_ip':
          return Slot.DestIp;
        case 'dest_port':
          return Slot.DestPort;
        case 'sni':
          return Slot.Sni;
        case 'tls_error':
          return Slot.TlsError;
        case 'revocation_check':
          return Slot.Revocation;
        default:
          return -1;
      }
    case Holder.TlsError:
      return key === 'error_message' ? Slot.Message : -1;
    case Holder.Revocation:
      return key === 'status' ? Slot.Status : key === 'action' ? Slot.Action : key === 'leaf_cert_fpr' ? Slot.Fingerprint : -1;
  }
}

/**
 * Reads the object whose `{` is at `i` in a line without escapes or control characters, recording the
 * fields the rules read. Returns the index after its `}`, or -1 to leave the line to the full path: on
 * invalid JSON, a repeated field, an array, or an object anywhere but where the format has one.
 */
function readObject(text: string, i: number, holder: Holder): number {
  // Compact lines have no white space between tokens: look for it only where the next character is some.
  if (text.charCodeAt(++i) <= 32) i = skipSpace(text, i);
  if (text.charCodeAt(i) === 125) return i + 1;
  for (;;) {
    if (text.charCodeAt(i) !== 34) return -1;
    const keyEnd = text.indexOf('"', i + 1);
    if (keyEnd < 0) return -1;
    const slot = slotOf(text.slice(i + 1, keyEnd), holder);
    i = keyEnd + 1;
    if (text.charCodeAt(i) <= 32) i = skipSpace(text, i);
    if (text.charCodeAt(i) !== 58) return -1;
    let c = text.charCodeAt(++i);
    if (c <= 32) c = text.charCodeAt((i = skipSpace(text, i)));
    let end: number;
    let type: ValueType;
    if (c === 34) {
      end = text.indexOf('"', i + 1) + 1;
      if (end === 0) return -1;
      type = ValueType.String;
    } else if (c === 123) {
      if (slot !== Slot.Event && slot !== Slot.TlsError && slot !== Slot.Revocation) return -1;
      end = readObject(text, i, slot === Slot.Event ? Holder.Event : slot === Slot.TlsError ? Holder.TlsError : Holder.Revocation);
      if (end < 0) return -1;
      type = ValueType.Object;
    } else {
      end = scalarEnd(text, i, c);
      if (end < 0) return -1;
      type = ValueType.Scalar;
    }
    if (slot >= 0) {
      const bit = 1 << slot;
      if ((seen & bit) !== 0) return -1;
      seen |= bit;
      slotStart[slot] = i;
      slotEnd[slot] = end;
      slotType[slot] = type;
    }
    let d = text.charCodeAt(end);
    if (d <= 32) d = text.charCodeAt((end = skipSpace(text, end)));
    if (d === 125) return end + 1;
    if (d !== 44) return -1;
    i = end + 1;
    if (text.charCodeAt(i) <= 32) i = skipSpace(text, i);
  }
}

/** The recorded string field's contents, or undefined when the field holds another type or is empty. */
function nonEmptyString(text: string, slot: Slot): string | undefined {
  const start = slotStart[slot] + 1;
  const end = slotEnd[slot] - 1;
  return slotType[slot] === ValueType.String && end > start ? text.slice(start, end) : undefined;
}

/** The decimal digits `text[start, end)` as a number, or -1 when there are none, too many, or anything else. */
function digitsValue(text: string, start: number, end: number, maxDigits: number): number {
  if (end <= start || end - start > maxDigits) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** A recorded port field (a string of digits or a whole number) as a number, or -1 when the rules would flag it. */
function portValue(text: string, slot: Slot): number {
  const start = slotStart[slot];
  const end = slotEnd[slot];
  const port =
    slotType[slot] === ValueType.String
      ? digitsValue(text, start + 1, end - 1, 5)
      : slotType[slot] === ValueType.Scalar
        ? digitsValue(text, start, end, 5)
        : -1;
  return port <= 65535 ? port : -1;
}

/**
 * The entry of a line that the rules find nothing wrong with, read from the text without building the
 * JSON value, or undefined to leave the line to JSON.parse and {@link validateValue}. Nearly every line of a
 * real log is such a line, and the full path costs about twice what this does. It gives up at the first
 * thing it does not expect: an escape or control character, an array, a repeated field, any field that
 * is missing, of another type, or that a rule would flag. For every line it accepts, the full path gives
 * the same entry and no problems; `test/unit/fastEntry.test.ts` checks that on random and mutated lines.
 */
export function readCleanEntry(text: string): TlsEntry | undefined {
  if (NEEDS_CARE.test(text)) return undefined;
  seen = 0;
  const start = skipSpace(text, 0);
  if (text.charCodeAt(start) !== 123) return undefined;
  const end = readObject(text, start, Holder.Top);
  if (end < 0 || skipSpace(text, end) !== text.length) return undefined;
  // Exactly the fields of one kind. A field inside `event`, `tls_error` or `revocation_check` is only
  // recorded while reading that object, so having one means its holder was an object.
  const kind: TlsEntry['kind'] | undefined = seen === TLS_ERROR_SLOTS ? 'tlsError' : seen === REVOCATION_SLOTS ? 'revocation' : undefined;
  if (kind === undefined) return undefined;

  // event_timestamp: a whole number of epoch seconds, written as digits (no sign, fraction or exponent).
  if (slotType[Slot.EventTimestamp] !== ValueType.Scalar) return undefined;
  const eventTimestamp = digitsValue(text, slotStart[Slot.EventTimestamp], slotEnd[Slot.EventTimestamp], 15);
  if (eventTimestamp < 0) return undefined;

  const timestamp = nonEmptyString(text, Slot.Timestamp);
  if (timestamp === undefined || timestamp.charCodeAt(timestamp.length - 1) !== 90) return undefined;
  const timeMs = isoTimestampMs(timestamp);
  if (Number.isNaN(timeMs) || Math.floor(timeMs / 1000) !== eventTimestamp) return undefined;

  const srcIp = nonEmptyString(text, Slot.SrcIp);
  if (srcIp === undefined || !isIpAddress(srcIp)) return undefined;
  const destIp = nonEmptyString(text, Slot.DestIp);
  if (destIp === undefined || !isIpAddress(destIp)) return undefined;
  const srcPort = portValue(text, Slot.SrcPort);
  const destPort = portValue(text, Slot.DestPort);
  if (srcPort < 0 || destPort < 0) return undefined;

  const rawFirewall = nonEmptyString(text, Slot.Firewall);
  const rawZone = nonEmptyString(text, Slot.Zone);
  const rawSni = nonEmptyString(text, Slot.Sni);
  if (rawFirewall === undefined || rawZone === undefined || rawSni === undefined) return undefined;
  const firewallName = FIREWALLS.share(rawFirewall);
  const availabilityZone = ZONES.share(rawZone);
  const sni = SNIS.share(rawSni);

  if (kind === 'tlsError') {
    if (slotType[Slot.Message] !== ValueType.String) return undefined;
    const message = text.slice(slotStart[Slot.Message] + 1, slotEnd[Slot.Message] - 1);
    if (!isCleanErrorMessage(message, sni)) return undefined;
    const errorMessage = message === NO_SNI_MESSAGE ? NO_SNI_MESSAGE : MESSAGES.share(message);
    return { kind, firewallName, availabilityZone, eventTimestamp, timestamp, timeMs, srcIp, srcPort, destIp, destPort, sni, errorMessage };
  }

  const rawStatus = nonEmptyString(text, Slot.Status);
  const rawAction = nonEmptyString(text, Slot.Action);
  const leafCertFpr = nonEmptyString(text, Slot.Fingerprint);
  if (leafCertFpr === undefined) return undefined;
  // The documented values (format.ts), as the constants themselves: one copy each without a table look-up.
  const status = rawStatus === 'REVOKED' ? 'REVOKED' : rawStatus === 'UNKNOWN' ? 'UNKNOWN' : undefined;
  const action = rawAction === 'PASS' ? 'PASS' : rawAction === 'DROP' ? 'DROP' : rawAction === 'REJECT' ? 'REJECT' : undefined;
  if (status === undefined || action === undefined) return undefined;
  return {
    kind,
    firewallName,
    availabilityZone,
    eventTimestamp,
    timestamp,
    timeMs,
    srcIp,
    srcPort,
    destIp,
    destPort,
    sni,
    status,
    action,
    leafCertFpr,
  };
}
