/** The objects `event`, `event.tls_error` and `event.revocation_check`: the entry in brief, with its connection. */

import { parseTlsErrorMessage } from '../parse/tlsMessage';
import type { TlsEntry } from '../parse/types';
import { endpointText, entryTimeMs } from '../text';
import { ours, untrusted, type ExplainContext, type Explanation, type ExplanationFact } from './explanation';
import { formatUtc, relativeTime } from './time';

function connectionFacts(entry: TlsEntry, context: ExplainContext): ExplanationFact[] {
  const facts: ExplanationFact[] = [];
  // The addresses in full, not cut short: they are facts from the log, escaped where they are shown.
  const client = entry.srcIp === undefined ? undefined : endpointText(entry.srcIp, entry.srcPort);
  const server = entry.destIp === undefined ? undefined : endpointText(entry.destIp, entry.destPort);
  if (client !== undefined) facts.push(untrusted('Client', client));
  if (server !== undefined) facts.push(untrusted('Server', server));
  if (entry.sni !== undefined) facts.push(entry.sni === '-' ? ours('SNI', 'none (`-`)') : untrusted('SNI', entry.sni));
  const ms = entryTimeMs(entry);
  if (ms !== undefined) {
    facts.push(ours('When', `${formatUtc(ms)}, ${relativeTime(ms, context.now)}`));
  }
  if (entry.firewallName !== undefined) facts.push(untrusted('Firewall', entry.firewallName));
  return facts;
}

const TLS_ERROR_SUMMARY =
  "A TLS error entry: the firewall reset this connection during TLS inspection because the client's hello or the " +
  "server's certificate did not fit — the client sent no SNI, or the certificate does not cover the SNI. " +
  '`error_message` says which.';

const REVOCATION_SUMMARY =
  "A revocation check failure: under outbound TLS inspection the firewall asked whether the server's certificate or an intermediate certificate in its chain had been " +
  'revoked and got REVOKED or UNKNOWN (checks that pass are not logged). `status` says which, `action` what the firewall then did.';

function tlsErrorFacts(entry: TlsEntry): ExplanationFact[] {
  if (entry.errorMessage === undefined) return [];
  const parsed = parseTlsErrorMessage(entry.errorMessage, { sni: entry.sni });
  const error =
    parsed.kind === 'noSni'
      ? 'no SNI in the client hello'
      : parsed.kind === 'certMismatch'
        ? 'certificate does not cover the SNI'
        : 'undocumented message';
  return [ours('Error', error)];
}

function revocationFacts(entry: TlsEntry): ExplanationFact[] {
  const facts: ExplanationFact[] = [];
  if (entry.status !== undefined) facts.push(untrusted('Status', entry.status));
  if (entry.action !== undefined) facts.push(untrusted('Action', entry.action));
  return facts;
}

export function explainTlsErrorObject(entry: TlsEntry | undefined, context: ExplainContext): Explanation {
  const facts = entry ? [...tlsErrorFacts(entry), ...connectionFacts(entry, context)] : [];
  return { field: 'event.tls_error', title: 'TLS error', facts, sections: [{ text: TLS_ERROR_SUMMARY }] };
}

export function explainRevocationObject(entry: TlsEntry | undefined, context: ExplainContext): Explanation {
  const facts = entry ? [...revocationFacts(entry), ...connectionFacts(entry, context)] : [];
  return { field: 'event.revocation_check', title: 'Revocation check', facts, sections: [{ text: REVOCATION_SUMMARY }] };
}

export function explainEventObject(entry: TlsEntry | undefined, context: ExplainContext): Explanation {
  const title = 'Event';
  if (!entry) {
    return {
      field: 'event',
      title,
      facts: [],
      sections: [
        {
          text:
            'The details of the entry: the connection (addresses, ports, SNI, time) and either `tls_error` or `revocation_check`. ' +
            'This line could not be read as a TLS log entry; see its problems.',
        },
      ],
    };
  }
  const kindFacts = entry.kind === 'tlsError' ? tlsErrorFacts(entry) : revocationFacts(entry);
  return {
    field: 'event',
    title,
    facts: [
      ours('Kind', entry.kind === 'tlsError' ? 'TLS error' : 'revocation check failure'),
      ...kindFacts,
      ...connectionFacts(entry, context),
    ],
    sections: [{ text: entry.kind === 'tlsError' ? TLS_ERROR_SUMMARY : REVOCATION_SUMMARY }],
  };
}
