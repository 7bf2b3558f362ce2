/** `event.sni`: the host name the client asked for, `-` for none, and what is unusual about it. */

import { isIP } from 'node:net';
import { domainToUnicode } from 'node:url';
import { parseTlsErrorMessage } from '../parse/tlsMessage';
import { NO_SNI_CAUSES } from './tlsError';
import type { TlsEntry } from '../parse/types';
import {
  absentOrWrongType,
  ours,
  untrusted,
  type ExplainContext,
  type Explanation,
  type ExplanationFact,
  type ExplanationSection,
} from './explanation';

function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

export function explainSni(entry: TlsEntry | undefined, raw: unknown, context: ExplainContext): Explanation {
  const title = 'Server Name Indication (SNI)';
  const field = 'event.sni';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'a string');
  const count = context.sniCount?.(raw);
  const countFact = (label: string): ExplanationFact[] => (count === undefined ? [] : [ours(label, String(count))]);

  if (raw === '-') {
    const sections: ExplanationSection[] = [
      {
        text:
          '`-` means the client hello carried no SNI: the client did not say which host it wanted. TLS inspection drops ' +
          'TLS traffic without SNI: it resets the connection.',
      },
      {
        heading: 'Usual causes',
        text: NO_SNI_CAUSES,
      },
    ];
    const message = entry?.errorMessage;
    if (message !== undefined && parseTlsErrorMessage(message).kind !== 'noSni') {
      sections.push({
        heading: 'Disagreement',
        text: 'This entry\'s error message is not "Server name is not found in client hello.", which is what a missing SNI normally produces.',
      });
    }
    return { field, title, value: raw, facts: countFact('Entries without SNI in this file'), sections };
  }

  const facts: ExplanationFact[] = countFact('Entries with this SNI in this file');
  const sections: ExplanationSection[] = [
    {
      text:
        'The host name the client asked for in its TLS client hello. It is whatever the client wrote: under TLS inspection ' +
        "the firewall checks that the server's certificate covers it, and domain-list and TLS rules in the stateful engine match on it.",
    },
  ];
  if (raw === '') {
    sections.push({
      heading: 'Empty',
      text: 'The SNI is empty. When a client sends no SNI the firewall writes `-`, so an empty value is unexpected.',
    });
    return { field, title, value: raw, facts, sections };
  }
  if (isIP(raw) !== 0) {
    sections.push({
      heading: 'An IP address',
      text:
        'SNI must be a host name (RFC 6066 forbids addresses). Clients that connect by address normally send no SNI at all, ' +
        'so a program chose to send this: a script, a custom TLS library, or a client probing the firewall.',
    });
    return { field, title, value: raw, facts, sections };
  }

  const odd = [...new Set([...raw].filter((ch) => !/[A-Za-z0-9.-]/.test(ch)))];
  if (odd.length > 0) {
    const underscoreOnly = odd.length === 1 && odd[0] === '_';
    sections.push({
      heading: 'Unusual characters',
      text: underscoreOnly
        ? 'Contains `_`, which host names may not have. Some internal names use it anyway and most TLS libraries accept it.'
        : 'Host names contain only letters, digits, `-` and `.`; this SNI also has the characters below. A real client rarely ' +
          'sends these; suspect a tool, a misconfigured client, or someone probing the firewall.',
      values: underscoreOnly ? undefined : odd.map((ch) => `${ch} (${codePoint(ch)})`),
    });
  }
  const name = raw.endsWith('.') ? raw.slice(0, -1) : raw;
  const labels = name.split('.');
  if (raw.endsWith('.')) {
    sections.push({
      heading: 'Trailing dot',
      text: 'Ends with a dot (a fully qualified name). RFC 6066 says SNI must not; some servers then fail to match their certificates.',
    });
  }
  if (labels.some((label) => label === '')) {
    sections.push({
      heading: 'Empty label',
      text: 'Has an empty label (two dots in a row, or a leading dot), so it is not a valid host name.',
    });
  }
  if (raw.length > 253 || labels.some((label) => label.length > 63)) {
    sections.push({
      heading: 'Too long',
      text: 'Longer than DNS allows (253 characters in all, 63 per label), so no real host has this name.',
    });
  }
  if (labels.length === 1 && odd.length === 0) {
    sections.push({
      heading: 'Single label',
      text: 'A name without a dot is usually an internal short name; public certificate authorities cannot issue certificates for it.',
    });
  }
  if (/[A-Z]/.test(raw)) {
    sections.push({ text: 'Contains capital letters. Host names compare without regard to case, so this is harmless.' });
  }
  if (labels.some((label) => label.toLowerCase().startsWith('xn--'))) {
    const unicode = domainToUnicode(name);
    if (unicode !== '' && unicode !== name) facts.push(untrusted('As Unicode', unicode));
    sections.push({
      heading: 'Internationalised name',
      text: 'Contains `xn--` labels: an internationalised domain name in its ASCII form. Check the Unicode form for look-alike characters.',
    });
  }
  return { field, title, value: raw, facts, sections };
}
