/**
 * `event.tls_error.error_message`: the two documented messages (no SNI; certificate names that do not cover
 * the SNI, docs/FORMAT.md) explained with their causes and what to check; any other message shown as written.
 */

import { parseTlsErrorMessage, type ParsedTlsError } from '../parse/tlsMessage';
import type { TlsEntry } from '../parse/types';
import { plural } from '../text';
import { absentOrWrongType, ours, untrusted, type Explanation, type ExplanationFact, type ExplanationSection } from './explanation';
import { namesCommand, noSniCommand } from './shell';

/** The documented senders of a hello without SNI (docs/FORMAT.md); non-TLS traffic is not among them. */
export const NO_SNI_CAUSES =
  'Old TLS clients or libraries that do not send SNI; scripts and tools that connect to an IP address (`curl https://10.0.1.27/` sends no SNI).';

/** The documented causes of a name mismatch (docs/FORMAT.md). Domain fronting is not one: its front SNI is covered. */
export const MISMATCH_CAUSES = 'SNI spoofing, a misconfigured server, or a wrong host name in the client.';

/** How many certificate names a hover lists; the entry details list them all. */
const NAMES_IN_HOVER = 6;

export function explainErrorMessage(entry: TlsEntry | undefined, raw: unknown): Explanation {
  const title = 'TLS error message';
  const field = 'event.tls_error.error_message';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'a string');
  const parsed = parseTlsErrorMessage(raw, { sni: entry?.sni });
  switch (parsed.kind) {
    case 'noSni':
      return { field, title, value: raw, facts: [ours('Meaning', 'the client sent no SNI')], ...noSniSections(entry) };
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

function noSniSections(entry: TlsEntry | undefined): { sections: ExplanationSection[]; details: ExplanationSection[] } {
  const command = noSniCommand(entry);
  const sections: ExplanationSection[] = [
    {
      text: "The client's TLS hello had no Server Name Indication, so the firewall could not tell which host it wanted; TLS inspection reset the connection.",
    },
    { heading: 'Usual causes', text: NO_SNI_CAUSES },
    { heading: 'What to check', text: 'Find the program on the source address and make it connect by host name, so that it sends SNI.' },
  ];
  const details: ExplanationSection[] = [
    ...(command === undefined
      ? []
      : [
          {
            heading: 'Reproducing it',
            text: 'From a client inside the TLS inspection scope, a connection without SNI fails the same way:',
            command,
          },
        ]),
    {
      heading: 'Sending SNI',
      text: '`curl https://<host>/` sends SNI, and `curl --resolve <host>:443:<ip> https://<host>/` does too while connecting to a chosen address.',
    },
  ];
  if (entry?.sni !== undefined && entry.sni !== '-') {
    sections.push({
      heading: 'Disagreement',
      text: "But this entry's `event.sni` is not `-`: the message says there was no SNI while the entry records this one:",
      values: [entry.sni],
    });
  }
  return { sections, details };
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
    ours('Meaning', "the server's certificate does not cover the SNI; the firewall reset the connection"),
    untrusted('SNI in the message', parsed.sni),
    ours(
      'Certificate names',
      parsed.names.length === parsed.uniqueNames.length
        ? plural(parsed.names.length, 'name')
        : `${plural(parsed.uniqueNames.length, 'distinct name')} (${parsed.names.length} listed)`,
    ),
  ];
  const listed = parsed.uniqueNames.slice(0, NAMES_IN_HOVER);
  const sections: ExplanationSection[] = [
    {
      heading: 'Names on the certificate',
      text:
        parsed.uniqueNames.length === 0
          ? 'The message lists no certificate names.'
          : listed.length < parsed.uniqueNames.length
            ? `The first ${listed.length} of ${parsed.uniqueNames.length} (all in the entry details):`
            : '',
      values: parsed.uniqueNames.length === 0 ? undefined : listed,
    },
  ];
  const details: ExplanationSection[] = [];
  if (listed.length < parsed.uniqueNames.length)
    details.push({ heading: 'All names on the certificate', text: 'In the order the message gives them:', values: parsed.uniqueNames });

  if (parsed.matchingName !== undefined) {
    sections.push({
      heading: 'A name would have matched',
      text: 'By the usual rules this name covers the SNI, so the mismatch is surprising. Compare the exact spelling:',
      values: [parsed.matchingName],
    });
    details.push({
      text: 'Look for letter case, a trailing dot, look-alike or invisible characters, or an internationalised name in another form.',
    });
  } else if (parsed.uniqueNames.length > 0) {
    sections.push({ heading: 'No name matches', text: 'Not even by wildcard.' });
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
          text: 'A wildcard stands for exactly one label, but the SNI has more than one label in front of it (common with dotted S3 bucket names under `*.s3.amazonaws.com`):',
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
        text: 'The SNI quoted in the message differs from `event.sni` (message first, then `event.sni`); both come from the same client hello.',
        values: [parsed.sni, entrySni],
      });
    }
  }

  const command = namesCommand(entry);
  sections.push(
    { heading: 'Usual causes', text: MISMATCH_CAUSES },
    {
      heading: 'What to check',
      text:
        command === undefined
          ? "From a host outside the TLS inspection scope, see which names the server presents for this SNI (an inspected client gets the firewall's certificate)."
          : "From a host outside the TLS inspection scope (an inspected client gets the firewall's certificate), see which names the server presents:",
      command,
    },
  );
  if (parsed.names.length > parsed.uniqueNames.length) {
    details.push({ text: 'The message repeats names: the subject name is usually listed again as a subject alternative name.' });
  }
  details.push(
    {
      heading: 'The causes',
      text:
        'SNI spoofing: a client names one host in its hello but connects to a server that does not serve it. Domain fronting does ' +
        "not cause this error: its front name is covered by the CDN's certificate. A misconfigured server sends a default certificate " +
        'or one that lacks this name.',
    },
    {
      heading: 'Reading the result',
      text:
        'If the server shows a fitting certificate when you ask, the client probably sent an SNI that is not the host it really talks to. ' +
        'AWS sums up these errors as "typically caused by problems with customer traffic or with the customer\'s client or server".',
    },
  );
  return { field: 'event.tls_error.error_message', title: 'TLS error message', value: raw, facts, sections, details };
}
