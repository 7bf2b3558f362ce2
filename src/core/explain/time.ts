/**
 * `event_timestamp` and `event.timestamp`: the time in UTC and in the reader's zone, its age, and whether the
 * two timestamps agree. `event.timestamp` is read by the validator's own reader (parse/timestamp.ts), so a
 * timestamp the Problems panel calls invalid is one the hover cannot place in time either.
 */

import { parseIsoTimestamp } from '../parse/timestamp';
import type { TlsEntry } from '../parse/types';
import { eventTimeMs, formatEntryTime, plural } from '../text';
import {
  absentOrWrongType,
  ours,
  valueText,
  type ExplainContext,
  type Explanation,
  type ExplanationFact,
  type ExplanationSection,
  type FieldPath,
} from './explanation';

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
export function formatUtc(ms: number, fraction = ''): string {
  return `${formatEntryTime(ms, 'seconds')}${fraction ? `.${fraction}` : ''} UTC`;
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
function timestampAgreement(
  eventSeconds: number | undefined,
  timeMs: number | undefined,
  subject: FieldPath,
): ExplanationSection | undefined {
  if (eventSeconds === undefined || timeMs === undefined) return undefined;
  const other = subject === 'event_timestamp' ? '`event.timestamp`' : '`event_timestamp`';
  const diff = eventSeconds - Math.floor(timeMs / SECOND);
  if (diff === 0) {
    return { heading: 'Agreement', text: `Agrees with ${other} to the second, as in every AWS TLS example.` };
  }
  const later = diff > 0 ? '`event_timestamp`' : '`event.timestamp`';
  return {
    heading: 'Disagreement',
    text:
      `Differs from ${other} by ${formatDuration(diff * SECOND)}; ${later} is the later one. AWS defines \`event_timestamp\` as ` +
      'the time the log was created and `event.timestamp` as the time of the event; they agree to the second in every AWS TLS ' +
      'example, so this is unusual, though not proof that the line was edited.',
  };
}

export function explainEventTimestamp(entry: TlsEntry | undefined, raw: unknown, context: ExplainContext): Explanation {
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
      '`event.timestamp` is the time of the event, with microseconds.',
  });
  const ms = seconds === undefined ? NaN : seconds * SECOND;
  if (seconds === undefined || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    sections.push({ text: 'This is not a whole number of seconds in the range a date can have, so it is not a usable time.' });
    return { field, title, value: valueText(raw), facts: [], sections };
  }
  const agreement = timestampAgreement(seconds, eventTimeMs(entry), field);
  if (agreement) sections.push(agreement);
  return { field, title, value: valueText(raw), facts: timeFacts(ms, context), sections };
}

export function explainIsoTimestamp(entry: TlsEntry | undefined, raw: unknown, context: ExplainContext): Explanation {
  const title = 'Event time';
  const field = 'event.timestamp';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'an ISO 8601 string');
  const sections: ExplanationSection[] = [
    {
      text:
        'When the event happened, as an ISO 8601 time with microseconds. The `Z` at the end means UTC. ' +
        '`event_timestamp` is when the log entry was created, in whole seconds.',
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
