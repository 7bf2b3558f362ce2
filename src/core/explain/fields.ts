/**
 * The fields of a TLS log entry that have an explanation, and the one switch that sends each to its
 * family's file: time.ts, firewall.ts, address.ts, port.ts, sni.ts, tlsError.ts, revocation.ts (statuses
 * and actions), objects.ts. The shape of an explanation and its trust boundary are in explanation.ts.
 */

import type { TlsEntry } from '../parse/types';
import { explainAddress } from './address';
import type { ExplainContext, Explanation, FieldPath } from './explanation';
import { explainAvailabilityZone, explainFirewallName } from './firewall';
import { explainEventObject, explainRevocationObject, explainTlsErrorObject } from './objects';
import { explainPort } from './port';
import { explainAction, explainFingerprint, explainStatus } from './revocation';
import { explainSni } from './sni';
import { explainEventTimestamp, explainIsoTimestamp } from './time';
import { explainErrorMessage } from './tlsError';

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
      return explainStatus(entry, rawValue, context);
    case 'event.revocation_check.action':
      return explainAction(entry, rawValue);
    case 'event.revocation_check.leaf_cert_fpr':
      return explainFingerprint(entry, rawValue);
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
