/**
 * What a field of a TLS log entry means, as data: the editor hover renders it (see markdown.ts), the CLI can
 * print it, and tests assert it.
 *
 * Trust boundary: every string in an {@link Explanation} is either text we wrote (titles, headings, section
 * text, fact labels, facts marked `untrusted: false`) or a value that came from the log (`value`, section
 * `values`, facts marked `untrusted: true`). Log values never go into our text; renderers must escape every
 * untrusted piece. Our text may use inline markdown (`code`, **bold**) and never contains a link.
 */

import { isIP } from 'node:net';
import { domainToUnicode } from 'node:url';
import { jsonTypeName } from '../parse/jsonTypes';
import { parseTlsErrorMessage, type ParsedTlsError } from '../parse/tlsMessage';
import type { TlsEntry } from '../parse/types';

/** The fields {@link explainField} knows, by their dotted JSON path. */
export type FieldPath =
  | 'firewall_name'
  | 'availability_zone'
  | 'event_timestamp'
  | 'event.timestamp'
  | 'event.src_ip'
  | 'event.dest_ip'
  | 'event.src_port'
  | 'event.dest_port'
  | 'event.sni'
  | 'event.tls_error.error_message'
  | 'event.revocation_check.status'
  | 'event.revocation_check.action'
  | 'event.revocation_check.leaf_cert_fpr'
  | 'event.tls_error'
  | 'event.revocation_check'
  | 'event';

/** Every {@link FieldPath}, in the order fields appear in AWS's examples. */
export const FIELD_PATHS: readonly FieldPath[] = [
  'firewall_name',
  'availability_zone',
  'event_timestamp',
  'event',
  'event.timestamp',
  'event.src_ip',
  'event.src_port',
  'event.dest_ip',
  'event.dest_port',
  'event.sni',
  'event.tls_error',
  'event.tls_error.error_message',
  'event.revocation_check',
  'event.revocation_check.leaf_cert_fpr',
  'event.revocation_check.status',
  'event.revocation_check.action',
];

const FIELD_PATH_SET: ReadonlySet<string> = new Set(FIELD_PATHS);

/** Whether `path` (dotted) is one of the fields {@link explainField} explains. */
export function isFieldPath(path: string): path is FieldPath {
  return FIELD_PATH_SET.has(path);
}

/**
 * The field path for a JSON location given as property segments (as a JSON parser reports them, e.g.
 * `['event', 'revocation_check', 'status']`), or undefined when the location is not a field we explain.
 */
export function fieldPathFromSegments(segments: ReadonlyArray<string | number>): FieldPath | undefined {
  if (segments.some((segment) => typeof segment !== 'string')) return undefined;
  const path = segments.join('.');
  return isFieldPath(path) ? path : undefined;
}

/** What {@link explainField} needs besides the entry. */
export interface ExplainContext {
  /** The current time, epoch milliseconds, for "3 hours ago". */
  now: number;
  /** IANA time zone for local times, e.g. `America/New_York`; defaults to the system's zone. */
  timeZone?: string;
  /** How many entries in the same file have this exact `event.sni`. */
  sniCount?: (sni: string) => number;
}

/** A short label and value. */
export interface ExplanationFact {
  /** Our wording. */
  label: string;
  /** Our wording when `untrusted` is false (may use inline markdown); a value from the log when true. */
  value: string;
  /** True when `value` came from the log (or was cut out of a log value) and must be escaped when shown. */
  untrusted: boolean;
}

/** A paragraph of our prose, optionally followed by log values it talks about. */
export interface ExplanationSection {
  /** Our wording. */
  heading?: string;
  /** Our wording; may use inline markdown (`code`, **bold**) and line breaks, never links. */
  text: string;
  /** Values from the log, to be shown as code after `text`. Untrusted. */
  values?: string[];
}

/** Everything worth saying about one field of one entry. */
export interface Explanation {
  /** The field explained. */
  field: FieldPath;
  /** Our short name for the field, e.g. "Revocation status". */
  title: string;
  /** The field's value as written in the log, as text. Untrusted. Undefined for objects and absent fields. */
  value?: string;
  /** Key facts, most useful first. */
  facts: ExplanationFact[];
  /** Paragraphs, most useful first. */
  sections: ExplanationSection[];
}

/**
 * Explains one field: what it means, what this value says, and what to check next.
 *
 * @param field the field's path.
 * @param entry the entry the line was read into, for cross-field facts (which setting decided an action,
 *   whether the timestamps agree). Undefined when the line was not a usable entry.
 * @param rawValue the JSON value found at `field` on this line, as parsed (any JSON type, or undefined when absent).
 * @param context the current time, the time zone for local times, and SNI counts for the file.
 * @returns the explanation, or undefined when `field` is not a known field path.
 */
export function explainField(
  field: FieldPath,
  entry: TlsEntry | undefined,
  rawValue: unknown,
  context: ExplainContext,
): Explanation | undefined {
  switch (field) {
    case 'firewall_name':
      return explainFirewallName(rawValue);
    case 'availability_zone':
      return explainAvailabilityZone(rawValue);
    case 'event_timestamp':
      return explainEventTimestamp(entry, rawValue, context);
    case 'event.timestamp':
      return explainIsoTimestamp(entry, rawValue, context);
    case 'event.src_ip':
    case 'event.dest_ip':
      return explainAddress(field, rawValue);
    case 'event.src_port':
    case 'event.dest_port':
      return explainPort(field, rawValue);
    case 'event.sni':
      return explainSni(entry, rawValue, context);
    case 'event.tls_error.error_message':
      return explainErrorMessage(entry, rawValue);
    case 'event.revocation_check.status':
      return explainStatus(entry, rawValue);
    case 'event.revocation_check.action':
      return explainAction(entry, rawValue);
    case 'event.revocation_check.leaf_cert_fpr':
      return explainFingerprint(rawValue);
    case 'event.tls_error':
      return explainTlsErrorObject(entry, context);
    case 'event.revocation_check':
      return explainRevocationObject(entry, context);
    case 'event':
      return explainEventObject(entry, context);
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Shared helpers

/** A JSON value as text for display: strings as they are, other scalars in JSON spelling. */
function valueText(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean' || raw === null) return String(raw);
  return undefined;
}


function untrusted(label: string, value: string): ExplanationFact {
  return { label, value, untrusted: true };
}

function ours(label: string, value: string): ExplanationFact {
  return { label, value, untrusted: false };
}

function absentOrWrongType(field: FieldPath, title: string, raw: unknown, expected: string): Explanation {
  const text =
    raw === undefined
      ? `This line has no \`${field}\` field.`
      : `AWS writes this field as ${expected}; on this line it is ${jsonTypeName(raw)}, so it cannot be read as documented.`;
  return { field, title, value: valueText(raw), facts: [], sections: [{ text }] };
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * DAY],
  ['month', 30 * DAY],
  ['day', DAY],
  ['hour', HOUR],
  ['minute', MINUTE],
  ['second', SECOND],
];

/** "3 hours ago" / "in 2 days" / "now", truncated to the largest whole unit. */
export function relativeTime(ms: number, now: number): string {
  const diff = ms - now;
  const abs = Math.abs(diff);
  if (abs < SECOND) return 'now';
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'always' });
  for (const [unit, size] of UNITS) {
    if (abs >= size) return format.format(Math.sign(diff) * Math.floor(abs / size), unit);
  }
  return 'now';
}

/** "2 minutes 5 seconds", "3 days 1 hour": the two largest non-zero units of a duration. */
export function formatDuration(ms: number): string {
  let rest = Math.abs(ms);
  if (rest < SECOND) return `${Math.round(rest)} ms`;
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    if (rest >= size && parts.length < 2) {
      const count = Math.floor(rest / size);
      parts.push(plural(count, unit));
      rest -= count * size;
    } else if (parts.length > 0) {
      break;
    }
  }
  return parts.join(' ');
}

function systemTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

/** `2024-07-02 18:01:44.412778 UTC`; `fraction` is the digits after the seconds, if any. */
function formatUtc(ms: number, fraction = ''): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction ? `.${fraction}` : ''} UTC`;
}

/** `2024-07-02 14:01:44.412778 UTC-04:00`, or undefined when the zone is not known to this runtime. */
function formatInZone(ms: number, timeZone: string, fraction = ''): string | undefined {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    }).formatToParts(new Date(ms));
  } catch {
    return undefined;
  }
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  const offset = part('timeZoneName').replace(/^GMT/, '') || '+00:00';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}${fraction ? `.${fraction}` : ''} UTC${offset}`;
}

function isUtcZone(timeZone: string): boolean {
  return /^(?:Etc\/)?(?:UTC|UCT|GMT|Universal|Zulu)$/i.test(timeZone);
}

/** The time facts shared by both timestamp fields. */
function timeFacts(ms: number, context: ExplainContext, fraction = ''): ExplanationFact[] {
  const facts = [ours('UTC', formatUtc(ms, fraction))];
  const zone = context.timeZone ?? systemTimeZone();
  if (!isUtcZone(zone)) {
    const local = formatInZone(ms, zone, fraction);
    // Only a zone the runtime accepted is quoted, and only when it is spelled like an IANA name, so it cannot break the markdown.
    const quoted = /^[A-Za-z0-9_+\-/]+$/.test(zone) ? ` (\`${zone}\`)` : '';
    facts.push(ours('Local time', local === undefined ? `not shown: unknown time zone${quoted}` : `${local}${quoted}`));
  }
  facts.push(ours('Age', relativeTime(ms, context.now)));
  return facts;
}

/** Agreement between `event_timestamp` (seconds) and `event.timestamp` (ms), or undefined when one is missing. */
function timestampAgreement(eventSeconds: number | undefined, timeMs: number | undefined, subject: FieldPath): ExplanationSection | undefined {
  if (eventSeconds === undefined || timeMs === undefined) return undefined;
  const other = subject === 'event_timestamp' ? '`event.timestamp`' : '`event_timestamp`';
  const diff = eventSeconds - Math.floor(timeMs / SECOND);
  if (diff === 0) {
    return { heading: 'Agreement', text: `Agrees with ${other} to the second, as it should.` };
  }
  const later = diff > 0 ? '`event_timestamp`' : '`event.timestamp`';
  return {
    heading: 'Disagreement',
    text:
      `Differs from ${other} by ${formatDuration(diff * SECOND)}; ${later} is the later one. AWS writes both from the ` +
      'same moment and they agree to the second, so this line was probably edited, or assembled by a tool from two entries.',
  };
}

const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Reads `event.timestamp`: epoch milliseconds, the digits after the seconds as written, and whether it ends in `Z`.
 * Undefined when it is not an ISO 8601 date-time or names a day or time that does not exist.
 */
function parseIsoTimestamp(text: string): { ms: number; fraction: string; zulu: boolean } | undefined {
  const m = ISO_TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const fraction = m[7] ?? '';
  let ms = Date.UTC(year, month - 1, day, hour, minute, second) + Math.floor(Number(`0.${fraction || '0'}`) * 1000);
  const zone = m[8];
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 23 || minutes > 59) return undefined;
    ms -= (digits[0] === '-' ? -1 : 1) * (hours * 60 + minutes) * MINUTE;
  }
  return { ms, fraction, zulu: zone === 'Z' };
}

function isoTimeOf(entry: TlsEntry | undefined): number | undefined {
  if (entry?.timeMs !== undefined) return entry.timeMs;
  return entry?.timestamp !== undefined ? parseIsoTimestamp(entry.timestamp)?.ms : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// firewall_name, availability_zone

function explainFirewallName(raw: unknown): Explanation {
  const title = 'Firewall name';
  if (typeof raw !== 'string') return absentOrWrongType('firewall_name', title, raw, 'a string');
  const sections: ExplanationSection[] = [
    {
      text:
        'The name of the AWS Network Firewall firewall whose endpoint logged this entry, as given when the firewall was ' +
        'created. The same name appears in the S3 key (`.../network-firewall/tls/<region>/<firewall>/...`) and in the ' +
        'CloudWatch log stream (`/aws/network-firewall/tls/<firewall>`) the entry was delivered to.',
    },
    {
      heading: 'Look it up',
      text:
        'In the VPC console under **Network Firewall → Firewalls**, or with ' +
        '`aws network-firewall describe-firewall --firewall-name <name>`. Its firewall policy names the TLS inspection ' +
        'configuration whose settings produced this entry.',
    },
  ];
  if (raw.trim() === '') sections.unshift({ text: 'The name is empty on this line, so the entry cannot be traced to a firewall.' });
  return { field: 'firewall_name', title, value: raw, facts: [], sections };
}

/** The Region of an Availability Zone name: `us-east-1d` → `us-east-1`, `us-west-2-lax-1a` → `us-west-2`. */
export function regionOfAvailabilityZone(zone: string): { region: string; localZone: boolean } | undefined {
  const match = /^([a-z]{2}(?:-[a-z]+)+-\d+)([a-z0-9-]*)$/.exec(zone);
  if (!match) return undefined;
  const rest = match[2];
  if (/^[a-z]$/.test(rest)) return { region: match[1], localZone: false };
  if (/^-[a-z0-9-]+[a-z0-9]$/.test(rest)) return { region: match[1], localZone: true };
  return undefined;
}

function explainAvailabilityZone(raw: unknown): Explanation {
  const title = 'Availability Zone';
  if (typeof raw !== 'string') return absentOrWrongType('availability_zone', title, raw, 'a string');
  const facts: ExplanationFact[] = [];
  const sections: ExplanationSection[] = [
    {
      text:
        'The Availability Zone of the firewall endpoint that logged this entry. A firewall has one endpoint in each zone ' +
        'it is deployed to, and each endpoint inspects the traffic that the route tables send to it, so one firewall\'s ' +
        'entries can come from several zones.',
    },
  ];
  const region = regionOfAvailabilityZone(raw);
  if (region) {
    facts.push(untrusted('Region', region.region));
    sections.push({
      heading: 'Region',
      text: region.localZone
        ? 'This looks like a Local Zone or Wavelength Zone name; it belongs to the Region its name starts with.'
        : 'The Region is the zone name without its last letter.',
    });
  } else {
    sections.push({
      heading: 'Region',
      text: 'This does not look like an Availability Zone name such as `us-east-1d`, so no Region can be read from it.',
    });
  }
  sections.push({
    heading: 'Across accounts',
    text:
      'Zone names are mapped to physical zones separately for each AWS account: `us-east-1d` in one account need not be ' +
      'the same place as `us-east-1d` in another. To compare, use zone IDs (such as `use1-az4`) from ' +
      '`aws ec2 describe-availability-zones --region <region>`.',
  });
  return { field: 'availability_zone', title, value: raw, facts, sections };
}

// ---------------------------------------------------------------------------------------------------------
// Timestamps

function explainEventTimestamp(entry: TlsEntry | undefined, raw: unknown, context: ExplainContext): Explanation {
  const title = 'Log time (epoch seconds)';
  const field = 'event_timestamp';
  let seconds: number | undefined;
  const sections: ExplanationSection[] = [];
  if (typeof raw === 'number') {
    if (Number.isInteger(raw)) seconds = raw;
  } else if (typeof raw === 'string' && /^\d+$/.test(raw)) {
    seconds = Number(raw);
    sections.push({
      heading: 'Spelling',
      text: 'Written as a string of digits, the way alert and flow logs write it; TLS logs write a plain number.',
    });
  } else {
    return absentOrWrongType(field, title, raw, 'a whole number of seconds');
  }
  sections.unshift({
    text:
      'When the firewall created this log entry, in whole seconds since 1970-01-01 00:00 UTC (Unix time). ' +
      '`event.timestamp` gives the same moment with microseconds.',
  });
  const ms = seconds === undefined ? NaN : seconds * SECOND;
  if (seconds === undefined || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    sections.push({ text: 'This is not a whole number of seconds in the range a date can have, so it is not a usable time.' });
    return { field, title, value: valueText(raw), facts: [], sections };
  }
  const agreement = timestampAgreement(seconds, isoTimeOf(entry), field);
  if (agreement) sections.push(agreement);
  return { field, title, value: valueText(raw), facts: timeFacts(ms, context), sections };
}

function explainIsoTimestamp(entry: TlsEntry | undefined, raw: unknown, context: ExplainContext): Explanation {
  const title = 'Event time';
  const field = 'event.timestamp';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'an ISO 8601 string');
  const sections: ExplanationSection[] = [
    {
      text:
        'When the event happened, as an ISO 8601 time with microseconds. The `Z` at the end means UTC. ' +
        '`event_timestamp` gives the same moment in whole seconds.',
    },
  ];
  const parsed = parseIsoTimestamp(raw);
  if (!parsed) {
    sections.push({
      text: 'This is not an ISO 8601 time such as `2024-07-02T18:01:44.412778Z`, so it cannot be placed in time.',
    });
    return { field, title, value: raw, facts: [], sections };
  }
  if (!parsed.zulu) {
    sections.push({
      heading: 'Spelling',
      text: 'Written with a numeric UTC offset instead of `Z`, the way alert and flow logs write it; TLS logs end in `Z`.',
    });
  }
  const { fraction } = parsed;
  const eventSeconds = entry?.eventTimestamp;
  const agreement = timestampAgreement(eventSeconds, parsed.ms, field);
  if (agreement) sections.push(agreement);
  return { field, title, value: raw, facts: timeFacts(parsed.ms, context, fraction), sections };
}

// ---------------------------------------------------------------------------------------------------------
// Ports

interface PortService {
  name: string;
  note?: string;
}

/** Services commonly found on ports that carry (or are mistaken for) TLS. */
const PORT_SERVICES: ReadonlyMap<number, PortService> = new Map<number, PortService>([
  [443, { name: 'HTTPS', note: 'the usual port for TLS inspection' }],
  [80, { name: 'HTTP', note: 'plain-text HTTP; TLS here is unusual' }],
  [8443, { name: 'HTTPS, alternative port' }],
  [9443, { name: 'HTTPS, alternative port' }],
  [8080, { name: 'HTTP, alternative port (proxies, application servers)' }],
  [853, { name: 'DNS over TLS' }],
  [993, { name: 'IMAP over TLS (IMAPS)' }],
  [995, { name: 'POP3 over TLS (POP3S)' }],
  [465, { name: 'SMTP submission over TLS (SMTPS)' }],
  [587, { name: 'SMTP submission', note: 'starts in plain text and upgrades with STARTTLS' }],
  [25, { name: 'SMTP', note: 'mail between servers; starts in plain text and upgrades with STARTTLS' }],
  [636, { name: 'LDAP over TLS (LDAPS)' }],
  [389, { name: 'LDAP', note: 'plain text, may upgrade with StartTLS' }],
  [5671, { name: 'AMQP over TLS (e.g. RabbitMQ, Amazon MQ)' }],
  [8883, { name: 'MQTT over TLS (e.g. AWS IoT Core)' }],
  [5061, { name: 'SIP over TLS' }],
  [990, { name: 'FTP over TLS (FTPS), control channel' }],
  [992, { name: 'Telnet over TLS' }],
  [5986, { name: 'WinRM over HTTPS' }],
  [6443, { name: 'Kubernetes API server' }],
  [2376, { name: 'Docker daemon over TLS' }],
  [9093, { name: 'Kafka over TLS (a common choice)' }],
  [9094, { name: 'Kafka over TLS (Amazon MSK)' }],
  [5432, { name: 'PostgreSQL', note: 'TLS is negotiated inside the protocol' }],
  [3306, { name: 'MySQL', note: 'TLS is negotiated inside the protocol' }],
  [1433, { name: 'Microsoft SQL Server', note: 'TLS is negotiated inside the protocol' }],
  [6379, { name: 'Redis' }],
  [27017, { name: 'MongoDB' }],
  [3389, { name: 'Remote Desktop (RDP)', note: 'TLS is negotiated inside the RDP protocol' }],
  [22, { name: 'SSH', note: 'not TLS' }],
  [53, { name: 'DNS', note: 'not TLS' }],
  [123, { name: 'NTP', note: 'not TLS' }],
]);

/** The port as a number, or a reason it is not one. */
function readPort(raw: unknown): { port: number } | { problem: string } {
  if (typeof raw === 'number') {
    return Number.isInteger(raw) && raw >= 0 && raw <= 65535 ? { port: raw } : { problem: 'not a whole number from 0 to 65535' };
  }
  if (typeof raw === 'string') {
    if (!/^\d+$/.test(raw)) return { problem: raw === '' ? 'empty' : 'not made of digits only' };
    const port = Number(raw);
    return port <= 65535 ? { port } : { problem: 'larger than 65535, the highest port there is' };
  }
  return { problem: `${jsonTypeName(raw)}, not a port` };
}

function explainPort(field: 'event.src_port' | 'event.dest_port', raw: unknown): Explanation {
  const source = field === 'event.src_port';
  const title = source ? 'Source port (client)' : 'Destination port (server)';
  if (raw === undefined) return absentOrWrongType(field, title, raw, 'a string of digits');
  const read = readPort(raw);
  const sections: ExplanationSection[] = [
    {
      text: source
        ? "The client's port for this connection, picked by the client's operating system. Together with the two " +
          'addresses and the destination port it identifies this one connection, for example in flow logs.'
        : 'The port on the server that the client connected to, which usually tells the service. TLS inspection covers ' +
          'the ports listed in the scope of the TLS inspection configuration; 443 is the usual one.',
    },
  ];
  if ('problem' in read) {
    sections.unshift({ heading: 'Not a valid port', text: `Ports are whole numbers from 0 to 65535; this value is ${read.problem}.` });
    return { field, title, value: valueText(raw), facts: [], sections };
  }
  const { port } = read;
  const facts: ExplanationFact[] = [];
  if (typeof raw === 'number') {
    sections.push({ heading: 'Spelling', text: 'Written as a number, the way alert and flow logs write ports; TLS logs write a string of digits.' });
  }
  const service = PORT_SERVICES.get(port);
  if (port === 0) {
    sections.unshift({ heading: 'Port 0', text: 'Port 0 is reserved: no real TCP connection uses it, so this value is suspect.' });
  } else if (service) {
    facts.push(ours('Usual service', service.note ? `${service.name} (${service.note})` : service.name));
  }
  if (source && port !== 0) {
    sections.push({ heading: 'Range', text: sourcePortRange(port, service) });
  } else if (!source && port !== 0 && !service) {
    facts.push(ours('Usual service', port >= 49152 ? 'none (a dynamic/ephemeral port)' : 'none commonly known'));
  }
  return { field, title, value: valueText(raw), facts, sections };
}

function sourcePortRange(port: number, service: PortService | undefined): string {
  if (port >= 32768) {
    const ranges: string[] = [];
    if (port <= 60999) ranges.push("Linux's default client port range (32768–60999)");
    if (port >= 49152) ranges.push('the IANA dynamic range (49152–65535) that Windows and macOS use');
    return `An ephemeral port: it falls in ${ranges.join(' and in ')}. It identifies this one connection, not a service.`;
  }
  if (port >= 1024) {
    return 'Below the usual client port ranges (32768 and up). Possible — some systems, containers and NAT devices pick from wider ranges — but worth knowing when matching this connection elsewhere.';
  }
  return (
    `A well-known port${service ? ` (${service.name})` : ''} used as a source port, which is unusual for a client: ` +
    'the packet may be a server\'s reply, or the program binds a fixed source port.'
  );
}

// ---------------------------------------------------------------------------------------------------------
// Addresses

/** The kinds of address {@link classifyIpAddress} tells apart. */
export type AddressScope =
  | 'public'
  | 'private'
  | 'cgnat'
  | 'loopback'
  | 'linkLocal'
  | 'multicast'
  | 'unspecified'
  | 'broadcast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved'
  | 'ipv4Mapped'
  | 'nat64';

/** What kind of address a string holds. */
export interface IpClassification {
  version: 4 | 6;
  scope: AddressScope;
  /** Our short description, e.g. "private (RFC 1918)". */
  label: string;
  /** Our sentence or two on what it means in a firewall log. */
  note: string;
  /** The IPv6 zone ID after `%`, if the address had one (from the log: untrusted). */
  zone?: string;
  /** For `ipv4Mapped` and `nat64`: the IPv4 address carried in the last 32 bits, and what kind it is. */
  embedded?: { address: string; classification: IpClassification };
}

function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    // Leading zeros are refused: some readers take them as octal, so their meaning is ambiguous.
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    octets.push(value);
  }
  return octets;
}

function parseIPv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i];
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIPv4(piece);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  if (!head) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  // An embedded IPv4 address may only end the address, so it cannot sit before `::`.
  if (halves[0].includes('.')) return undefined;
  const tail = groups(halves[1]);
  if (!tail || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

const AWS_LINK_LOCAL_V4: ReadonlyMap<string, string> = new Map([
  ['169.254.169.254', 'the EC2 instance metadata service (IMDS)'],
  ['169.254.169.253', 'the Amazon DNS server (Route 53 Resolver)'],
  ['169.254.169.123', 'the Amazon Time Sync Service'],
]);

const AWS_LOCAL_V6: ReadonlyMap<number, string> = new Map([
  [0x254, 'the EC2 instance metadata service (IMDS) over IPv6'],
  [0x253, 'the Amazon DNS server (Route 53 Resolver) over IPv6'],
  [0x123, 'the Amazon Time Sync Service over IPv6'],
]);

function classifyV4(o: number[]): IpClassification {
  const [a, b, c, d] = o;
  const text = o.join('.');
  const v = (scope: AddressScope, label: string, note: string): IpClassification => ({ version: 4, scope, label, note });
  if (a === 0) {
    return text === '0.0.0.0'
      ? v('unspecified', 'unspecified (0.0.0.0)', 'Means "no address". It cannot be an end of a real TCP connection.')
      : v('reserved', '"this network" (0.0.0.0/8)', 'Reserved; it cannot be an end of a real TCP connection.');
  }
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) {
    return v(
      'private',
      'private (RFC 1918)',
      'Not routable on the internet: a host in your VPC or in a network connected to it (peering, Transit Gateway, VPN, Direct Connect).',
    );
  }
  if (a === 100 && b >= 64 && b <= 127) {
    return v(
      'cgnat',
      'shared address space (100.64.0.0/10, RFC 6598)',
      'Meant for carrier-grade NAT. VPCs may also use it as a secondary CIDR block (often for container or pod addresses), so in AWS it is usually a private address.',
    );
  }
  if (a === 127) return v('loopback', 'loopback (127.0.0.0/8)', 'The host talking to itself. Loopback traffic never crosses a network, so it is odd to see in a firewall log.');
  if (a === 169 && b === 254) {
    const service = AWS_LINK_LOCAL_V4.get(text);
    return v(
      'linkLocal',
      'link-local (169.254.0.0/16)',
      service
        ? `Link-local; in AWS this address is ${service}, which instances reach without passing a firewall endpoint.`
        : 'Valid only on one network link and never routed, so it is odd to see in a firewall log.',
    );
  }
  if (a === 192 && b === 0 && c === 0) return v('reserved', 'IETF protocol assignments (192.0.0.0/24)', 'Reserved for special protocol uses; not normal traffic.');
  if ((a === 192 && b === 0 && c === 2) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) {
    return v(
      'documentation',
      'documentation (RFC 5737)',
      'Reserved for examples in documentation; real traffic never uses it, so this line probably comes from an example or test data.',
    );
  }
  if (a === 198 && (b === 18 || b === 19)) return v('benchmarking', 'benchmarking (198.18.0.0/15, RFC 2544)', 'Reserved for network benchmark tests; not normal traffic.');
  if (a >= 224 && a <= 239) return v('multicast', 'multicast (224.0.0.0/4)', 'A group address. TLS runs over TCP, which cannot be multicast, so it cannot be an end of this connection.');
  if (a === 255 && b === 255 && c === 255 && d === 255) return v('broadcast', 'limited broadcast', 'The broadcast address; it cannot be an end of a TCP connection.');
  if (a >= 240) return v('reserved', 'reserved (240.0.0.0/4)', 'Reserved for future use and not routed; not normal traffic.');
  return v('public', 'public', 'A public internet address. To see who holds it, use `whois`; AWS publishes its own ranges in `ip-ranges.json`.');
}

function classifyV6(h: number[], zone: string | undefined): IpClassification {
  const v = (scope: AddressScope, label: string, note: string): IpClassification =>
    zone === undefined ? { version: 6, scope, label, note } : { version: 6, scope, label, note, zone };
  const zeroUpTo = (n: number): boolean => h.slice(0, n).every((x) => x === 0);
  const embedded = (): { address: string; classification: IpClassification } => {
    const octets = [h[6] >> 8, h[6] & 0xff, h[7] >> 8, h[7] & 0xff];
    return { address: octets.join('.'), classification: classifyV4(octets) };
  };
  if (zeroUpTo(8)) return v('unspecified', 'unspecified (::)', 'Means "no address". It cannot be an end of a real TCP connection.');
  if (zeroUpTo(7) && h[7] === 1) return v('loopback', 'loopback (::1)', 'The host talking to itself. Loopback traffic never crosses a network, so it is odd to see in a firewall log.');
  if (zeroUpTo(5) && h[5] === 0xffff) {
    const inner = embedded();
    return {
      ...v(
        'ipv4Mapped',
        'IPv4-mapped (::ffff:0:0/96)',
        `An IPv4 address written in IPv6 form: the real peer is the IPv4 address in its last 32 bits, which is ${inner.classification.label}.`,
      ),
      embedded: inner,
    };
  }
  if (h[0] === 0x64 && h[1] === 0xff9b && h.slice(2, 6).every((x) => x === 0)) {
    const inner = embedded();
    return {
      ...v(
        'nat64',
        'NAT64 (64:ff9b::/96)',
        `An IPv6-only client reaching an IPv4 server (the address in the last 32 bits, which is ${inner.classification.label}) through NAT64 — in AWS, a NAT gateway with DNS64 turned on for the subnet.`,
      ),
      embedded: inner,
    };
  }
  if ((h[0] & 0xfe00) === 0xfc00) {
    const service = h[0] === 0xfd00 && h[1] === 0x0ec2 && h.slice(2, 7).every((x) => x === 0) ? AWS_LOCAL_V6.get(h[7]) : undefined;
    return v(
      'private',
      'unique local (fc00::/7)',
      service
        ? `The IPv6 counterpart of a private address; in AWS this address is ${service}.`
        : 'The IPv6 counterpart of a private address: not routable on the internet, so a host in your own or a connected network.',
    );
  }
  if ((h[0] & 0xffc0) === 0xfe80) return v('linkLocal', 'link-local (fe80::/10)', 'Valid only on one network link and never routed, so it is odd to see in a firewall log.');
  if ((h[0] & 0xff00) === 0xff00) return v('multicast', 'multicast (ff00::/8)', 'A group address. TLS runs over TCP, which cannot be multicast, so it cannot be an end of this connection.');
  if ((h[0] === 0x2001 && h[1] === 0x0db8) || (h[0] === 0x3fff && (h[1] & 0xf000) === 0)) {
    return v(
      'documentation',
      'documentation (2001:db8::/32, 3fff::/20)',
      'Reserved for examples in documentation; real traffic never uses it, so this line probably comes from an example or test data.',
    );
  }
  if (h[0] === 0x2001 && h[1] === 0x0002 && h[2] === 0) return v('benchmarking', 'benchmarking (2001:2::/48, RFC 5180)', 'Reserved for network benchmark tests; not normal traffic.');
  if ((h[0] & 0xe000) === 0x2000) return v('public', 'public (global unicast)', 'A public internet address. To see who holds it, use `whois`; AWS publishes its own ranges in `ip-ranges.json`.');
  return v('reserved', 'reserved', 'Not in a range in use for ordinary addresses (IANA reserved or deprecated), so not normal traffic.');
}

/**
 * Classifies an IPv4 or IPv6 address (IPv6 may carry an embedded IPv4 address and a `%zone`), or returns
 * undefined when `text` is neither. IPv4 parts with leading zeros are refused, as Node's `net.isIP` does.
 */
export function classifyIpAddress(text: string): IpClassification | undefined {
  if (text.includes(':')) {
    const percent = text.indexOf('%');
    const zone = percent >= 0 ? text.slice(percent + 1) : undefined;
    if (zone !== undefined && !/^[^\s%]+$/.test(zone)) return undefined;
    const hextets = parseIPv6(percent >= 0 ? text.slice(0, percent) : text);
    return hextets ? classifyV6(hextets, zone) : undefined;
  }
  const octets = parseIPv4(text);
  return octets ? classifyV4(octets) : undefined;
}

function explainAddress(field: 'event.src_ip' | 'event.dest_ip', raw: unknown): Explanation {
  const source = field === 'event.src_ip';
  const title = source ? 'Source address (client)' : 'Destination address (server)';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'a string');
  const role: ExplanationSection = {
    text: source
      ? 'The address of the client that opened the connection, as the firewall saw it.'
      : 'The address of the server the client connected to, as the firewall saw it.',
  };
  const kind = classifyIpAddress(raw);
  if (!kind) {
    return {
      field,
      title,
      value: raw,
      facts: [],
      sections: [{ heading: 'Not an address', text: 'This is neither an IPv4 nor an IPv6 address, so the connection cannot be traced by it.' }, role],
    };
  }
  const facts: ExplanationFact[] = [ours('Kind', `IPv${kind.version}, ${kind.label}`)];
  if (kind.embedded) facts.push(untrusted('IPv4 address inside', kind.embedded.address));
  if (kind.zone !== undefined) facts.push(untrusted('Zone ID', kind.zone));
  const sections: ExplanationSection[] = [role, { text: kind.note }];
  const effective = kind.embedded ? kind.embedded.classification.scope : kind.scope;
  if (source && effective === 'public') {
    sections.push({
      heading: 'Public client',
      text:
        'Outbound traffic usually comes from private addresses in your VPC. A public source can mean inbound traffic, a ' +
        'subnet that uses public addresses, or traffic translated by NAT before it reached the firewall.',
    });
  } else if (!source && (effective === 'private' || effective === 'cgnat')) {
    sections.push({
      heading: 'Private server',
      text: 'The server is inside your network, so this is east-west traffic (between VPCs, or to on-premises) rather than traffic to the internet.',
    });
  }
  return { field, title, value: raw, facts, sections };
}

// ---------------------------------------------------------------------------------------------------------
// SNI

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

function explainSni(entry: TlsEntry | undefined, raw: unknown, context: ExplainContext): Explanation {
  const title = 'Server Name Indication (SNI)';
  const field = 'event.sni';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'a string');
  const count = context.sniCount?.(raw);
  const countFact = (label: string): ExplanationFact[] => (count === undefined ? [] : [ours(label, String(count))]);

  if (raw === '-') {
    const sections: ExplanationSection[] = [
      {
        text:
          '`-` means the client hello carried no SNI: the client did not say which host it wanted. Without it the firewall ' +
          'cannot match the connection to a certificate, so TLS inspection resets the connection.',
      },
      {
        heading: 'Usual causes',
        text:
          'Old TLS clients or libraries that do not send SNI; scripts and tools that connect to an IP address (clients send ' +
          'no SNI for an address); traffic that is not TLS at all (plain HTTP, SSH, ...) on a port the TLS inspection scope covers, such as 443.',
      },
    ];
    const message = entry?.errorMessage;
    if (message !== undefined && parseTlsErrorMessage(message).kind !== 'noSni') {
      sections.push({
        heading: 'Disagreement',
        text: 'This entry\'s error message is not "Server name is not found in client hello.", which is what a missing SNI normally produces.',
      });
    }
    return { field, title, value: raw, facts: countFact('Entries without SNI in this file'), sections };
  }

  const facts: ExplanationFact[] = countFact('Entries with this SNI in this file');
  const sections: ExplanationSection[] = [
    {
      text:
        'The host name the client asked for in its TLS client hello. It is whatever the client wrote: under TLS inspection ' +
        "the firewall checks that the server's certificate covers it, and domain-list and TLS rules in the stateful engine match on it.",
    },
  ];
  if (raw === '') {
    sections.push({ heading: 'Empty', text: 'The SNI is empty. When a client sends no SNI the firewall writes `-`, so an empty value is unexpected.' });
    return { field, title, value: raw, facts, sections };
  }
  if (isIP(raw) !== 0) {
    sections.push({
      heading: 'An IP address',
      text:
        'SNI must be a host name (RFC 6066 forbids addresses). Clients that connect by address normally send no SNI at all, ' +
        'so a program chose to send this: a script, a custom TLS library, or a client probing the firewall.',
    });
    return { field, title, value: raw, facts, sections };
  }

  const odd = [...new Set([...raw].filter((ch) => !/[A-Za-z0-9.-]/.test(ch)))];
  if (odd.length > 0) {
    const underscoreOnly = odd.length === 1 && odd[0] === '_';
    sections.push({
      heading: 'Unusual characters',
      text: underscoreOnly
        ? 'Contains `_`, which host names may not have. Some internal names use it anyway and most TLS libraries accept it.'
        : 'Host names contain only letters, digits, `-` and `.`; this SNI also has the characters below. A real client rarely ' +
          'sends these; suspect a tool, a misconfigured client, or someone probing the firewall.',
      values: underscoreOnly ? undefined : odd.map((ch) => `${ch} (${codePoint(ch)})`),
    });
  }
  const name = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  const labels = name.split('.');
  if (raw.endsWith('.')) {
    sections.push({ heading: 'Trailing dot', text: 'Ends with a dot (a fully qualified name). RFC 6066 says SNI must not; some servers then fail to match their certificates.' });
  }
  if (labels.some((label) => label === '')) {
    sections.push({ heading: 'Empty label', text: 'Has an empty label (two dots in a row, or a leading dot), so it is not a valid host name.' });
  }
  if (raw.length > 253 || labels.some((label) => label.length > 63)) {
    sections.push({ heading: 'Too long', text: 'Longer than DNS allows (253 characters in all, 63 per label), so no real host has this name.' });
  }
  if (labels.length === 1 && odd.length === 0) {
    sections.push({
      heading: 'Single label',
      text: 'A name without a dot is usually an internal short name; public certificate authorities cannot issue certificates for it.',
    });
  }
  if (/[A-Z]/.test(raw)) {
    sections.push({ text: 'Contains capital letters. Host names compare without regard to case, so this is harmless.' });
  }
  if (labels.some((label) => label.toLowerCase().startsWith('xn--'))) {
    const unicode = domainToUnicode(name);
    if (unicode !== '' && unicode !== name) facts.push(untrusted('As Unicode', unicode));
    sections.push({
      heading: 'Internationalised name',
      text: 'Contains `xn--` labels: an internationalised domain name in its ASCII form. Check the Unicode form for look-alike characters.',
    });
  }
  return { field, title, value: raw, facts, sections };
}

// ---------------------------------------------------------------------------------------------------------
// error_message

const NO_SNI_CAUSES =
  'Old TLS clients or libraries that do not send SNI; scripts and tools that connect to an IP address (`curl https://10.0.1.27/` ' +
  'sends no SNI); health checks; traffic that is not TLS at all (plain HTTP, SSH, ...) sent to a port the TLS inspection scope covers, such as 443.';

const CHECK_CERT_NAMES =
  'See which names the server presents for this SNI: ' +
  '`openssl s_client -connect <dest_ip>:<dest_port> -servername <sni> </dev/null | openssl x509 -noout -subject -ext subjectAltName`. ' +
  'If the server shows a fitting certificate when you ask, the client probably sent an SNI that is not the host it really talks to.';

function explainErrorMessage(entry: TlsEntry | undefined, raw: unknown): Explanation {
  const title = 'TLS error message';
  const field = 'event.tls_error.error_message';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'a string');
  const parsed = parseTlsErrorMessage(raw, { sni: entry?.sni });
  switch (parsed.kind) {
    case 'noSni':
      return { field, title, value: raw, facts: [ours('Meaning', 'the client sent no SNI')], sections: noSniSections(entry) };
    case 'certMismatch':
      return mismatchExplanation(raw, parsed, entry);
    case 'undocumented':
      return {
        field,
        title,
        value: raw,
        facts: [ours('Meaning', 'not a documented message')],
        sections: [
          {
            text:
              'This is not one of the two messages AWS documents for TLS errors ("Server name is not found in client hello." ' +
              'and "SNI: ... Match Failed to server certificate names: ..."). It is shown exactly as written; AWS may have added ' +
              'messages since. Read it for what it says, and check the Network Firewall troubleshooting guide.',
          },
          ...(raw.trimStart().startsWith('SNI:')
            ? [{ text: 'It starts like the certificate-name mismatch message but does not follow that form, so its parts were not read.' }]
            : []),
        ],
      };
  }
}

function noSniSections(entry: TlsEntry | undefined): ExplanationSection[] {
  const sections: ExplanationSection[] = [
    {
      text:
        "The client's TLS hello had no Server Name Indication, so the firewall could not tell which host the client wanted " +
        'and could not match a certificate to the connection. The firewall reset the connection.',
    },
    { heading: 'Usual causes', text: NO_SNI_CAUSES },
    {
      heading: 'What to check',
      text:
        'Find the program on the source address. `curl https://<host>/` sends SNI, `curl --resolve <host>:443:<ip> https://<host>/` ' +
        'does too while connecting to a chosen address; `openssl s_client -connect <ip>:443 -noservername` reproduces this error.',
    },
  ];
  if (entry?.sni !== undefined && entry.sni !== '-') {
    sections.push({
      heading: 'Disagreement',
      text: "But this entry's `event.sni` is not `-`: the message says there was no SNI while the entry records this one:",
      values: [entry.sni],
    });
  }
  return sections;
}

function sameName(a: string, b: string): boolean {
  const norm = (s: string): string => (s.endsWith('.') ? s.slice(0, -1) : s).toLowerCase();
  return norm(a) === norm(b);
}

function mismatchExplanation(raw: string, parsed: Extract<ParsedTlsError, { kind: 'certMismatch' }>, entry: TlsEntry | undefined): Explanation {
  const facts: ExplanationFact[] = [
    ours('Meaning', "the server's certificate does not cover the SNI"),
    untrusted('SNI in the message', parsed.sni),
    ours(
      'Certificate names',
      parsed.names.length === parsed.uniqueNames.length
        ? plural(parsed.names.length, 'name')
        : `${plural(parsed.uniqueNames.length, 'distinct name')} (${parsed.names.length} listed; the subject name is usually repeated as an alternative name)`,
    ),
  ];
  const sections: ExplanationSection[] = [
    {
      text:
        'The client asked for one host name (the SNI), but the certificate the server sent covers other names, so the ' +
        'firewall would not vouch for the connection and reset it.',
    },
    {
      heading: 'Names on the certificate',
      text: parsed.uniqueNames.length === 0 ? 'The message lists no certificate names.' : 'The certificate presented by the server lists:',
      values: parsed.uniqueNames.length === 0 ? undefined : parsed.uniqueNames,
    },
  ];

  if (parsed.matchingName !== undefined) {
    sections.push({
      heading: 'A name would have matched',
      text:
        'By the usual matching rules this name covers the SNI, so the mismatch is surprising. Compare the exact spelling: ' +
        'letter case, a trailing dot, look-alike or invisible characters, or an internationalised name in another form.',
      values: [parsed.matchingName],
    });
  } else if (parsed.uniqueNames.length > 0) {
    sections.push({ heading: 'No name matches', text: 'None of these names covers the SNI, including by wildcard.' });
    const sni = parsed.sni.endsWith('.') ? parsed.sni.slice(0, -1).toLowerCase() : parsed.sni.toLowerCase();
    for (const name of parsed.uniqueNames) {
      if (!name.startsWith('*.')) continue;
      const base = name.slice(2).toLowerCase();
      if (sni === base) {
        sections.push({ text: 'A wildcard stands for exactly one label, so this wildcard does not cover the bare domain itself:', values: [name] });
      } else if (sni.endsWith(`.${base}`) && sni.slice(0, -base.length - 1).includes('.')) {
        sections.push({
          text:
            'A wildcard stands for exactly one label, but the SNI has more than one label in front of this name. This is common ' +
            'with S3 bucket names that contain dots, under `*.s3.amazonaws.com`:',
          values: [name],
        });
      }
    }
  }

  const entrySni = entry?.sni;
  if (entrySni !== undefined) {
    if (entrySni === parsed.sni) {
      facts.push(ours('Agrees with `event.sni`', 'yes'));
    } else if (sameName(entrySni, parsed.sni)) {
      facts.push(ours('Agrees with `event.sni`', 'only when case and a trailing dot are ignored'));
    } else {
      facts.push(ours('Agrees with `event.sni`', 'no'));
      sections.push({
        heading: 'Disagreement',
        text: 'The SNI quoted in the message differs from `event.sni` (message first, then `event.sni`). The firewall writes both from the same client hello, so the line may have been edited.',
        values: [parsed.sni, entrySni],
      });
    }
  }

  sections.push(
    {
      heading: 'Usual causes',
      text:
        'A client that sends a false SNI — SNI spoofing or domain fronting, naming an allowed host while talking to another ' +
        'server; TLS inspection blocks this on purpose. A misconfigured server that sends a default certificate or lacks this ' +
        'name. A wrong host name in the client, or a wildcard certificate that does not reach as many labels as the name has.',
    },
    { heading: 'What to check', text: CHECK_CERT_NAMES },
  );
  return { field: 'event.tls_error.error_message', title: 'TLS error message', value: raw, facts, sections };
}

// ---------------------------------------------------------------------------------------------------------
// Revocation: status, action, leaf_cert_fpr

const DOCUMENTED_STATUSES = ['REVOKED', 'UNKNOWN'];
const DOCUMENTED_ACTIONS = ['PASS', 'DROP', 'REJECT'];

function settingFor(status: string | undefined): string | undefined {
  if (status === 'REVOKED') return 'RevokedStatusAction';
  if (status === 'UNKNOWN') return 'UnknownStatusAction';
  return undefined;
}

/** One sentence on what the firewall did, for the status hover. */
function actionSummary(action: string): string {
  switch (action) {
    case 'PASS':
      return '**PASS** — the connection went ahead, and its traffic went on to the stateful rules.';
    case 'DROP':
      return '**DROP** — the firewall closed the connection and dropped its packets; the client got no reply (curl: "Empty reply from server").';
    case 'REJECT':
      return '**REJECT** — the firewall sent the client a TCP reset (curl: "Connection reset by peer") and closed the connection.';
    default:
      return 'an action that is not documented (AWS documents PASS, DROP and REJECT), so what happened to the connection is not known.';
  }
}

function explainStatus(entry: TlsEntry | undefined, raw: unknown): Explanation {
  const field = 'event.revocation_check.status';
  const title = 'Revocation status';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'a string');
  const action = entry?.action;
  const setting = settingFor(raw);
  const facts: ExplanationFact[] = [];
  if (action !== undefined) facts.push(untrusted('Action taken', action));
  if (setting) facts.push(ours('Decided by', `\`${setting}\``));

  const sections: ExplanationSection[] = [];
  if (raw === 'REVOKED') {
    sections.push(
      {
        text:
          "The certificate's issuer says the server's certificate has been revoked: its OCSP responder or certificate " +
          'revocation list (CRL) lists it as withdrawn before its expiry date, so it must not be trusted any more. Common ' +
          'reasons: its private key leaked or may have, it was issued by mistake, or its owner replaced it.',
      },
      {
        heading: 'For this connection',
        text:
          'Under TLS inspection the client never sees the server\'s real certificate (it gets one issued by the firewall\'s CA), ' +
          "so the firewall's check is the only revocation check this connection gets.",
      },
      {
        heading: 'What to check',
        text:
          'Whether clients should be reaching this server at all (the SNI and destination address). If it is a service you ' +
          "depend on, its owner has to install a new certificate. To see the server's certificate and any OCSP answer it " +
          'staples: `openssl s_client -connect <dest_ip>:<dest_port> -servername <sni> -status </dev/null`.',
      },
    );
  } else if (raw === 'UNKNOWN') {
    sections.push(
      {
        text:
          "The firewall could not find out whether the server's certificate is revoked. It asked the certificate's OCSP " +
          'responder or CRL distribution point (addresses written in the certificate) and got no usable answer.',
      },
      {
        heading: 'Why it is common',
        text:
          'It is rarely about the certificate itself. Usually the OCSP or CRL server could not be reached from the ' +
          "firewall's subnet (no route to the internet, blocked, or DNS failing), the responder answered with an error or " +
          'timed out, or it had no record of the certificate.',
      },
      {
        heading: 'What to check',
        text:
          'Whether UNKNOWN shows up for many unrelated host names (then it is the firewall\'s path to OCSP and CRL servers: ' +
          "check the route table of the firewall's subnet) or for one host only (then that CA's responder: fetch the " +
          "certificate, read the OCSP URL from its Authority Information Access extension, and query it with `openssl ocsp`).",
      },
    );
  } else {
    const upper = raw.toUpperCase();
    sections.push({
      heading: 'Not a documented status',
      text:
        'AWS documents two statuses, REVOKED and UNKNOWN; only failed checks are logged. ' +
        (DOCUMENTED_STATUSES.includes(upper)
          ? 'This one differs from a documented status only in letter case; the documented spelling is upper case.'
          : 'This value is shown as written; which action setting applied to it is not known.'),
    });
  }

  if (action !== undefined) {
    const decided = setting ? ` This was decided by \`${setting}\` in the TLS inspection configuration.` : '';
    sections.push({ heading: 'What the firewall did', text: `The action on this entry is ${actionSummary(action)}${decided}` });
    if (raw === 'REVOKED' && action === 'PASS') {
      sections.push({
        heading: 'Worth acting on',
        text:
          'Clients exchanged data with a server whose certificate is revoked. If that is not intended, set `RevokedStatusAction` ' +
          'to DROP or REJECT, and tell the server\'s owner to install a new certificate.',
      });
    } else if (raw === 'UNKNOWN' && action !== 'PASS' && DOCUMENTED_ACTIONS.includes(action)) {
      sections.push({
        heading: 'Trade-off',
        text:
          'With `UnknownStatusAction` set to DROP or REJECT the firewall fails closed: while a CA\'s responder is unreachable, ' +
          'every site with a certificate from that CA is blocked. PASS fails open instead.',
      });
    }
  } else if (setting) {
    sections.push({ heading: 'What the firewall did', text: `This entry does not say; \`${setting}\` in the TLS inspection configuration decides it.` });
  }
  return { field, title, value: raw, facts, sections };
}

function explainAction(entry: TlsEntry | undefined, raw: unknown): Explanation {
  const field = 'event.revocation_check.action';
  const title = 'Revocation action';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'a string');
  const status = entry?.status;
  const setting = settingFor(status);
  const facts: ExplanationFact[] = [];
  if (status !== undefined) facts.push(untrusted('Status', status));
  if (setting) facts.push(ours('Decided by', `\`${setting}\``));

  const sections: ExplanationSection[] = [];
  switch (raw) {
    case 'PASS':
      sections.push(
        {
          text:
            'The firewall let the connection continue despite the failed revocation check and handed its packets to the ' +
            'stateful engine, which applies your stateful rules as for any other traffic.',
        },
        { heading: 'What the client saw', text: 'Nothing unusual from the revocation check: the connection worked unless a stateful rule stopped it.' },
      );
      if (status === 'REVOKED') {
        sections.push({ heading: 'Worth acting on', text: 'The client may have exchanged data with a server whose certificate is revoked.' });
      }
      break;
    case 'DROP':
      sections.push(
        { text: 'The firewall closed the connection and dropped any further packets on it.' },
        {
          heading: 'What the client saw',
          text: 'The connection ended without a reply. curl reports "Empty reply from server"; browsers and other clients show a generic connection error.',
        },
      );
      break;
    case 'REJECT':
      sections.push(
        { text: 'The firewall sent a TCP reset back to the client, closed the connection and dropped any further packets on it. REJECT works only for TCP traffic.' },
        {
          heading: 'What the client saw',
          text: 'An immediate error: "Connection reset by peer" (curl: "Recv failure: Connection reset by peer").',
        },
      );
      break;
    default:
      sections.push({
        heading: 'Not a documented action',
        text:
          'AWS documents three actions: PASS, DROP and REJECT. ' +
          (DOCUMENTED_ACTIONS.includes(raw.toUpperCase())
            ? 'This one differs from a documented action only in letter case; the documented spelling is upper case.'
            : 'This value is shown as written; what happened to the connection is not known.'),
      });
  }

  if (setting) {
    sections.push({
      heading: 'Which setting',
      text:
        `Because this entry's status is ${status}, the action comes from \`${setting}\` in the ` +
        '`CheckCertificateRevocationStatus` settings of the TLS inspection configuration\'s server certificate configuration.',
    });
  } else if (status !== undefined) {
    sections.push({
      heading: 'Which setting',
      text:
        'The status on this entry is not a documented one, so it is not clear whether `RevokedStatusAction` or ' +
        '`UnknownStatusAction` chose this action.',
    });
  } else {
    sections.push({
      heading: 'Which setting',
      text: '`RevokedStatusAction` decides for REVOKED certificates and `UnknownStatusAction` for UNKNOWN ones; this entry has no status to tell which.',
    });
  }
  return { field, title, value: raw, facts, sections };
}

function explainFingerprint(raw: unknown): Explanation {
  const field = 'event.revocation_check.leaf_cert_fpr';
  const title = 'Leaf certificate fingerprint';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'a string');
  const facts: ExplanationFact[] = [];
  const hex = raw.replace(/:/g, '');
  if (/^[0-9A-Fa-f]+$/.test(hex)) {
    const size = hex.length === 64 ? ' (the length of a SHA-256 fingerprint)' : hex.length === 40 ? ' (the length of a SHA-1 fingerprint)' : '';
    facts.push(ours('Length', `${hex.length} hex digits${size}`));
  }
  return {
    field,
    title,
    value: raw,
    facts,
    sections: [
      {
        text:
          "A fingerprint (hash) of the server's leaf certificate — its own certificate, not an intermediate or root — whose " +
          'revocation status the firewall checked. AWS does not document the hash or the format, so treat it as an ' +
          'identifier to compare, not something to decode.',
      },
      {
        heading: 'Find the certificate',
        text:
          'Fetch the certificate the server presents for the same SNI and print its fingerprint, then compare ignoring colons and case: ' +
          '`openssl s_client -connect <dest_ip>:<dest_port> -servername <sni> </dev/null | openssl x509 -noout -fingerprint -sha256` ' +
          '(`-sha1` for a 40-digit value). Certificate Transparency search sites such as `crt.sh` also look certificates up by SHA-256 fingerprint.',
      },
      {
        text: 'The same fingerprint on many entries means one certificate behind all of them; servers can present different certificates per name and per address.',
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// Objects

function endpoint(ip: string | undefined, port: number | undefined): string | undefined {
  if (ip === undefined) return undefined;
  const host = ip.includes(':') ? `[${ip}]` : ip;
  return port === undefined ? host : `${host}:${port}`;
}

function connectionFacts(entry: TlsEntry, context: ExplainContext): ExplanationFact[] {
  const facts: ExplanationFact[] = [];
  const client = endpoint(entry.srcIp, entry.srcPort);
  const server = endpoint(entry.destIp, entry.destPort);
  if (client !== undefined) facts.push(untrusted('Client', client));
  if (server !== undefined) facts.push(untrusted('Server', server));
  if (entry.sni !== undefined) facts.push(entry.sni === '-' ? ours('SNI', 'none (`-`)') : untrusted('SNI', entry.sni));
  const ms = isoTimeOf(entry) ?? (entry.eventTimestamp !== undefined ? entry.eventTimestamp * SECOND : undefined);
  if (ms !== undefined && Number.isFinite(ms) && Math.abs(ms) <= 8.64e15) {
    facts.push(ours('When', `${formatUtc(ms)}, ${relativeTime(ms, context.now)}`));
  }
  if (entry.firewallName !== undefined) facts.push(untrusted('Firewall', entry.firewallName));
  return facts;
}

const TLS_ERROR_SUMMARY =
  "A TLS error entry: the firewall reset this connection during TLS inspection because the client's hello or the " +
  "server's certificate did not fit — the client sent no SNI, or the certificate does not cover the SNI. " +
  '`error_message` says which.';

const REVOCATION_SUMMARY =
  "A revocation check failure: under outbound TLS inspection the firewall asked whether the server's certificate had been " +
  'revoked and got REVOKED or UNKNOWN (checks that pass are not logged). `status` says which, `action` what the firewall then did.';

function tlsErrorFacts(entry: TlsEntry): ExplanationFact[] {
  if (entry.errorMessage === undefined) return [];
  const parsed = parseTlsErrorMessage(entry.errorMessage, { sni: entry.sni });
  const error = parsed.kind === 'noSni' ? 'no SNI in the client hello' : parsed.kind === 'certMismatch' ? 'certificate does not cover the SNI' : 'undocumented message';
  return [ours('Error', error)];
}

function revocationFacts(entry: TlsEntry): ExplanationFact[] {
  const facts: ExplanationFact[] = [];
  if (entry.status !== undefined) facts.push(untrusted('Status', entry.status));
  if (entry.action !== undefined) facts.push(untrusted('Action', entry.action));
  return facts;
}

function explainTlsErrorObject(entry: TlsEntry | undefined, context: ExplainContext): Explanation {
  const facts = entry ? [...tlsErrorFacts(entry), ...connectionFacts(entry, context)] : [];
  return { field: 'event.tls_error', title: 'TLS error', facts, sections: [{ text: TLS_ERROR_SUMMARY }] };
}

function explainRevocationObject(entry: TlsEntry | undefined, context: ExplainContext): Explanation {
  const facts = entry ? [...revocationFacts(entry), ...connectionFacts(entry, context)] : [];
  return { field: 'event.revocation_check', title: 'Revocation check', facts, sections: [{ text: REVOCATION_SUMMARY }] };
}

function explainEventObject(entry: TlsEntry | undefined, context: ExplainContext): Explanation {
  const title = 'Event';
  if (!entry) {
    return {
      field: 'event',
      title,
      facts: [],
      sections: [
        {
          text:
            'The details of the entry: the connection (addresses, ports, SNI, time) and either `tls_error` or `revocation_check`. ' +
            'This line could not be read as a TLS log entry; see its problems.',
        },
      ],
    };
  }
  const kindFacts = entry.kind === 'tlsError' ? tlsErrorFacts(entry) : revocationFacts(entry);
  return {
    field: 'event',
    title,
    facts: [ours('Kind', entry.kind === 'tlsError' ? 'TLS error' : 'revocation check failure'), ...kindFacts, ...connectionFacts(entry, context)],
    sections: [{ text: entry.kind === 'tlsError' ? TLS_ERROR_SUMMARY : REVOCATION_SUMMARY }],
  };
}
