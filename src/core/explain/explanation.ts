/**
 * What a field of a TLS log entry means, as data: the editor hover renders it (see markdown.ts), the CLI can
 * print it, and tests assert it.
 *
 * Trust boundary: every string in an {@link Explanation} is either text we wrote (titles, headings, section
 * text, fact labels, facts marked `untrusted: false`) or a value that came from the log (`value`, section
 * `values` and `command`, facts marked `untrusted: true`). A command (shell.ts) holds log values, single-quoted
 * and only when they are valid host names, addresses and ports; it is shown as code like any log value. Log values never go into our text; renderers must escape every
 * untrusted piece. Our text may use inline markdown (`code`, **bold**) and never contains a link.
 */

import { jsonTypeName } from '../parse/jsonTypes';

/** The fields `explainField` (fields.ts) knows, by their dotted JSON path. */
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

/** What `explainField` (fields.ts) needs besides the entry. */
export interface ExplainContext {
  /** The current time, epoch milliseconds, for "3 hours ago". */
  now: number;
  /** IANA time zone for local times, e.g. `America/New_York`; defaults to the system's zone. */
  timeZone?: string;
  /** How many entries in the same file have this exact `event.sni`. */
  sniCount?: (sni: string) => number;
  /** UNKNOWN statuses in the loaded logs around a time (epoch ms), for the file's own evidence (sni/statusWindow.ts). */
  unknownAround?: (timeMs: number) => StatusWindow | undefined;
}

/** How many distinct SNIs had a status within a window of time, across the loaded logs. */
export interface StatusWindow {
  /** Window start and end, epoch milliseconds (end exclusive). */
  fromMs: number;
  toMs: number;
  /** Distinct SNIs with the status in the window. */
  snis: number;
  /** Entries with the status in the window. */
  entries: number;
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
  /** A shell command built from the entry's values (shell.ts), shown as code after `text`. Untrusted. */
  command?: string;
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
  /** Paragraphs, most useful first: what the hover shows. */
  sections: ExplanationSection[];
  /** Background that the hover leaves out and the entry details show after `sections`. */
  details?: ExplanationSection[];
}

// ---------------------------------------------------------------------------------------------------------
// Building explanations: every fact says whose words it holds.

/** A JSON value as text for display: strings as they are, other scalars in JSON spelling. */
export function valueText(raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' || typeof raw === 'boolean' || raw === null) return String(raw);
  return undefined;
}

/** A fact whose value came from the log. */
export function untrusted(label: string, value: string): ExplanationFact {
  return { label, value, untrusted: true };
}

/** A fact in our own words. */
export function ours(label: string, value: string): ExplanationFact {
  return { label, value, untrusted: false };
}

/** The explanation of a field that is absent, or whose JSON type is not the one AWS writes. */
export function absentOrWrongType(field: FieldPath, title: string, raw: unknown, expected: string): Explanation {
  const text =
    raw === undefined
      ? `This line has no \`${field}\` field.`
      : `AWS writes this field as ${expected}; on this line it is ${jsonTypeName(raw)}, so it cannot be read as documented.`;
  return { field, title, value: valueText(raw), facts: [], sections: [{ text }] };
}
