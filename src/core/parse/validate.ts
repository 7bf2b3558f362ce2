import { isIPv6 } from 'node:net';
import { jsonTypeName } from './jsonTypes';
import { ownCopy } from '../ownCopy';
import { walkJson, type FieldLocation } from './jsonLocate';
import { isDocumentedAction, isDocumentedStatus, MISMATCH_PREFIX, MISMATCH_SEPARATOR, NO_SNI_MESSAGE } from './format';
import { messageText, PROBLEM_CATALOG } from './problems';
import { isoTimestampMs } from './timestamp';
import { parseTlsErrorMessage } from './tlsMessage';
import type { AnalyzeOptions, LineResult, Problem, ProblemCode, TlsEntry } from './types';

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

// Exported for the fast path (fastEntry.ts), so that an entry shares the same copies whichever path read it.
export const FIREWALLS = new SharedStrings(256);
export const ZONES = new SharedStrings(256);
const VALUES = new SharedStrings(64);
export const MESSAGES = new SharedStrings(256);
export const SNIS = new SharedStrings(8192);

/** Shared by every clean line: most lines have no problems, and an empty array each is garbage. */
const NO_PROBLEMS: Problem[] = Object.freeze([]) as unknown as Problem[];

const DIGITS = /^\d+$/;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
export function isIpAddress(text: string): boolean {
  // The IPv4 check stops at the first character that is not a digit or a dot, so an IPv6 address costs
  // it a character or four, and an IPv4 address is scanned once.
  return isIPv4Fast(text) || (text.includes(':') && isIPv6(text));
}

/** A port value as a problem message quotes it: numbers as written in JSON, strings in quotes, both cut and made safe. */
function quotedValue(raw: string | number): string {
  if (typeof raw === 'number') return messageText(String(raw));
  return DIGITS.test(raw) ? messageText(raw) : `"${messageText(raw)}"`;
}

/** The problem message for an address field whose value is not an address, naming the value and, where it can, why. */
function invalidIpMessage(path: string, text: string): string {
  const why = whyNotAnAddress(text);
  if (text === '') return `"${path}" is empty, not an IPv4 or IPv6 address.`;
  return `"${path}" ${messageText(text)} is not an IPv4 or IPv6 address${why === undefined ? '' : ` (${why})`}.`;
}

/** Why text that looks like a dotted IPv4 address is not one, in a few words; undefined when it does not look like one. */
export function whyNotAnAddress(text: string): string | undefined {
  if (text.includes(':') || !/^[\d.]+$/.test(text)) return text.includes(':') ? 'not a valid IPv6 address' : undefined;
  const parts = text.split('.');
  if (parts.length !== 4) return `${parts.length} ${parts.length === 1 ? 'part' : 'parts'}, not 4`;
  for (const part of parts) {
    if (part === '') return 'an empty octet';
    if (part.length > 3 || Number(part) > 255) return `octet ${messageText(part, 12)} is over 255`;
    if (part.length > 1 && part.startsWith('0')) return `octet ${part} has a leading zero`;
  }
  return undefined;
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
  if (port === undefined)
    add('invalid-port', `event.${key}`, `"event.${key}" is ${quotedValue(raw)}: a port must be a whole number from 0 to 65535.`);
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
    add(
      'not-a-tls-entry',
      'event.event_type',
      `This is a Network Firewall ${type === 'netflow' ? 'flow' : type === 'alert' ? 'alert' : `"${messageText(type)}"`} log entry, not a TLS log entry. Alert and flow logs are delivered to separate files.`,
    );
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
    add(
      'unusual-format',
      'event_timestamp',
      '"event_timestamp" is a string of digits, as in alert and flow logs; TLS logs write it as a number.',
    );
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
    if (revocation !== undefined)
      add('both-entry-kinds', 'event', '"event" has both "tls_error" and "revocation_check"; it is read as a TLS error entry.', 'key');
  } else if (revocation !== undefined) {
    kind = 'revocation';
  } else {
    add(
      'unknown-entry-kind',
      'event',
      '"event" has neither "tls_error" nor "revocation_check", so it is not a TLS log entry of a documented kind.',
      'key',
    );
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
      if (timestamp.charCodeAt(timestamp.length - 1) !== 90)
        add(
          'unusual-format',
          'event.timestamp',
          '"event.timestamp" has a numeric UTC offset, as in alert and flow logs; TLS logs end in "Z".',
        );
      if (eventTimestamp !== undefined) {
        const seconds = Math.floor(ms / 1000);
        if (seconds !== eventTimestamp) {
          const diff = eventTimestamp - seconds;
          add(
            'timestamp-mismatch',
            'event_timestamp',
            `"event_timestamp" is ${Math.abs(diff)} s ${diff > 0 ? 'after' : 'before'} "event.timestamp"; they usually agree to the second.`,
          );
        }
      }
    }
  }

  // Written out for each side: constant keys keep these property reads fast, and nothing is built per line.
  let srcIp = requireString(event, 'event', 'src_ip');
  if (srcIp !== undefined && !isIpAddress(srcIp)) {
    add('invalid-ip', 'event.src_ip', invalidIpMessage('event.src_ip', srcIp));
    srcIp = undefined;
  }
  const srcPort = readPortField(event.src_port, 'src_port');
  let destIp = requireString(event, 'event', 'dest_ip');
  if (destIp !== undefined && !isIpAddress(destIp)) {
    add('invalid-ip', 'event.dest_ip', invalidIpMessage('event.dest_ip', destIp));
    destIp = undefined;
  }
  const destPort = readPortField(event.dest_port, 'dest_port');

  const sni = SNIS.share(requireString(event, 'event', 'sni'));
  if (sni === '') add('empty-value', 'event.sni', '"event.sni" is empty; the firewall writes "-" when the client hello has no SNI.');

  const common =
    timestamp !== undefined &&
    timeMs !== undefined &&
    srcIp !== undefined &&
    srcPort !== undefined &&
    destIp !== undefined &&
    destPort !== undefined &&
    sni !== undefined;

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
        errorMessage,
      };
    }
    const entry = partialEntry(
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
    );
    if (errorMessage !== undefined) entry.errorMessage = errorMessage;
    return entry;
  }

  if (!isObject(revocation)) {
    add('wrong-type', 'event.revocation_check', `"event.revocation_check" must be an object, not ${jsonTypeName(revocation)}.`);
    return partialEntry(kind, firewallName, availabilityZone, eventTimestamp, timestamp, timeMs, srcIp, srcPort, destIp, destPort, sni);
  }
  const status = VALUES.share(requireString(revocation, 'event.revocation_check', 'status'));
  if (status !== undefined && !isDocumentedStatus(status))
    add('unknown-status', 'event.revocation_check.status', 'Revocation status is not one of the documented values REVOKED or UNKNOWN.');
  const action = VALUES.share(requireString(revocation, 'event.revocation_check', 'action'));
  if (action !== undefined && !isDocumentedAction(action))
    add('unknown-action', 'event.revocation_check.action', 'Revocation action is not one of the documented values PASS, DROP or REJECT.');
  const leafCertFpr = requireString(revocation, 'event.revocation_check', 'leaf_cert_fpr');
  if (leafCertFpr === '') add('empty-value', 'event.revocation_check.leaf_cert_fpr', '"leaf_cert_fpr" is empty.');
  if (common && status !== undefined && action !== undefined && leafCertFpr !== undefined) {
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
  const entry = partialEntry(
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
  );
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

/**
 * Whether a TLS error message gives no finding with this SNI: a documented form, and an SNI that agrees
 * with the entry's. For the fast path, which keeps a line only when the rules find nothing.
 */
export function isCleanErrorMessage(message: string, sni: string | undefined): boolean {
  found = undefined;
  checkErrorMessage(message, sni);
  const clean = found === undefined;
  found = undefined;
  return clean;
}

/** The findings of a TLS error message: a form AWS does not document, or an SNI that disagrees with the entry's. */
function checkErrorMessage(message: string, sni: string | undefined): void {
  // The entry's SNI settles where the quoted SNI ends, should a client have sent one containing the separator.
  // Nearly every message is one of the documented forms with the entry's own SNI: recognise those
  // without taking the certificate-name list apart (the hover does that).
  if (message === NO_SNI_MESSAGE) {
    if (sni !== undefined && sni !== '-')
      add('sni-disagrees', 'event.sni', 'The error says the client hello had no server name, but "sni" holds one.');
    return;
  }
  if (
    sni !== undefined &&
    // Slices compared with ===: startsWith at an offset costs several times as much.
    message.slice(0, MISMATCH_PREFIX.length) === MISMATCH_PREFIX &&
    message.slice(MISMATCH_PREFIX.length, MISMATCH_PREFIX.length + sni.length) === sni &&
    message.slice(MISMATCH_PREFIX.length + sni.length, MISMATCH_PREFIX.length + sni.length + MISMATCH_SEPARATOR.length) ===
      MISMATCH_SEPARATOR
  ) {
    return;
  }
  const parsed = parseTlsErrorMessage(message, { sni });
  if (parsed.kind === 'undocumented') {
    add(
      'unknown-error-message',
      'event.tls_error.error_message',
      'This TLS error message is not one of the forms AWS documents; it is shown as written.',
    );
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
