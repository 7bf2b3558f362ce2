/**
 * The revocation check: what a REVOKED or UNKNOWN status means, what the PASS, DROP and REJECT actions did to
 * the connection and which setting chose them, and the leaf certificate's fingerprint.
 */

import { isDocumentedAction, isDocumentedStatus } from '../parse/format';
import type { TlsEntry } from '../parse/types';
import { absentOrWrongType, ours, untrusted, type Explanation, type ExplanationFact, type ExplanationSection } from './explanation';

function settingFor(status: string | undefined): string | undefined {
  if (status === 'REVOKED') return 'RevokedStatusAction';
  if (status === 'UNKNOWN') return 'UnknownStatusAction';
  return undefined;
}

/** One sentence on what the firewall did, for the status hover. */
function actionSummary(action: string): string {
  switch (action) {
    case 'PASS':
      return '**PASS** — the connection went ahead, and its traffic went on to the stateful rules.';
    case 'DROP':
      return '**DROP** — the firewall closed the connection and dropped its packets; the client got no reply (curl: "Empty reply from server").';
    case 'REJECT':
      return '**REJECT** — the firewall sent the client a TCP reset (curl: "Connection reset by peer") and closed the connection.';
    default:
      return 'an action that is not documented (AWS documents PASS, DROP and REJECT), so what happened to the connection is not known.';
  }
}

export function explainStatus(entry: TlsEntry | undefined, raw: unknown): Explanation {
  const field = 'event.revocation_check.status';
  const title = 'Revocation status';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'a string');
  const action = entry?.action;
  const setting = settingFor(raw);
  const facts: ExplanationFact[] = [];
  if (action !== undefined) facts.push(untrusted('Action taken', action));
  if (setting) facts.push(ours('Decided by', `\`${setting}\``));

  const sections: ExplanationSection[] = [];
  if (raw === 'REVOKED') {
    sections.push(
      {
        text:
          "The certificate's issuer says the server's certificate has been revoked: its OCSP responder or certificate " +
          'revocation list (CRL) lists it as withdrawn before its expiry date, so it must not be trusted any more. Common ' +
          'reasons: its private key leaked or may have, it was issued by mistake, or its owner replaced it.',
      },
      {
        heading: 'For this connection',
        text:
          "Under TLS inspection the client never sees the server's real certificate (it gets one issued by the firewall's CA), " +
          "so the firewall's check is the only revocation check this connection gets.",
      },
      {
        heading: 'What to check',
        text:
          'Whether clients should be reaching this server at all (the SNI and destination address). If it is a service you ' +
          "depend on, its owner has to install a new certificate. To see the server's certificate and any OCSP answer it " +
          'staples: `openssl s_client -connect <dest_ip>:<dest_port> -servername <sni> -status </dev/null`.',
      },
    );
  } else if (raw === 'UNKNOWN') {
    sections.push(
      {
        text:
          "The firewall could not find out whether the server's certificate is revoked. It asked the certificate's OCSP " +
          'responder or CRL distribution point (addresses written in the certificate) and got no usable answer.',
      },
      {
        heading: 'Why it is common',
        text:
          'It is rarely about the certificate itself. Usually the OCSP or CRL server could not be reached from the ' +
          "firewall's subnet (no route to the internet, blocked, or DNS failing), the responder answered with an error or " +
          'timed out, or it had no record of the certificate.',
      },
      {
        heading: 'What to check',
        text:
          "Whether UNKNOWN shows up for many unrelated host names (then it is the firewall's path to OCSP and CRL servers: " +
          "check the route table of the firewall's subnet) or for one host only (then that CA's responder: fetch the " +
          'certificate, read the OCSP URL from its Authority Information Access extension, and query it with `openssl ocsp`).',
      },
    );
  } else {
    const upper = raw.toUpperCase();
    sections.push({
      heading: 'Not a documented status',
      text:
        'AWS documents two statuses, REVOKED and UNKNOWN; only failed checks are logged. ' +
        (isDocumentedStatus(upper)
          ? 'This one differs from a documented status only in letter case; the documented spelling is upper case.'
          : 'This value is shown as written; which action setting applied to it is not known.'),
    });
  }

  if (action !== undefined) {
    const decided = setting ? ` This was decided by \`${setting}\` in the TLS inspection configuration.` : '';
    sections.push({ heading: 'What the firewall did', text: `The action on this entry is ${actionSummary(action)}${decided}` });
    if (raw === 'REVOKED' && action === 'PASS') {
      sections.push({
        heading: 'Worth acting on',
        text:
          'Clients exchanged data with a server whose certificate is revoked. If that is not intended, set `RevokedStatusAction` ' +
          "to DROP or REJECT, and tell the server's owner to install a new certificate.",
      });
    } else if (raw === 'UNKNOWN' && action !== 'PASS' && isDocumentedAction(action)) {
      sections.push({
        heading: 'Trade-off',
        text:
          "With `UnknownStatusAction` set to DROP or REJECT the firewall fails closed: while a CA's responder is unreachable, " +
          'every site with a certificate from that CA is blocked. PASS fails open instead.',
      });
    }
  } else if (setting) {
    sections.push({
      heading: 'What the firewall did',
      text: `This entry does not say; \`${setting}\` in the TLS inspection configuration decides it.`,
    });
  }
  return { field, title, value: raw, facts, sections };
}

export function explainAction(entry: TlsEntry | undefined, raw: unknown): Explanation {
  const field = 'event.revocation_check.action';
  const title = 'Revocation action';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'a string');
  const status = entry?.status;
  const setting = settingFor(status);
  const facts: ExplanationFact[] = [];
  if (status !== undefined) facts.push(untrusted('Status', status));
  if (setting) facts.push(ours('Decided by', `\`${setting}\``));

  const sections: ExplanationSection[] = [];
  switch (raw) {
    case 'PASS':
      sections.push(
        {
          text:
            'The firewall let the connection continue despite the failed revocation check and handed its packets to the ' +
            'stateful engine, which applies your stateful rules as for any other traffic.',
        },
        {
          heading: 'What the client saw',
          text: 'Nothing unusual from the revocation check: the connection worked unless a stateful rule stopped it.',
        },
      );
      if (status === 'REVOKED') {
        sections.push({
          heading: 'Worth acting on',
          text: 'The client may have exchanged data with a server whose certificate is revoked.',
        });
      }
      break;
    case 'DROP':
      sections.push(
        { text: 'The firewall closed the connection and dropped any further packets on it.' },
        {
          heading: 'What the client saw',
          text: 'The connection ended without a reply. curl reports "Empty reply from server"; browsers and other clients show a generic connection error.',
        },
      );
      break;
    case 'REJECT':
      sections.push(
        {
          text: 'The firewall sent a TCP reset back to the client, closed the connection and dropped any further packets on it. REJECT works only for TCP traffic.',
        },
        {
          heading: 'What the client saw',
          text: 'An immediate error: "Connection reset by peer" (curl: "Recv failure: Connection reset by peer").',
        },
      );
      break;
    default:
      sections.push({
        heading: 'Not a documented action',
        text:
          'AWS documents three actions: PASS, DROP and REJECT. ' +
          (isDocumentedAction(raw.toUpperCase())
            ? 'This one differs from a documented action only in letter case; the documented spelling is upper case.'
            : 'This value is shown as written; what happened to the connection is not known.'),
      });
  }

  if (setting) {
    sections.push({
      heading: 'Which setting',
      text:
        `Because this entry's status is ${status}, the action comes from \`${setting}\` in the ` +
        "`CheckCertificateRevocationStatus` settings of the TLS inspection configuration's server certificate configuration.",
    });
  } else if (status !== undefined) {
    sections.push({
      heading: 'Which setting',
      text:
        'The status on this entry is not a documented one, so it is not clear whether `RevokedStatusAction` or ' +
        '`UnknownStatusAction` chose this action.',
    });
  } else {
    sections.push({
      heading: 'Which setting',
      text: '`RevokedStatusAction` decides for REVOKED certificates and `UnknownStatusAction` for UNKNOWN ones; this entry has no status to tell which.',
    });
  }
  return { field, title, value: raw, facts, sections };
}

export function explainFingerprint(raw: unknown): Explanation {
  const field = 'event.revocation_check.leaf_cert_fpr';
  const title = 'Leaf certificate fingerprint';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'a string');
  const facts: ExplanationFact[] = [];
  const hex = raw.replace(/:/g, '');
  if (/^[0-9A-Fa-f]+$/.test(hex)) {
    const size =
      hex.length === 64 ? ' (the length of a SHA-256 fingerprint)' : hex.length === 40 ? ' (the length of a SHA-1 fingerprint)' : '';
    facts.push(ours('Length', `${hex.length} hex digits${size}`));
  }
  return {
    field,
    title,
    value: raw,
    facts,
    sections: [
      {
        text:
          "A fingerprint (hash) of the server's leaf certificate — its own certificate, not an intermediate or root — whose " +
          'revocation status the firewall checked. AWS does not document the hash or the format, so treat it as an ' +
          'identifier to compare, not something to decode.',
      },
      {
        heading: 'Find the certificate',
        text:
          'Fetch the certificate the server presents for the same SNI and print its fingerprint, then compare ignoring colons and case: ' +
          '`openssl s_client -connect <dest_ip>:<dest_port> -servername <sni> </dev/null | openssl x509 -noout -fingerprint -sha256` ' +
          '(`-sha1` for a 40-digit value). Certificate Transparency search sites such as `crt.sh` also look certificates up by SHA-256 fingerprint.',
      },
      {
        text: 'The same fingerprint on many entries means one certificate behind all of them; servers can present different certificates per name and per address.',
      },
    ],
  };
}
