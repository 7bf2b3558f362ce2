/**
 * Recognising TLS logs: by content (the first non-blank line is a TLS entry) and by AWS's file names,
 * which also carry the account, region, firewall and time of the file.
 */

/** What an AWS-delivered log's name says about it. */
export interface AwsLogName {
  account: string;
  logType: 'tls' | 'alert' | 'flow';
  region: string;
  firewall: string;
  /** Start of the file's 5-minute window as epoch ms, when the name carries it. */
  timeMs?: number;
  gzip: boolean;
}

// <account>_network-firewall_<type>_<region>_<firewall>_<YYYYMMDDTHHmmZ | YYYYMMDDHHmm>_<hash>.log[.gz]
const AWS_NAME =
  /^(\d{12})_network-firewall_(tls|alert|flow)_([a-z]{2}(?:-[a-z]+)+-\d+)_(.+)_(\d{8})T?(\d{4})Z?_([0-9a-zA-Z]+)\.log(\.gz)?$/;

/** Reads account, log type, region, firewall and time from an S3 object name (or a path ending in one). */
export function parseAwsLogName(path: string): AwsLogName | undefined {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  const m = AWS_NAME.exec(base);
  if (!m) return undefined;
  const [, account, logType, region, firewall, day, hm, , gz] = m;
  const timeMs = Date.UTC(+day.slice(0, 4), +day.slice(4, 6) - 1, +day.slice(6, 8), +hm.slice(0, 2), +hm.slice(2, 4));
  // Date.UTC rolls month 13 or 30 February over into a real date; a time that does not round-trip is none.
  const real = new Date(timeMs).toISOString().replace(/[-:T]/g, '').slice(0, 12) === day + hm;
  return {
    account,
    logType: logType as AwsLogName['logType'],
    region,
    firewall,
    timeMs: real ? timeMs : undefined,
    gzip: gz !== undefined,
  };
}

/** Whether a file name looks like a log file worth reading in a folder walk. */
export function isLogFileName(name: string): boolean {
  return /\.(log|ndjson|jsonl)(\.gz)?$/i.test(name);
}

/** Whether a file name says it is an alert or flow log (the firewall's other log types). */
export function isOtherFirewallLogName(name: string): boolean {
  return /_network-firewall_(alert|flow)_/.test(name) || /[\\/]network-firewall[\\/](alert|flow)[\\/]/.test(name);
}

/**
 * Whether a line is a Network Firewall TLS log entry: an object whose `event` holds `tls_error` or
 * `revocation_check`. Used on the first non-blank line of a file to switch its language.
 */
export function isTlsLogLine(text: string): boolean {
  const trimmed = text.trim().replace(/^\uFEFF/, '');
  if (!trimmed.startsWith('{') || trimmed.length > 1_000_000) return false;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (typeof value !== 'object' || value === null) return false;
    const event = (value as Record<string, unknown>).event;
    if (typeof event !== 'object' || event === null) return false;
    const e = event as Record<string, unknown>;
    const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
    return isObject(e.tls_error) || isObject(e.revocation_check);
  } catch {
    return false;
  }
}
