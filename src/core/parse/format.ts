/**
 * The values AWS documents for TLS log entries, in one place: the revocation statuses and actions, and the
 * two forms of a TLS error message (docs/FORMAT.md, "Revocation check" and "TLS error messages"). The
 * validator flags other values, the hover explains them as "not documented", and neither keeps a list of its own. A value outside these lists is never
 * rejected: it is kept verbatim and shown as written.
 */

/** `event.revocation_check.status`: only failed checks are logged, so these two are all there is. */
export const REVOCATION_STATUSES = ['REVOKED', 'UNKNOWN'] as const;
export type RevocationStatus = (typeof REVOCATION_STATUSES)[number];

/**
 * `event.revocation_check.action`: the values allowed for `RevokedStatusAction` and `UnknownStatusAction`,
 * in the order the SNI model counts them.
 */
export const REVOCATION_ACTIONS = ['PASS', 'DROP', 'REJECT'] as const;
export type RevocationAction = (typeof REVOCATION_ACTIONS)[number];

/** Whether `value` is a documented revocation status, spelled exactly (upper case). */
export function isDocumentedStatus(value: string | undefined): value is RevocationStatus {
  return value === 'REVOKED' || value === 'UNKNOWN';
}

/** Whether `value` is a documented revocation action, spelled exactly (upper case). */
export function isDocumentedAction(value: string | undefined): value is RevocationAction {
  return value === 'PASS' || value === 'DROP' || value === 'REJECT';
}

/** Form 1 of `event.tls_error.error_message`: the client hello had no SNI (`event.sni` is `-`). */
export const NO_SNI_MESSAGE = 'Server name is not found in client hello.';

/**
 * Form 2, `SNI: <sni> Match Failed to server certificate names: <name>/<name>/... ` (with a trailing space):
 * the server's certificate does not cover the SNI. The prefix before the quoted SNI.
 */
export const MISMATCH_PREFIX = 'SNI: ';
/** Form 2: what follows the quoted SNI, before the `/`-separated certificate names. */
export const MISMATCH_SEPARATOR = ' Match Failed to server certificate names:';
