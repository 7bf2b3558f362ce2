/**
 * What kind of entry a line holds, for grouping and counting: the vocabulary shared by the parse step (which
 * assigns an entry its kind), the document views (status bar, outline, navigation) and the SNI model.
 */
import { MISMATCH_PREFIX, NO_SNI_MESSAGE } from './format';
import type { TlsEntry } from './types';

/** An SNI as logged (`"-"` = the client hello had none), or `null` when the entry had no usable `sni` field. */
export type SniKey = string | null;

/**
 * What an entry is, for grouping. `other` holds revocation-check entries whose status is missing or not one
 * of the documented `REVOKED`/`UNKNOWN` (docs/FORMAT.md, "Revocation check"); statuses are matched exactly, as logged.
 */
export type GroupKind = 'revoked' | 'tlsError' | 'unknown' | 'other';

/**
 * Kinds from worst to least bad; a group's `worst` is the first kind it has, and kind nodes are listed in
 * this order.
 * - `revoked`: the CA has positively said the server's certificate must not be trusted. It is a security
 *   finding, and with action `PASS` traffic still reached that server.
 * - `tlsError`: the firewall reset the connection, so something certainly broke, but the cause is usually a
 *   client or configuration problem (no SNI, a name the certificate does not cover), not a compromised peer.
 * - `unknown`: the firewall could not learn the status (responder unreachable or silent); often transient.
 * - `other`: a status no documentation describes; it cannot be ranked, so it comes last but is still shown.
 */
export const GROUP_KINDS: readonly GroupKind[] = ['revoked', 'tlsError', 'unknown', 'other'];

/** Labels of the kind nodes under an SNI group. */
export const KIND_LABELS: Readonly<Record<GroupKind, string>> = {
  revoked: 'Revoked',
  tlsError: 'TLS errors',
  unknown: 'Unknown',
  other: 'Other status',
};

// Indices into GROUP_KINDS, for code that keeps kinds as numbers (packed rows, count vectors).
export const K_REVOKED = 0;
export const K_TLS = 1;
export const K_UNKNOWN = 2;
export const K_OTHER = 3;

/** The label to show for an SNI: raw value, except `"-"`, `""` and a missing field, which get a description. */
export function sniLabel(sni: SniKey): string {
  if (sni === null) return '(no SNI field)';
  if (sni === '-') return '(no SNI in client hello)';
  if (sni === '') return '(empty SNI)';
  return sni;
}

/** Whether a firewall name is one to show as it is: present and not blank. */
export function isNamedFirewall(name: string | null | undefined): name is string {
  return name !== null && name !== undefined && name.trim() !== '';
}

/** The label to show for a firewall name: raw value, except a missing or blank one, which gets a description. */
export function firewallLabel(name: string | null | undefined): string {
  if (isNamedFirewall(name)) return name;
  return name === null || name === undefined ? '(no firewall name)' : '(blank firewall name)';
}

/** The group kind of an entry. */
export function kindOf(entry: TlsEntry): GroupKind {
  return GROUP_KINDS[kindIndex(entry)];
}

/** The index in {@link GROUP_KINDS} of an entry's group kind. */
export function kindIndex(entry: TlsEntry): number {
  return kindIndexOf(entry.kind === 'revocation', entry.status);
}

/**
 * {@link kindIndex} from what a packed entry keeps: whether it is a revocation check, and its status. The one
 * rule for an entry's kind, so entries, packed batches and the CLI's counter can never disagree.
 */
export function kindIndexOf(revocation: boolean, status: string | undefined): number {
  if (!revocation) return K_TLS;
  if (status === 'REVOKED') return K_REVOKED;
  if (status === 'UNKNOWN') return K_UNKNOWN;
  return K_OTHER;
}

/** What a TLS error entry's message says, as a small number: 0 not a TLS error, 1 no SNI, 2 name mismatch, 3 anything else. */
export type TlsErrorKind = 0 | 1 | 2 | 3;
export const E_NONE = 0;
export const E_NO_SNI = 1;
export const E_MISMATCH = 2;
export const E_OTHER = 3;

/**
 * The kind of a TLS error by its message, by the same tolerance as tlsMessage.ts (surrounding whitespace
 * ignored, the mismatch form recognised by its prefix and fixed words), without splitting the names out.
 */
export function tlsErrorKindOf(revocation: boolean, message: string | undefined): TlsErrorKind {
  if (revocation) return E_NONE;
  if (message === undefined) return E_OTHER;
  if (message === NO_SNI_MESSAGE || message.trim() === NO_SNI_MESSAGE) return E_NO_SNI;
  const start = message.trimStart();
  return start.startsWith(MISMATCH_PREFIX) && start.includes(' Match Failed to server certificate names:') ? E_MISMATCH : E_OTHER;
}
