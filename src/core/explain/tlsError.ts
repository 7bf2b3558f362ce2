/**
 * `event.tls_error.error_message`: the two documented messages (no SNI; certificate names that do not cover
 * the SNI, docs/FORMAT.md) explained with their causes and what to check; any other message shown as written.
 */

import { parseTlsErrorMessage, type ParsedTlsError } from '../parse/tlsMessage';
import type { TlsEntry } from '../parse/types';
import { plural } from '../text';
import { absentOrWrongType, ours, untrusted, type Explanation, type ExplanationFact, type ExplanationSection } from './explanation';

const NO_SNI_CAUSES =
  'Old TLS clients or libraries that do not send SNI; scripts and tools that connect to an IP address (`curl https://10.0.1.27/` ' +
  'sends no SNI); health checks; traffic that is not TLS at all (plain HTTP, SSH, ...) sent to a port the TLS inspection scope covers, such as 443.';

const CHECK_CERT_NAMES =
  'See which names the server presents for this SNI: ' +
  '`openssl s_client -connect <dest_ip>:<dest_port> -servername <sni> </dev/null | openssl x509 -noout -subject -ext subjectAltName`. ' +
  'If the server shows a fitting certificate when you ask, the client probably sent an SNI that is not the host it really talks to.';

export function explainErrorMessage(entry: TlsEntry | undefined, raw: unknown): Explanation {
  const title = 'TLS error message';
  const field = 'event.tls_error.error_message';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'a string');
  const parsed = parseTlsErrorMessage(raw, { sni: entry?.sni });
  switch (parsed.kind) {
    case 'noSni':
      return { field, title, value: raw, facts: [ours('Meaning', 'the client sent no SNI')], sections: noSniSections(entry) };
    case 'certMismatch':
      return mismatchExplanation(raw, parsed, entry);
    case 'undocumented':
      return {
        field,
        title,
        value: raw,
        facts: [ours('Meaning', 'not a documented message')],
        sections: [
          {
            text:
              'This is not one of the two messages AWS documents for TLS errors ("Server name is not found in client hello." ' +
              'and "SNI: ... Match Failed to server certificate names: ..."). It is shown exactly as written; AWS may have added ' +
              'messages since. Read it for what it says, and check the Network Firewall troubleshooting guide.',
          },
          ...(raw.trimStart().startsWith('SNI:')
            ? [{ text: 'It starts like the certificate-name mismatch message but does not follow that form, so its parts were not read.' }]
            : []),
        ],
      };
  }
}

function noSniSections(entry: TlsEntry | undefined): ExplanationSection[] {
  const sections: ExplanationSection[] = [
    {
      text:
        "The client's TLS hello had no Server Name Indication, so the firewall could not tell which host the client wanted " +
        'and could not match a certificate to the connection. The firewall reset the connection.',
    },
    { heading: 'Usual causes', text: NO_SNI_CAUSES },
    {
      heading: 'What to check',
      text:
        'Find the program on the source address. `curl https://<host>/` sends SNI, `curl --resolve <host>:443:<ip> https://<host>/` ' +
        'does too while connecting to a chosen address; `openssl s_client -connect <ip>:443 -noservername` reproduces this error.',
    },
  ];
  if (entry?.sni !== undefined && entry.sni !== '-') {
    sections.push({
      heading: 'Disagreement',
      text: "But this entry's `event.sni` is not `-`: the message says there was no SNI while the entry records this one:",
      values: [entry.sni],
    });
  }
  return sections;
}

function sameName(a: string, b: string): boolean {
  const norm = (s: string): string => (s.endsWith('.') ? s.slice(0, -1) : s).toLowerCase();
  return norm(a) === norm(b);
}

function mismatchExplanation(
  raw: string,
  parsed: Extract<ParsedTlsError, { kind: 'certMismatch' }>,
  entry: TlsEntry | undefined,
): Explanation {
  const facts: ExplanationFact[] = [
    ours('Meaning', "the server's certificate does not cover the SNI"),
    untrusted('SNI in the message', parsed.sni),
    ours(
      'Certificate names',
      parsed.names.length === parsed.uniqueNames.length
        ? plural(parsed.names.length, 'name')
        : `${plural(parsed.uniqueNames.length, 'distinct name')} (${parsed.names.length} listed; the subject name is usually repeated as an alternative name)`,
    ),
  ];
  const sections: ExplanationSection[] = [
    {
      text:
        'The client asked for one host name (the SNI), but the certificate the server sent covers other names, so the ' +
        'firewall would not vouch for the connection and reset it.',
    },
    {
      heading: 'Names on the certificate',
      text: parsed.uniqueNames.length === 0 ? 'The message lists no certificate names.' : 'The certificate presented by the server lists:',
      values: parsed.uniqueNames.length === 0 ? undefined : parsed.uniqueNames,
    },
  ];

  if (parsed.matchingName !== undefined) {
    sections.push({
      heading: 'A name would have matched',
      text:
        'By the usual matching rules this name covers the SNI, so the mismatch is surprising. Compare the exact spelling: ' +
        'letter case, a trailing dot, look-alike or invisible characters, or an internationalised name in another form.',
      values: [parsed.matchingName],
    });
  } else if (parsed.uniqueNames.length > 0) {
    sections.push({ heading: 'No name matches', text: 'None of these names covers the SNI, including by wildcard.' });
    const sni = parsed.sni.endsWith('.') ? parsed.sni.slice(0, -1).toLowerCase() : parsed.sni.toLowerCase();
    for (const name of parsed.uniqueNames) {
      if (!name.startsWith('*.')) continue;
      const base = name.slice(2).toLowerCase();
      if (sni === base) {
        sections.push({
          text: 'A wildcard stands for exactly one label, so this wildcard does not cover the bare domain itself:',
          values: [name],
        });
      } else if (sni.endsWith(`.${base}`) && sni.slice(0, -base.length - 1).includes('.')) {
        sections.push({
          text:
            'A wildcard stands for exactly one label, but the SNI has more than one label in front of this name. This is common ' +
            'with S3 bucket names that contain dots, under `*.s3.amazonaws.com`:',
          values: [name],
        });
      }
    }
  }

  const entrySni = entry?.sni;
  if (entrySni !== undefined) {
    if (entrySni === parsed.sni) {
      facts.push(ours('Agrees with `event.sni`', 'yes'));
    } else if (sameName(entrySni, parsed.sni)) {
      facts.push(ours('Agrees with `event.sni`', 'only when case and a trailing dot are ignored'));
    } else {
      facts.push(ours('Agrees with `event.sni`', 'no'));
      sections.push({
        heading: 'Disagreement',
        text: 'The SNI quoted in the message differs from `event.sni` (message first, then `event.sni`). The firewall writes both from the same client hello, so the line may have been edited.',
        values: [parsed.sni, entrySni],
      });
    }
  }

  sections.push(
    {
      heading: 'Usual causes',
      text:
        'A client that sends a false SNI — SNI spoofing or domain fronting, naming an allowed host while talking to another ' +
        'server; TLS inspection blocks this on purpose. A misconfigured server that sends a default certificate or lacks this ' +
        'name. A wrong host name in the client, or a wildcard certificate that does not reach as many labels as the name has.',
    },
    { heading: 'What to check', text: CHECK_CERT_NAMES },
  );
  return { field: 'event.tls_error.error_message', title: 'TLS error message', value: raw, facts, sections };
}
