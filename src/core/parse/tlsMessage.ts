/**
 * Reading `event.tls_error.error_message` and matching host names against certificate names.
 *
 * AWS documents two message forms (docs/FORMAT.md, "TLS error messages"):
 *   1. `Server name is not found in client hello.`
 *   2. `SNI: <sni> Match Failed to server certificate names: <name>/<name>/... ` (trailing space)
 * Anything else is kept verbatim as `undocumented`; it is never an error to meet a new message.
 */

import { isIP } from 'node:net';
import { MISMATCH_PREFIX, MISMATCH_SEPARATOR, NO_SNI_MESSAGE } from './format';

/** What an `error_message` says, as far as the documented forms go. */
export type ParsedTlsError =
  | { kind: 'noSni' }
  | {
      kind: 'certMismatch';
      /** The SNI as the message quotes it, verbatim (may be empty; may in theory contain spaces). */
      sni: string;
      /** The certificate names in the order listed, repeats kept (the subject name usually repeats as a SAN). */
      names: string[];
      /** `names` without exact repeats, first occurrence order kept. */
      uniqueNames: string[];
      /** The first of `uniqueNames` that {@link certNameMatches} says covers `sni`, if any. */
      matchingName?: string;
    }
  | { kind: 'undocumented'; message: string };

/** Optional hints for {@link parseTlsErrorMessage}. */
export interface ParseTlsErrorOptions {
  /**
   * The entry's `event.sni`. When the message starts with `SNI: <this value> Match Failed…`, the SNI is taken
   * to be exactly this value, which settles the split even when a client sent an SNI that itself contains the
   * words " Match Failed to server certificate names:".
   */
  sni?: string;
}

/**
 * Recognises the two documented TLS error messages.
 *
 * Tolerance, deliberately:
 * - surrounding whitespace is ignored for both forms (the documented mismatch form ends in one space; its
 *   absence is accepted);
 * - in the mismatch form the SNI is everything between `SNI: ` and the first
 *   ` Match Failed to server certificate names:`, verbatim, so an empty SNI or one with spaces survives (a
 *   client can put any bytes in SNI). Pass `options.sni` to resolve the rare case where the SNI contains that
 *   separator text;
 * - certificate names are split on `/`; each is trimmed and empty segments (`a//b`, a trailing `/`) are
 *   dropped. A name can contain spaces (a subject common name is free text), so spaces do not split.
 * The fixed words are matched case-sensitively, as AWS writes them; any other text is `undocumented`.
 */
export function parseTlsErrorMessage(message: string, options: ParseTlsErrorOptions = {}): ParsedTlsError {
  const trimmed = message.trim();
  if (trimmed === NO_SNI_MESSAGE) return { kind: 'noSni' };

  // Only leading whitespace is dropped before the prefix: the SNI after `SNI: ` is kept verbatim.
  const start = message.trimStart();
  if (start.startsWith(MISMATCH_PREFIX)) {
    const rest = start.slice(MISMATCH_PREFIX.length);
    let at = -1;
    if (options.sni !== undefined && rest.startsWith(options.sni + MISMATCH_SEPARATOR)) at = options.sni.length;
    if (at < 0) at = rest.indexOf(MISMATCH_SEPARATOR);
    if (at >= 0) {
      const sni = rest.slice(0, at);
      const names = rest
        .slice(at + MISMATCH_SEPARATOR.length)
        .split('/')
        .map((name) => name.trim())
        .filter((name) => name !== '');
      const uniqueNames = [...new Set(names)];
      const matchingName = uniqueNames.find((name) => certNameMatches(sni, name));
      return matchingName === undefined
        ? { kind: 'certMismatch', sni, names, uniqueNames }
        : { kind: 'certMismatch', sni, names, uniqueNames, matchingName };
    }
  }
  return { kind: 'undocumented', message };
}

function normaliseName(name: string): string {
  // One trailing dot marks a fully qualified name and changes nothing about which host it is.
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * Whether a certificate name (a subject common name or a DNS subject alternative name) covers `hostname`,
 * the way RFC 6125 (section 6.4) and browsers match them:
 * - case-insensitive, ignoring one trailing dot on either side;
 * - a name without `*` must equal the host name;
 * - a wildcard is accepted only as the whole left-most label (`*.example.com`) and stands for exactly one
 *   non-empty label: it covers `www.example.com` but neither `example.com` nor `a.b.example.com`;
 * - partial-label wildcards (`w*.example.com`, `*w.example.com`), a `*` anywhere else, and wildcards over
 *   fewer than two labels (`*.com`, `*`) match nothing;
 * - a wildcard never covers an IP address, and an empty host name or name matches nothing.
 */
export function certNameMatches(hostname: string, certName: string): boolean {
  const host = normaliseName(hostname);
  const name = normaliseName(certName);
  if (host === '' || name === '' || host.includes('*')) return false;
  if (!name.includes('*')) return host === name;

  if (!name.startsWith('*.')) return false;
  const base = name.slice(2);
  if (base.includes('*') || !base.includes('.') || base.split('.').some((label) => label === '')) return false;
  if (isIP(host) !== 0) return false;
  const dot = host.indexOf('.');
  if (dot <= 0) return false;
  return host.slice(dot + 1) === base;
}
