/**
 * The revocation check: what a REVOKED or UNKNOWN status means, what the PASS, DROP and REJECT actions did to
 * the connection and which setting chose them, and the leaf certificate's fingerprint (docs/FORMAT.md,
 * "Revocation check"). A hover says the answer, what the firewall did and what to check; background goes to
 * `details`, which the entry details show.
 */

import { isDocumentedAction, isDocumentedStatus } from '../parse/format';
import type { TlsEntry } from '../parse/types';
import { entryTimeMs, formatEntryTime, plural } from '../text';
import {
  absentOrWrongType,
  ours,
  untrusted,
  type ExplainContext,
  type Explanation,
  type ExplanationFact,
  type ExplanationSection,
} from './explanation';
import { chainCommand, fingerprintCommand } from './shell';

function settingFor(status: string | undefined): string | undefined {
  if (status === 'REVOKED') return 'RevokedStatusAction';
  if (status === 'UNKNOWN') return 'UnknownStatusAction';
  return undefined;
}

/** The client's side of each action ("Troubleshooting TLS inspection"): the handshake completes first. */
const CLIENT_SAW: Record<'PASS' | 'DROP' | 'REJECT', string> = {
  PASS: 'the connection went ahead, and its traffic went on to the stateful rules.',
  DROP: 'after the TLS handshake with the firewall-issued certificate, the firewall closed the connection (TLS close_notify; curl 52: "Empty reply from server").',
  REJECT:
    'after the TLS handshake with the firewall-issued certificate, the firewall sent a TCP reset (curl 56: "Connection reset by peer").',
};

const WHICH_CERTIFICATE = "the server's certificate or an intermediate certificate in its chain";

const OUTSIDE_SCOPE = 'From a host outside the TLS inspection scope, see its chain:';

const ONLY_CHECK =
  "Under TLS inspection the client gets a certificate that the firewall issues from its CA, never the server's own, so " +
  "the firewall's check is the only revocation check this connection gets. A check run from an inspected client fails " +
  "the same way or shows the firewall's certificate, whose fingerprint never equals `leaf_cert_fpr`.";

const CACHED = 'Network Firewall caches OCSP and CRL answers, so a status can outlast a fix for a while.';

const SCOPE_FIX =
  "AWS's documented fix for one revoked destination that must stay reachable is to take it out of the TLS inspection " +
  'scope, rather than to set `RevokedStatusAction` to PASS for everything.';

const UNSUPPORTED =
  'OCSP stapling, delta CRLs, CRL addresses over LDAP or FTP, delegated OCSP responders, OCSP with nonces, and CRLs signed with a different key';

/** What the firewall did, for the status hover (the facts name the setting). */
function actionSection(action: string): ExplanationSection {
  if (!isDocumentedAction(action)) {
    return {
      heading: 'What the firewall did',
      text: 'Not documented: the action settings allow only PASS, DROP and REJECT, so what happened to the connection is not known.',
    };
  }
  return { heading: 'What the firewall did', text: `**${action}**: ${CLIENT_SAW[action]}` };
}

/** The file's own evidence for an UNKNOWN entry: how many SNIs were UNKNOWN around its time. */
function unknownEvidence(entry: TlsEntry | undefined, context: ExplainContext): { section: ExplanationSection; snis: number } | undefined {
  const ms = entry === undefined ? undefined : entryTimeMs(entry);
  if (ms === undefined || !Number.isFinite(ms)) return undefined;
  const window = context.unknownAround?.(ms);
  if (window === undefined || window.snis === 0) return undefined;
  const when = `between ${formatEntryTime(window.fromMs, 'minutes').slice(11)} and ${formatEntryTime(window.toMs, 'minutes').slice(11)} UTC`;
  const text =
    window.snis === 1
      ? `Only this SNI was UNKNOWN ${when}: more likely its CA's responder or an unsupported feature.`
      : `UNKNOWN for ${plural(window.snis, 'SNI')} ${when}: likely the firewall's path to OCSP/CRL servers.`;
  return { section: { heading: 'In the loaded logs', text }, snis: window.snis };
}

export function explainStatus(entry: TlsEntry | undefined, raw: unknown, context: ExplainContext = { now: Date.now() }): Explanation {
  const field = 'event.revocation_check.status';
  const title = 'Revocation status';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'a string');
  const action = entry?.action;
  const setting = settingFor(raw);
  const facts: ExplanationFact[] = [];
  if (action !== undefined) facts.push(untrusted('Action taken', action));
  if (setting && (action === undefined || isDocumentedAction(action))) facts.push(ours('Decided by', `\`${setting}\``));

  const sections: ExplanationSection[] = [];
  const details: ExplanationSection[] = [];
  const chain = chainCommand(entry);
  let evidence: { section: ExplanationSection; snis: number } | undefined;
  if (raw === 'REVOKED') {
    sections.push({
      text: `**Revoked**: the CA says ${WHICH_CERTIFICATE} has been revoked. \`leaf_cert_fpr\` names the leaf, which need not be the revoked one.`,
    });
    details.push(
      {
        heading: 'Revoked',
        text:
          "The certificate's issuer lists it in its OCSP responder or certificate revocation list (CRL) as withdrawn before its " +
          'expiry date, so it must not be trusted any more. Common reasons: its private key leaked or may have, it was issued by ' +
          'mistake, or its owner replaced it.',
      },
      { heading: 'For this connection', text: ONLY_CHECK },
      { text: CACHED },
      { heading: 'Keeping one destination reachable', text: SCOPE_FIX },
    );
  } else if (raw === 'UNKNOWN') {
    sections.push({
      text: `The firewall could not get a usable OCSP or CRL answer about ${WHICH_CERTIFICATE}.`,
    });
    evidence = unknownEvidence(entry, context);
    if (evidence) sections.push(evidence.section);
    details.push(
      {
        heading: 'Could not tell',
        text:
          "The firewall asked the certificate's OCSP responder or CRL distribution point (addresses written in the certificate) " +
          'and could not find out whether it is revoked: the provider could not be reached, answered with an error, or had no record of the certificate.',
      },
      {
        heading: 'Documented causes',
        text: `${CACHED} AWS does not support ${UNSUPPORTED}: a certificate that needs one of them is likely UNKNOWN.`,
      },
      {
        heading: 'A guess',
        text:
          'When UNKNOWN shows up for many unrelated host names at once, the firewall may not be reaching OCSP and CRL servers at all. ' +
          'AWS does not document where it sends these requests from, so which route table applies is a guess; the route of the ' +
          "firewall's subnet to the internet is a place to start.",
      },
      { heading: 'For this connection', text: ONLY_CHECK },
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

  if (setting && (action === undefined || isDocumentedAction(action))) {
    details.push({ heading: 'Which setting', text: `This was decided by \`${setting}\` in the TLS inspection configuration.` });
  }
  if (action !== undefined) {
    sections.push(actionSection(action));
  } else if (setting) {
    sections.push({
      heading: 'What the firewall did',
      text: `This entry does not say; \`${setting}\` in the TLS inspection configuration decides it.`,
    });
  }

  if (raw === 'REVOKED') {
    const passed = action === 'PASS';
    sections.push({
      heading: passed ? 'Worth acting on' : 'What to check',
      text:
        (passed
          ? 'Clients exchanged data with this server; if that is not intended, set `RevokedStatusAction` to DROP or REJECT. '
          : 'Whether clients should reach this server; if you depend on it, its owner has to install a new certificate. ') +
        (chain === undefined ? '' : OUTSIDE_SCOPE),
      command: chain,
    });
  } else if (raw === 'UNKNOWN') {
    // When many SNIs were UNKNOWN at once, this server's chain is not where the answer is.
    const offerChain = chain !== undefined && (evidence === undefined || evidence.snis < 2);
    sections.push({
      heading: 'What to check',
      text: `Cached answers; unsupported features (OCSP stapling, delta CRLs, LDAP/FTP CRL URLs, delegated or nonce OCSP).${offerChain ? ` ${OUTSIDE_SCOPE}` : ''}`,
      command: offerChain ? chain : undefined,
    });
    if (action !== undefined && action !== 'PASS' && isDocumentedAction(action)) {
      details.push({
        heading: 'Trade-off',
        text:
          "With `UnknownStatusAction` set to DROP or REJECT the firewall fails closed: while a CA's responder is unreachable, " +
          'every site with a certificate from that CA is blocked. PASS fails open instead.',
      });
    }
  }
  return { field, title, value: raw, facts, sections, details };
}

export function explainAction(entry: TlsEntry | undefined, raw: unknown): Explanation {
  const field = 'event.revocation_check.action';
  const title = 'Revocation action';
  if (typeof raw !== 'string') return absentOrWrongType(field, title, raw, 'a string');
  const status = entry?.status;
  const documented = isDocumentedAction(raw);
  const setting = documented ? settingFor(status) : undefined;
  const facts: ExplanationFact[] = [];
  if (status !== undefined) facts.push(untrusted('Status', status));
  if (setting) facts.push(ours('Decided by', `\`${setting}\``));

  const sections: ExplanationSection[] = [];
  const details: ExplanationSection[] = [];
  switch (raw) {
    case 'PASS':
      sections.push(
        {
          text: 'The firewall let the connection continue despite the failed revocation check and handed its packets to the stateful engine.',
        },
        {
          heading: 'What the client saw',
          text: 'Nothing unusual from the revocation check: the connection worked unless a stateful rule stopped it.',
        },
      );
      if (status === 'REVOKED') {
        sections.push({
          heading: 'Worth acting on',
          text: 'The client may have exchanged data with a server whose certificate (or an intermediate) is revoked.',
        });
        details.push({ heading: 'Keeping one destination reachable', text: SCOPE_FIX });
      }
      break;
    case 'DROP':
      sections.push(
        { text: 'The firewall closed the connection and dropped any further packets on it.' },
        { heading: 'What the client saw', text: `Not a silent timeout: ${CLIENT_SAW.DROP} Browsers show a generic connection error.` },
      );
      break;
    case 'REJECT':
      sections.push(
        {
          text: 'The firewall sent the client a TCP reset and dropped any further packets on the connection. REJECT works only for TCP traffic.',
        },
        { heading: 'What the client saw', text: `Not at once: ${CLIENT_SAW.REJECT}` },
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

  if (!documented) {
    sections.push({
      heading: 'Which setting',
      text: '`RevokedStatusAction` and `UnknownStatusAction` allow only PASS, DROP and REJECT, so neither can have set this value as written.',
    });
  } else if (setting) {
    sections.push({ heading: 'Which setting', text: `Because this entry's status is ${status}, the action comes from \`${setting}\`.` });
    details.push({
      heading: 'Where the setting lives',
      text:
        `\`${setting}\` is part of the \`CheckCertificateRevocationStatus\` settings of the TLS inspection configuration's server ` +
        'certificate configuration.',
    });
  } else if (status !== undefined) {
    sections.push({
      heading: 'Which setting',
      text: 'The status on this entry is not a documented one, so it is not clear whether `RevokedStatusAction` or `UnknownStatusAction` chose this action.',
    });
  } else {
    sections.push({
      heading: 'Which setting',
      text: '`RevokedStatusAction` decides for REVOKED certificates and `UnknownStatusAction` for UNKNOWN ones; this entry has no status to tell which.',
    });
  }
  return { field, title, value: raw, facts, sections, details };
}

export function explainFingerprint(entry: TlsEntry | undefined, raw: unknown): Explanation {
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
  const command = fingerprintCommand(entry);
  return {
    field,
    title,
    value: raw,
    facts,
    sections: [
      {
        text:
          "A fingerprint (hash) of the server's leaf certificate — its own certificate, not an intermediate or root. The firewall " +
          'checks the leaf or an intermediate, so a REVOKED or UNKNOWN status may be about an intermediate of this chain. AWS does not ' +
          'document the hash or the format: treat it as an identifier to compare, not something to decode.',
      },
      {
        heading: 'Find the certificate',
        text:
          command === undefined
            ? 'From a host outside the TLS inspection scope, fetch the certificate the server presents for the same SNI, print its fingerprint with `openssl x509 -noout -fingerprint -sha256`, and compare ignoring colons and case.'
            : "From a host outside the TLS inspection scope (an inspected client gets the firewall's certificate, whose fingerprint never matches), print the fingerprint and compare ignoring colons and case (`-sha1` for a 40-digit value):",
        command,
      },
    ],
    details: [
      { text: 'Certificate Transparency search sites such as `crt.sh` also look certificates up by SHA-256 fingerprint.' },
      {
        text: 'The same fingerprint on many entries means one certificate behind all of them; servers can present different certificates per name and per address.',
      },
    ],
  };
}
