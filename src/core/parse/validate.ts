import { isIPv6 } from 'node:net';
import { jsonTypeName } from './jsonTypes';
import { ownCopy } from '../ownCopy';
import { NEEDS_CARE, scalarEnd, skipSpace, walkJson, type FieldLocation } from './jsonLocate';
import { messageText, PROBLEM_CATALOG, type SeverityOverrides } from './problems';
import { MISMATCH_PREFIX, MISMATCH_SEPARATOR, NO_SNI_MESSAGE, parseTlsErrorMessage } from './tlsMessage';
import type { LineResult, Problem, ProblemCode, TlsEntry } from './types';

/** Options for reading a line. All optional; the defaults are the documented policy. */
export interface AnalyzeOptions {
  /** Per-code severity changes, or `off`. */
  severities?: SeverityOverrides;
}

/**
 * What a rule found, before it has a range: the field path it concerns and which part of the field to
 * mark. Ranges are only worked out for lines that have findings, with one extra pass over the text.
 */
interface Finding {
  code: ProblemCode;
  message: string;
  path: string;
  /** `value`: the field's value; `key`: the key of the object at `path` (a missing field's parent). */
  target: 'value' | 'key';
}

type JsonObject = Record<string, unknown>;

/** Shared by every clean line: most lines have no problems, and an empty array each is garbage. */
/**
 * One copy of a value that many entries repeat (firewall and zone names, statuses, common messages, SNIs).
 * An entry kept for a whole document then points at the shared copy, and the string JSON.parse made for its
 * line dies young: fewer objects for the garbage collector to move and fewer bytes to hold. Each table stops
 * growing at its limit, so a file of all-different values costs a bounded amount.
 */
class SharedStrings {
  private readonly table = new Map<string, string>();
  constructor(private readonly limit: number) {}

  share(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const shared = this.table.get(value);
    if (shared !== undefined) return shared;
    if (this.table.size >= this.limit || value.length > 256) return value;
    // The table outlives the line: keep a copy of its own rather than a slice of the reader's chunk.
    const kept = ownCopy(value);
    this.table.set(kept, kept);
    return kept;
  }
}

const FIREWALLS = new SharedStrings(256);
const ZONES = new SharedStrings(256);
const VALUES = new SharedStrings(64);
const MESSAGES = new SharedStrings(256);
const SNIS = new SharedStrings(8192);

const NO_PROBLEMS: Problem[] = Object.freeze([]) as unknown as Problem[];

const DOCUMENTED_STATUSES: ReadonlySet<string> = new Set(['REVOKED', 'UNKNOWN']);
const DOCUMENTED_ACTIONS: ReadonlySet<string> = new Set(['PASS', 'DROP', 'REJECT']);
const DIGITS = /^\d+$/;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}


const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** Days since 1970-01-01 of a proleptic Gregorian date, for any year (no Date object, no 1900 offset for years 0-99). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Reads `count` decimal digits at `at`, or -1 when any is not a digit. */
function digitsAt(text: string, at: number, count: number): number {
  let n = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Parses an ISO 8601 timestamp (`2024-07-02T18:01:44.412778Z`, or with a `+0000`/`+00:00` offset) to epoch
 * milliseconds, truncating the fraction to whole milliseconds (so .999999 never rounds into the next
 * second). Undefined when it is not one or not a real time. Every line has one, so this reads characters
 * directly rather than through a regular expression and Date objects.
 */
export function parseIsoTimestamp(text: string): { ms: number; zulu: boolean } | undefined {
  const ms = isoTimestampMs(text);
  return Number.isNaN(ms) ? undefined : { ms, zulu: text.charCodeAt(text.length - 1) === 90 };
}

/** {@link parseIsoTimestamp} without the object: epoch milliseconds, or NaN. Called once per line. */
function isoTimestampMs(text: string): number {
  const n = text.length;
  if (n < 20 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) {
    return Number.NaN;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
  const monthDays = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (day > monthDays) return Number.NaN;
  let i = 19;
  let fraction = 0;
  if (text.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < n && i - start < 9) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      if (i - start < 3) fraction = fraction * 10 + d;
      i++;
    }
    const count = i - start;
    if (count === 0) return Number.NaN;
    if (count === 1) fraction *= 100;
    else if (count === 2) fraction *= 10;
  }
  let offsetMinutes = 0;
  if (i === n - 1 && text.charCodeAt(i) === 90) {
    // UTC: no offset.
  } else {
    const sign = text.charCodeAt(i);
    if (sign !== 43 && sign !== 45) return Number.NaN;
    const rest = n - i - 1;
    const oh = digitsAt(text, i + 1, 2);
    const om = rest === 4 ? digitsAt(text, i + 3, 2) : rest === 5 && text.charCodeAt(i + 3) === 58 ? digitsAt(text, i + 4, 2) : -1;
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return Number.NaN;
    offsetMinutes = (sign === 45 ? -1 : 1) * (oh * 60 + om);
  }
  const ms = ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + fraction - offsetMinutes * 60_000;
  return ms;
}

/** Whether text is an IPv4 address in dotted-quad form (no leading zeros), checked without a regular expression. */
function isIPv4Fast(text: string): boolean {
  const n = text.length;
  if (n < 7 || n > 15) return false;
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || value > 255 || (digits > 1 && text.charCodeAt(i - digits) === 48)) return false;
      parts++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (++digits > 3) return false;
    } else return false;
  }
  return parts === 4;
}

/** IPv4 or IPv6; IPv6 (rare in these logs) goes through Node's full check. */
function isIpAddress(text: string): boolean {
  // The IPv4 check stops at the first character that is not a digit or a dot, so an IPv6 address costs
  // it a character or four, and an IPv4 address is scanned once.
  return isIPv4Fast(text) || (text.includes(':') && isIPv6(text));
}

/** A port as a number, or undefined when the value is not a whole number from 0 to 65535. */
function readPort(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 65535 ? value : undefined;
  if (typeof value === 'string') {
    const n = value.length;
    if (n === 0 || n > 5) return undefined;
    let port = 0;
    for (let i = 0; i < n; i++) {
      const d = value.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return undefined;
      port = port * 10 + d;
    }
    return port <= 65535 ? port : undefined;
  }
  return undefined;
}

/**
 * The findings of the line being checked, made on the first one (most lines have none). Module state
 * rather than a closure per line: {@link check} runs once per line and never re-enters.
 */
let found: Finding[] | undefined;

function add(code: ProblemCode, path: string, message: string, target: 'value' | 'key' = 'value'): void {
  (found ??= []).push({ code, path, message, target });
}

/** `obj[key]` when it is a string; otherwise a finding (missing or wrong type) and undefined. */
function requireString(obj: JsonObject, objPath: string, key: string): string | undefined {
  const v = obj[key];
  if (typeof v === 'string') return v;
  if (v === undefined) {
    add('missing-field', objPath, `Missing required field "${key}"${objPath === '' ? '' : ` in "${objPath}"`}.`, 'key');
    return undefined;
  }
  const path = objPath === '' ? key : `${objPath}.${key}`;
  add('wrong-type', path, `"${path}" must be a string, not ${jsonTypeName(v)}.`);
  return undefined;
}

/** A port field: a string of digits or a number from 0 to 65535; anything else is a finding. */
function readPortField(raw: unknown, key: 'src_port' | 'dest_port'): number | undefined {
  if (raw === undefined) {
    add('missing-field', 'event', `Missing required field "${key}" in "event".`, 'key');
    return undefined;
  }
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    add('wrong-type', `event.${key}`, `"event.${key}" must be a port number or a string of digits, not ${jsonTypeName(raw)}.`);
    return undefined;
  }
  const port = readPort(raw);
  if (port === undefined) add('invalid-port', `event.${key}`, `"event.${key}" must be a whole number from 0 to 65535.`);
  return port;
}

/**
 * The rules of docs/FORMAT.md ("Fields") over one parsed JSON value. Returns the entry (when the value is a TLS entry of
 * either kind, even if some fields are unusable); the findings without ranges are left in {@link found}.
 */
function check(value: unknown): TlsEntry | undefined {
  found = undefined;
  if (!isObject(value)) {
    add('not-an-object', '', `The line is valid JSON but ${jsonTypeName(value)}, not a log entry object.`);
    return undefined;
  }

  const event = value.event;

  // An alert or flow entry: valid JSON of the firewall's other log types. Say so, once, and stop.
  if (isObject(event) && event.tls_error === undefined && event.revocation_check === undefined && typeof event.event_type === 'string') {
    const type = event.event_type;
    add('not-a-tls-entry', 'event.event_type', `This is a Network Firewall ${type === 'netflow' ? 'flow' : type === 'alert' ? 'alert' : `"${messageText(type)}"`} log entry, not a TLS log entry. Alert and flow logs are delivered to separate files.`);
    return undefined;
  }

  const firewallName = FIREWALLS.share(requireString(value, '', 'firewall_name'));
  if (firewallName === '') add('empty-value', 'firewall_name', '"firewall_name" is empty.');
  const availabilityZone = ZONES.share(requireString(value, '', 'availability_zone'));
  if (availabilityZone === '') add('empty-value', 'availability_zone', '"availability_zone" is empty.');

  let eventTimestamp: number | undefined;
  const rawEventTimestamp = value.event_timestamp;
  if (rawEventTimestamp === undefined) {
    add('missing-field', '', 'Missing required field "event_timestamp".', 'key');
  } else if (typeof rawEventTimestamp === 'number') {
    if (Number.isInteger(rawEventTimestamp) && rawEventTimestamp >= 0) eventTimestamp = rawEventTimestamp;
    else add('invalid-timestamp', 'event_timestamp', `"event_timestamp" must be whole epoch seconds, not ${rawEventTimestamp}.`);
  } else if (typeof rawEventTimestamp === 'string' && DIGITS.test(rawEventTimestamp) && rawEventTimestamp.length <= 12) {
    eventTimestamp = +rawEventTimestamp;
    add('unusual-format', 'event_timestamp', '"event_timestamp" is a string of digits, as in alert and flow logs; TLS logs write it as a number.');
  } else {
    add('wrong-type', 'event_timestamp', `"event_timestamp" must be a number of epoch seconds, not ${jsonTypeName(rawEventTimestamp)}.`);
  }

  if (event === undefined) {
    add('missing-field', '', 'Missing required field "event".', 'key');
    return undefined;
  }
  if (!isObject(event)) {
    add('wrong-type', 'event', `"event" must be an object, not ${jsonTypeName(event)}.`);
    return undefined;
  }

  const tlsError = event.tls_error;
  const revocation = event.revocation_check;
  let kind: TlsEntry['kind'];
  if (tlsError !== undefined) {
    kind = 'tlsError';
    if (revocation !== undefined) add('both-entry-kinds', 'event', '"event" has both "tls_error" and "revocation_check"; it is read as a TLS error entry.', 'key');
  } else if (revocation !== undefined) {
    kind = 'revocation';
  } else {
    add('unknown-entry-kind', 'event', '"event" has neither "tls_error" nor "revocation_check", so it is not a TLS log entry of a documented kind.', 'key');
    return undefined;
  }

  let timeMs: number | undefined;
  const timestamp = requireString(event, 'event', 'timestamp');
  if (timestamp !== undefined) {
    const ms = isoTimestampMs(timestamp);
    if (Number.isNaN(ms)) {
      add('invalid-timestamp', 'event.timestamp', `"event.timestamp" is not an ISO 8601 time such as 2024-07-02T18:01:44.412778Z.`);
    } else {
      timeMs = ms;
      if (timestamp.charCodeAt(timestamp.length - 1) !== 90) add('unusual-format', 'event.timestamp', '"event.timestamp" has a numeric UTC offset, as in alert and flow logs; TLS logs end in "Z".');
      if (eventTimestamp !== undefined) {
        const seconds = Math.floor(ms / 1000);
        if (seconds !== eventTimestamp) {
          const diff = eventTimestamp - seconds;
          add('timestamp-mismatch', 'event_timestamp', `"event_timestamp" is ${Math.abs(diff)} s ${diff > 0 ? 'after' : 'before'} "event.timestamp"; they should agree to the second.`);
        }
      }
    }
  }

  // Written out for each side: constant keys keep these property reads fast, and nothing is built per line.
  let srcIp = requireString(event, 'event', 'src_ip');
  if (srcIp !== undefined && !isIpAddress(srcIp)) {
    add('invalid-ip', 'event.src_ip', '"event.src_ip" is not an IPv4 or IPv6 address.');
    srcIp = undefined;
  }
  const srcPort = readPortField(event.src_port, 'src_port');
  let destIp = requireString(event, 'event', 'dest_ip');
  if (destIp !== undefined && !isIpAddress(destIp)) {
    add('invalid-ip', 'event.dest_ip', '"event.dest_ip" is not an IPv4 or IPv6 address.');
    destIp = undefined;
  }
  const destPort = readPortField(event.dest_port, 'dest_port');

  const sni = SNIS.share(requireString(event, 'event', 'sni'));
  if (sni === '') add('empty-value', 'event.sni', '"event.sni" is empty; the firewall writes "-" when the client hello has no SNI.');

  const common = timestamp !== undefined && timeMs !== undefined && srcIp !== undefined && srcPort !== undefined && destIp !== undefined && destPort !== undefined && sni !== undefined;

  if (kind === 'tlsError') {
    let errorMessage: string | undefined;
    if (!isObject(tlsError)) {
      add('wrong-type', 'event.tls_error', `"event.tls_error" must be an object, not ${jsonTypeName(tlsError)}.`);
    } else {
      const message = requireString(tlsError, 'event.tls_error', 'error_message');
      if (message !== undefined) {
        errorMessage = MESSAGES.share(message);
        checkErrorMessage(message, sni);
      }
    }
    // Nearly every entry has every field: one object literal then, rather than a property at a time.
    if (common && errorMessage !== undefined) {
      return { kind, firewallName, availabilityZone, eventTimestamp, timestamp, timeMs, srcIp, srcPort, destIp, destPort, sni, errorMessage };
    }
    const entry = partialEntry(kind, firewallName, availabilityZone, eventTimestamp, timestamp, timeMs, srcIp, srcPort, destIp, destPort, sni);
    if (errorMessage !== undefined) entry.errorMessage = errorMessage;
    return entry;
  }

  if (!isObject(revocation)) {
    add('wrong-type', 'event.revocation_check', `"event.revocation_check" must be an object, not ${jsonTypeName(revocation)}.`);
    return partialEntry(kind, firewallName, availabilityZone, eventTimestamp, timestamp, timeMs, srcIp, srcPort, destIp, destPort, sni);
  }
  const status = VALUES.share(requireString(revocation, 'event.revocation_check', 'status'));
  if (status !== undefined && !DOCUMENTED_STATUSES.has(status)) add('unknown-status', 'event.revocation_check.status', 'Revocation status is not one of the documented values REVOKED or UNKNOWN.');
  const action = VALUES.share(requireString(revocation, 'event.revocation_check', 'action'));
  if (action !== undefined && !DOCUMENTED_ACTIONS.has(action)) add('unknown-action', 'event.revocation_check.action', 'Revocation action is not one of the documented values PASS, DROP or REJECT.');
  const leafCertFpr = requireString(revocation, 'event.revocation_check', 'leaf_cert_fpr');
  if (leafCertFpr === '') add('empty-value', 'event.revocation_check.leaf_cert_fpr', '"leaf_cert_fpr" is empty.');
  if (common && status !== undefined && action !== undefined && leafCertFpr !== undefined) {
    return { kind, firewallName, availabilityZone, eventTimestamp, timestamp, timeMs, srcIp, srcPort, destIp, destPort, sni, status, action, leafCertFpr };
  }
  const entry = partialEntry(kind, firewallName, availabilityZone, eventTimestamp, timestamp, timeMs, srcIp, srcPort, destIp, destPort, sni);
  if (status !== undefined) entry.status = status;
  if (action !== undefined) entry.action = action;
  if (leafCertFpr !== undefined) entry.leafCertFpr = leafCertFpr;
  return entry;
}

/**
 * An entry that lacks some field: only the fields that were read are set, as keys (so an entry never has
 * a key whose value is undefined, except the three top-level ones that every entry has).
 */
function partialEntry(
  kind: TlsEntry['kind'],
  firewallName: string | undefined,
  availabilityZone: string | undefined,
  eventTimestamp: number | undefined,
  timestamp: string | undefined,
  timeMs: number | undefined,
  srcIp: string | undefined,
  srcPort: number | undefined,
  destIp: string | undefined,
  destPort: number | undefined,
  sni: string | undefined,
): TlsEntry {
  const entry: TlsEntry = { kind, firewallName, availabilityZone, eventTimestamp };
  if (timestamp !== undefined) entry.timestamp = timestamp;
  if (timeMs !== undefined) entry.timeMs = timeMs;
  if (srcIp !== undefined) entry.srcIp = srcIp;
  if (srcPort !== undefined) entry.srcPort = srcPort;
  if (destIp !== undefined) entry.destIp = destIp;
  if (destPort !== undefined) entry.destPort = destPort;
  if (sni !== undefined) entry.sni = sni;
  return entry;
}

/** The findings of a TLS error message: a form AWS does not document, or an SNI that disagrees with the entry's. */
function checkErrorMessage(message: string, sni: string | undefined): void {
  // The entry's SNI settles where the quoted SNI ends, should a client have sent one containing the separator.
  // Nearly every message is one of the documented forms with the entry's own SNI: recognise those
  // without taking the certificate-name list apart (the hover does that).
  if (message === NO_SNI_MESSAGE) {
    if (sni !== undefined && sni !== '-') add('sni-disagrees', 'event.sni', 'The error says the client hello had no server name, but "sni" holds one.');
    return;
  }
  if (
    sni !== undefined &&
    // Slices compared with ===: startsWith at an offset costs several times as much.
    message.slice(0, MISMATCH_PREFIX.length) === MISMATCH_PREFIX &&
    message.slice(MISMATCH_PREFIX.length, MISMATCH_PREFIX.length + sni.length) === sni &&
    message.slice(MISMATCH_PREFIX.length + sni.length, MISMATCH_PREFIX.length + sni.length + MISMATCH_SEPARATOR.length) === MISMATCH_SEPARATOR
  ) {
    return;
  }
  const parsed = parseTlsErrorMessage(message, { sni });
  if (parsed.kind === 'undocumented') {
    add('unknown-error-message', 'event.tls_error.error_message', 'This TLS error message is not one of the forms AWS documents; it is shown as written.');
  } else if (sni !== undefined) {
    if (parsed.kind === 'noSni' && sni !== '-') {
      add('sni-disagrees', 'event.sni', 'The error says the client hello had no server name, but "sni" holds one.');
    } else if (parsed.kind === 'certMismatch' && parsed.sni !== sni) {
      add('sni-disagrees', 'event.sni', 'The SNI in the error message differs from "sni".');
    }
  }
}

/**
 * Validates one parsed line against the rules of docs/FORMAT.md. `text` is the line as written and `offset` the
 * position in it where the JSON starts (after a byte order mark). Ranges are exact: the bad value, or the
 * key of the object that lacks a field, or the whole entry for a missing top-level field.
 */
export function validateValue(value: unknown, text: string, line: number, offset: number, options?: AnalyzeOptions): LineResult {
  const entry = check(value);
  const findings = found;
  found = undefined;
  if (findings === undefined) return entry ? { entry, problems: NO_PROBLEMS } : { problems: NO_PROBLEMS };
  const overrides = options?.severities;
  const walk = walkJson(offset === 0 ? text : text.slice(offset));
  const problems: Problem[] = [];
  for (const f of findings) {
    const override = overrides?.[f.code];
    if (override === 'off') continue;
    const [start, end] = rangeOf(f, walk.fields, walk.rootStart, walk.rootEnd);
    problems.push({
      line,
      startColumn: start + offset,
      endColumn: end + offset,
      severity: override ?? PROBLEM_CATALOG[f.code].severity,
      code: f.code,
      message: f.message,
    });
  }
  problems.sort((a, b) => a.startColumn - b.startColumn);
  return entry ? { entry, problems } : { problems };
}

function rangeOf(f: Finding, fields: Map<string, FieldLocation>, rootStart: number, rootEnd: number): [number, number] {
  const whole: [number, number] = [Math.max(0, rootStart), Math.max(rootEnd, rootStart + 1)];
  if (f.path === '') return whole;
  const loc = fields.get(f.path);
  if (!loc) return whole;
  return f.target === 'key' ? [loc.keyStart, loc.keyEnd] : [loc.valueStart, Math.max(loc.valueEnd, loc.valueStart + 1)];
}

// ---------------------------------------------------------------------------------------------------------
// The fast path: a clean entry read straight from the text.

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
  const port = slotType[slot] === ValueType.String ? digitsValue(text, start + 1, end - 1, 5) : slotType[slot] === ValueType.Scalar ? digitsValue(text, start, end, 5) : -1;
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
    found = undefined;
    checkErrorMessage(message, sni);
    if (found !== undefined) {
      found = undefined;
      return undefined;
    }
    const errorMessage = message === NO_SNI_MESSAGE ? NO_SNI_MESSAGE : MESSAGES.share(message);
    return { kind, firewallName, availabilityZone, eventTimestamp, timestamp, timeMs, srcIp, srcPort, destIp, destPort, sni, errorMessage };
  }

  const rawStatus = nonEmptyString(text, Slot.Status);
  const rawAction = nonEmptyString(text, Slot.Action);
  const leafCertFpr = nonEmptyString(text, Slot.Fingerprint);
  if (leafCertFpr === undefined) return undefined;
  // The documented values, as the constants themselves: one copy each without a table look-up.
  const status = rawStatus === 'REVOKED' ? 'REVOKED' : rawStatus === 'UNKNOWN' ? 'UNKNOWN' : undefined;
  const action = rawAction === 'PASS' ? 'PASS' : rawAction === 'DROP' ? 'DROP' : rawAction === 'REJECT' ? 'REJECT' : undefined;
  if (status === undefined || action === undefined) return undefined;
  return { kind, firewallName, availabilityZone, eventTimestamp, timestamp, timeMs, srcIp, srcPort, destIp, destPort, sni, status, action, leafCertFpr };
}
