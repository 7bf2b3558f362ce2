import { ownCopy } from '../ownCopy';
import type { Problem, ProblemCode, Severity, SeverityOverrides } from './types';

/**
 * Every problem the engine reports, with its default severity and a one-line description for the docs.
 *
 * Severity policy:
 * - `error`: the line is not a usable entry (not JSON, not an object, a required field missing or of the
 *   wrong type, neither kind of TLS entry).
 * - `warning`: the entry parses but holds an impossible or undocumented value (bad address, port out of
 *   range, unknown status, timestamps that disagree), or is an entry of another log type.
 * - `information`: merely unusual (an error message AWS does not document, an empty value).
 */
export const PROBLEM_CATALOG: Readonly<Record<ProblemCode, { severity: Severity; description: string }>> = {
  'invalid-json': { severity: 'error', description: 'The line is not valid JSON; the range marks the first syntax error.' },
  'not-an-object': { severity: 'error', description: 'The line is valid JSON but not an object.' },
  'missing-field': { severity: 'error', description: 'A required field is missing; the range marks the object that lacks it.' },
  'wrong-type': { severity: 'error', description: 'A field has the wrong JSON type (for example a number where a string belongs).' },
  'unknown-entry-kind': { severity: 'error', description: 'The event has neither `tls_error` nor `revocation_check`.' },
  'line-too-long': { severity: 'error', description: 'The line is longer than the reader accepts and was not read.' },
  'file-incomplete': {
    severity: 'error',
    description:
      'The file ends early: damaged or truncated gzip data, or the decompression limit was reached. Everything before that point was read.',
  },
  'both-entry-kinds': { severity: 'warning', description: 'The event has both `tls_error` and `revocation_check`.' },
  'not-a-tls-entry': { severity: 'warning', description: 'An alert or flow log entry (Suricata `event_type`) in a TLS log.' },
  'invalid-ip': { severity: 'warning', description: 'An address that is neither IPv4 nor IPv6.' },
  'invalid-port': { severity: 'warning', description: 'A port that is not a whole number from 0 to 65535.' },
  'invalid-timestamp': {
    severity: 'warning',
    description: 'A timestamp that is not ISO 8601 (`event.timestamp`) or not whole epoch seconds (`event_timestamp`).',
  },
  'timestamp-mismatch': { severity: 'warning', description: '`event_timestamp` and `event.timestamp` disagree by a second or more.' },
  'unknown-status': { severity: 'warning', description: 'A revocation status other than `REVOKED` or `UNKNOWN`.' },
  'unknown-action': { severity: 'warning', description: 'A revocation action other than `PASS`, `DROP` or `REJECT`.' },
  'sni-disagrees': { severity: 'warning', description: "The SNI named in the TLS error message is not the entry's `sni`." },
  'unknown-error-message': { severity: 'information', description: 'A TLS error message that AWS does not document; shown verbatim.' },
  'empty-value': { severity: 'information', description: 'A field that is present but empty.' },
  'unusual-format': {
    severity: 'information',
    description: 'A value in the spelling of alert/flow logs (string epoch, `+0000` offset) rather than TLS logs.',
  },
};

/** Problem codes in catalog order, for settings and docs. */
export const PROBLEM_CODES = Object.keys(PROBLEM_CATALOG) as ProblemCode[];

/** What a severity setting may name for a code. */
export const SEVERITY_CHOICES = ['error', 'warning', 'information', 'off'] as const;

/**
 * The valid part of a severity setting's value: pairs of a known code and one of {@link SEVERITY_CHOICES}.
 * Anything else (a settings file may hold any JSON) is ignored, so that code keeps its default.
 */
export function parseSeverityOverrides(value: unknown): SeverityOverrides {
  const out: SeverityOverrides = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [code, choice] of Object.entries(value)) {
    if (Object.hasOwn(PROBLEM_CATALOG, code) && (SEVERITY_CHOICES as readonly unknown[]).includes(choice)) {
      out[code as ProblemCode] = choice as (typeof SEVERITY_CHOICES)[number];
    }
  }
  return out;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2 };

/** Orders severities most severe first (for publishing errors before warnings under a cap). */
export function severityRank(severity: Severity): number {
  return RANK[severity];
}

// C0 and C1 controls, DEL, bidirectional controls, zero-width characters, line separators, the byte order
// mark and lone surrogates.
const UNSAFE_IN_MESSAGE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ud800-\udfff]/gu;

/**
 * Log text quoted in a problem message. Messages are plain text that the CLI prints to a terminal and the
 * editor lists as is, so a character a terminal would act on (an escape sequence) or that hides or reorders
 * text is written as a `\uXXXX` escape, and text longer than `max` characters is cut, ending in `…`.
 */
export function messageText(text: string, max = 40): string {
  let cut = text;
  if (text.length > max) {
    // Not between the two halves of a surrogate pair.
    const end = (text.charCodeAt(max - 1) & 0xfc00) === 0xd800 ? max - 1 : max;
    cut = `${text.slice(0, end)}…`;
  }
  return cut.replace(UNSAFE_IN_MESSAGE, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A problem to keep after its line is gone, with a message of its own (see {@link ownCopy}). */
export function keptProblem(p: Problem): Problem {
  return { ...p, message: ownCopy(p.message) };
}
