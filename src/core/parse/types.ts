/**
 * The engine's data model. Everything in src/core works on plain strings and these types; nothing here
 * knows about the editor. Lines are 0-based; columns are 0-based UTF-16 code unit offsets within the line
 * (the same unit as JavaScript string indices and VS Code positions). The CLI adds 1 to both for people.
 */

export type Severity = 'error' | 'warning' | 'information';

/** One finding on one line. A problem never spans lines: `startColumn` < `endColumn` <= line length (or both 0 on an empty line). */
export interface Problem {
  line: number;
  startColumn: number;
  endColumn: number;
  severity: Severity;
  code: ProblemCode;
  message: string;
}

/** Stable problem codes: users filter on them, tests assert them, settings name them. */
export type ProblemCode =
  | 'invalid-json'
  | 'not-an-object'
  | 'missing-field'
  | 'wrong-type'
  | 'unknown-entry-kind'
  | 'both-entry-kinds'
  | 'not-a-tls-entry'
  | 'invalid-ip'
  | 'invalid-port'
  | 'invalid-timestamp'
  | 'timestamp-mismatch'
  | 'unknown-status'
  | 'unknown-action'
  | 'sni-disagrees'
  | 'unknown-error-message'
  | 'line-too-long'
  | 'file-incomplete'
  | 'empty-value'
  | 'unusual-format';

export type EntryKind = 'tlsError' | 'revocation';

/** The documented revocation statuses and actions (docs/FORMAT.md, "Revocation check"). Other strings are kept verbatim and flagged. */
export type RevocationStatus = 'REVOKED' | 'UNKNOWN';
export type RevocationAction = 'PASS' | 'DROP' | 'REJECT';

/**
 * A usable TLS log entry, read from one line. Fields that were absent or unusable are undefined; the
 * problems that say why travel beside the entry in {@link LineResult}.
 */
export interface TlsEntry {
  kind: EntryKind;
  firewallName?: string;
  availabilityZone?: string;
  /** `event_timestamp`, epoch seconds. */
  eventTimestamp?: number;
  /** `event.timestamp` verbatim. */
  timestamp?: string;
  /** `event.timestamp` as epoch milliseconds (NaN-free: undefined when it did not parse). */
  timeMs?: number;
  srcIp?: string;
  srcPort?: number;
  destIp?: string;
  destPort?: number;
  /** `event.sni` verbatim; `"-"` means the client hello had none. */
  sni?: string;
  errorMessage?: string;
  status?: string;
  action?: string;
  leafCertFpr?: string;
}

/** What one line of a log file turned into. `entry` is undefined for blank lines and unusable lines. */
export interface LineResult {
  entry?: TlsEntry;
  problems: Problem[];
}
