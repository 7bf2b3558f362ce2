/**
 * Shell commands that carry an entry's own values (`openssl s_client -connect '54.92.160.72:443' -servername
 * 'revoked-rsa-dv.ssl.com'`). Log values are untrusted: a command is offered only when every value in it is a
 * valid host name, address or port, and each value is single-quoted for a POSIX shell besides, so a hostile
 * SNI such as `x$(id)'.example` never becomes a runnable command.
 */

import { isIP } from 'node:net';
import type { TlsEntry } from '../parse/types';

/** A word for a POSIX shell that the shell reads back as exactly `text`: single quotes, each `'` written `'\''`. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

const LABEL = /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

/**
 * Whether `name` is a host name a client could have meant: dot-separated labels of letters, digits, `-` (not
 * at either end) and `_` (which some internal names use), 63 characters a label and 253 in all, no trailing
 * dot, not an address, not all digits.
 */
export function isHostName(name: string): boolean {
  if (name.length === 0 || name.length > 253 || isIP(name) !== 0) return false;
  const labels = name.split('.');
  if (!labels.every((label) => LABEL.test(label))) return false;
  return !/^\d+$/.test(labels[labels.length - 1]);
}

/** `address:port` for `-connect` (`[v6]:port` for IPv6), or undefined when either is not valid. */
export function connectTarget(address: string | undefined, port: number | undefined): string | undefined {
  if (address === undefined || port === undefined || !Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  const version = isIP(address);
  if (version === 4) return `${address}:${port}`;
  if (version === 6) return `[${address}]:${port}`;
  return undefined;
}

/** The `openssl s_client` start that connects to the entry's server with its SNI, or undefined when a value is not valid. */
function sClient(entry: TlsEntry | undefined): string | undefined {
  const target = connectTarget(entry?.destIp, entry?.destPort);
  const sni = entry?.sni;
  if (target === undefined || sni === undefined || !isHostName(sni)) return undefined;
  return `openssl s_client -connect ${shellQuote(target)} -servername ${shellQuote(sni)}`;
}

/** Shows the certificate chain the entry's server presents for its SNI. */
export function chainCommand(entry: TlsEntry | undefined): string | undefined {
  const start = sClient(entry);
  return start === undefined ? undefined : `${start} -showcerts </dev/null`;
}

/** Shows the names on the certificate the entry's server presents for its SNI. */
export function namesCommand(entry: TlsEntry | undefined): string | undefined {
  const start = sClient(entry);
  return start === undefined ? undefined : `${start} </dev/null | openssl x509 -noout -subject -ext subjectAltName`;
}

/** Prints the SHA-256 fingerprint of the leaf certificate the entry's server presents for its SNI. */
export function fingerprintCommand(entry: TlsEntry | undefined): string | undefined {
  const start = sClient(entry);
  return start === undefined ? undefined : `${start} </dev/null | openssl x509 -noout -fingerprint -sha256`;
}

/** Connects to the entry's server without SNI, as the client did (reproduces "Server name is not found in client hello."). */
export function noSniCommand(entry: TlsEntry | undefined): string | undefined {
  const target = connectTarget(entry?.destIp, entry?.destPort);
  return target === undefined ? undefined : `openssl s_client -connect ${shellQuote(target)} -noservername </dev/null`;
}
