/**
 * The facts the hovers state, pinned against docs/FORMAT.md: each test below fails on wording the hovers used to
 * have and AWS's pages do not support.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ExplainContext, Explanation, ExplanationSection, FieldPath } from '../../src/core/explain/explanation';
import { explainField } from '../../src/core/explain/fields';
import { hoverAt } from '../../src/core/explain/hover';
import { analyzeLine } from '../../src/core/parse/analyze';
import type { TlsEntry } from '../../src/core/parse/types';
import { REVOKED_ENTRY } from './revokedEntry';

const NOW = Date.parse('2024-02-19T19:50:00Z');
const CONTEXT: ExplainContext = { now: NOW, timeZone: 'UTC' };

const REVOKED: TlsEntry = REVOKED_ENTRY;
const UNKNOWN: TlsEntry = { ...REVOKED, status: 'UNKNOWN', action: 'REJECT' };
const MISMATCH_MESSAGE = 'SNI: test.com Match Failed to server certificate names: a.example.com/a.example.com/www.a.example.com ';
const MISMATCH: TlsEntry = { kind: 'tlsError', sni: 'test.com', destIp: '10.0.1.27', destPort: 443, errorMessage: MISMATCH_MESSAGE };
const NO_SNI: TlsEntry = {
  kind: 'tlsError',
  sni: '-',
  destIp: '10.0.1.27',
  destPort: 443,
  errorMessage: 'Server name is not found in client hello.',
};

function explain(field: FieldPath, raw: unknown, entry?: TlsEntry, context = CONTEXT): Explanation {
  const explanation = explainField(field, entry, raw, context);
  assert.ok(explanation);
  return explanation;
}

function text(sections: readonly ExplanationSection[]): string {
  return sections.map((s) => `${s.heading ?? ''} ${s.text}`).join('\n');
}

/** What the hover shows, and what the entry details add. */
function hoverText(e: Explanation): string {
  return [...e.facts.map((f) => `${f.label}: ${f.value}`), text(e.sections)].join('\n');
}
function allText(e: Explanation): string {
  return `${hoverText(e)}\n${text(e.details ?? [])}`;
}

/** Every explanation that speaks of certificates, revocation or the client's view. */
function certificateExplanations(): Explanation[] {
  return [
    explain('event.revocation_check.status', 'REVOKED', REVOKED),
    explain('event.revocation_check.status', 'REVOKED', { ...REVOKED, action: 'PASS' }),
    explain('event.revocation_check.status', 'UNKNOWN', UNKNOWN),
    explain('event.revocation_check.status', 'UNKNOWN', { ...UNKNOWN, action: 'PASS' }),
    explain('event.revocation_check.action', 'DROP', REVOKED),
    explain('event.revocation_check.action', 'REJECT', UNKNOWN),
    explain('event.revocation_check.action', 'PASS', { ...REVOKED, action: 'PASS' }),
    explain('event.revocation_check.leaf_cert_fpr', REVOKED.leafCertFpr, REVOKED),
    explain('event.revocation_check', {}, REVOKED),
    explain('event.tls_error.error_message', MISMATCH_MESSAGE, MISMATCH),
    explain('event.tls_error.error_message', NO_SNI.errorMessage, NO_SNI),
  ];
}

describe('corrected facts', () => {
  it('a name mismatch: SNI spoofing, a misconfigured server, a wrong host name; not domain fronting, nothing "on purpose"', () => {
    const mismatch = explain('event.tls_error.error_message', MISMATCH_MESSAGE, MISMATCH);
    const hover = hoverText(mismatch);
    assert.match(hover, /SNI spoofing/);
    assert.match(hover, /misconfigured server/);
    assert.match(hover, /wrong host name/);
    assert.doesNotMatch(hover, /domain fronting/i);
    for (const e of certificateExplanations()) assert.doesNotMatch(allText(e), /on purpose/);
    // Where the details name domain fronting, it is to say that it does not cause this error.
    for (const sentence of allText(mismatch).split(/(?<=\.)\s/)) {
      if (/domain fronting/i.test(sentence)) assert.match(sentence, /does not cause/);
    }
  });

  it('the firewall checks the server or an intermediate certificate, and the fingerprint names the leaf', () => {
    for (const e of [
      explain('event.revocation_check.status', 'REVOKED', REVOKED),
      explain('event.revocation_check.status', 'UNKNOWN', UNKNOWN),
      explain('event.revocation_check', {}, REVOKED),
      explain('event.revocation_check.leaf_cert_fpr', 'AB', REVOKED),
    ]) {
      assert.match(hoverText(e), /intermediate/, e.field);
      // "the server's certificate" never stands alone in these hovers.
      for (const at of [...hoverText(e).matchAll(/server's certificate/g)].map((m) => m.index ?? 0)) {
        assert.match(hoverText(e).slice(at, at + 60), /server's certificate or an intermediate/, e.field);
      }
    }
    assert.match(
      hoverText(explain('event.revocation_check.status', 'REVOKED', REVOKED)),
      /`leaf_cert_fpr` names the leaf, which need not be the revoked one/,
    );
  });

  it('UNKNOWN names the documented causes and words the route-table advice as a guess', () => {
    const unknown = explain('event.revocation_check.status', 'UNKNOWN', UNKNOWN);
    const hover = hoverText(unknown);
    for (const cause of [/[Cc]ached/, /OCSP stapling/, /delta CRLs/, /LDAP\/FTP/, /delegated or nonce OCSP/]) assert.match(hover, cause);
    for (const section of [...unknown.sections, ...(unknown.details ?? [])]) {
      if (/route/.test(section.text)) assert.match(`${section.heading ?? ''} ${section.text}`, /guess/);
    }
    assert.doesNotMatch(allText(unknown), /check the route table of the firewall's subnet\)/);
  });

  it("every openssl command carries the entry's values and says to run it outside the inspection scope; no stapling", () => {
    let commands = 0;
    for (const e of certificateExplanations()) {
      assert.doesNotMatch(allText(e), /stapl(es|ed)|-status/, e.field);
      assert.doesNotMatch(allText(e), /<dest_ip>|<sni>/, `${e.field}: placeholders instead of the entry's values`);
      for (const section of e.sections) {
        if (section.command === undefined) continue;
        commands++;
        assert.match(section.text, /outside the TLS inspection scope/, section.command);
        assert.match(
          section.command,
          /^openssl s_client -connect '(54\.92\.160\.72|10\.0\.1\.27):443' -servername '(revoked-rsa-dv\.ssl\.com|test\.com)'/,
        );
      }
      // The one command meant for an inspected client says so.
      for (const section of e.details ?? []) {
        if (section.command !== undefined) assert.match(section.text, /inside the TLS inspection scope|outside the TLS inspection scope/);
      }
    }
    assert.ok(commands >= 4, `${commands} commands`);
  });

  it('DROP and REJECT come after the TLS handshake with the firewall-issued certificate: neither is "no reply" nor "immediate"', () => {
    const drop = [explain('event.revocation_check.action', 'DROP', REVOKED), explain('event.revocation_check.status', 'REVOKED', REVOKED)];
    const reject = [
      explain('event.revocation_check.action', 'REJECT', UNKNOWN),
      explain('event.revocation_check.status', 'UNKNOWN', UNKNOWN),
    ];
    for (const e of drop) {
      assert.match(hoverText(e), /handshake with the firewall-issued certificate/);
      assert.match(hoverText(e), /close_notify/);
      assert.match(hoverText(e), /curl 52: "Empty reply from server"/);
    }
    for (const e of reject) {
      assert.match(hoverText(e), /handshake with the firewall-issued certificate/);
      assert.match(hoverText(e), /TCP reset/);
      assert.match(hoverText(e), /curl 56: "Connection reset by peer"/);
    }
    for (const e of [...drop, ...reject]) assert.doesNotMatch(allText(e), /no reply|[Ii]mmediate/);
  });

  it('an IPv6 client is not called a public client or inbound traffic', () => {
    for (const address of ['2600:1f18:4a3b:9c00::15', '2001:4860:4860::8888']) {
      const e = explain('event.src_ip', address);
      assert.doesNotMatch(allText(e), /Public client|inbound/i, address);
      assert.match(allText(e), /global unicast by design/);
    }
    // An IPv4 public client still gets the note.
    assert.match(allText(explain('event.src_ip', '54.92.160.72')), /Public client/);
    assert.match(allText(explain('event.dest_ip', '10.0.1.254')), /between subnets of the same VPC/);
  });

  it('no exact CloudWatch stream name; at least one endpoint per zone', () => {
    const name = allText(explain('firewall_name', 'egress-fw'));
    assert.doesNotMatch(name, /\/aws\/network-firewall/);
    assert.match(name, /CloudWatch Logs/);
    const zone = allText(explain('availability_zone', 'us-east-1d'));
    assert.match(zone, /at least one endpoint per zone/);
    assert.doesNotMatch(zone, /has one endpoint in each zone/);
  });

  it('two timestamps that disagree are unusual, not proof of an edit', () => {
    const e = explain('event_timestamp', 1708361200, REVOKED);
    const disagreement = e.sections.find((s) => s.heading === 'Disagreement');
    assert.ok(disagreement);
    assert.match(disagreement.text, /unusual/);
    assert.doesNotMatch(disagreement.text, /probably edited|same moment/);
    const [problem] = analyzeLine(
      '{"firewall_name":"f","availability_zone":"us-east-1d","event_timestamp":1708361200,"event":{"src_ip":"10.0.2.53","src_port":"55930","revocation_check":{"leaf_cert_fpr":"x","status":"REVOKED","action":"DROP"},"dest_ip":"54.92.160.72","dest_port":"443","timestamp":"2024-02-19T16:46:29.441824Z","sni":"a.example"}}',
      0,
    ).problems;
    assert.equal(problem.code, 'timestamp-mismatch');
    assert.doesNotMatch(problem.message, /should agree/);
  });

  it('an undocumented action is not attributed to a setting that cannot hold it', () => {
    for (const e of [
      explain('event.revocation_check.action', 'ALLOW', REVOKED),
      explain('event.revocation_check.status', 'REVOKED', { ...REVOKED, action: 'ALLOW' }),
      explain('event.revocation_check.status', 'UNKNOWN', { ...UNKNOWN, action: 'ALLOW' }),
    ]) {
      assert.equal(
        e.facts.find((f) => f.label === 'Decided by'),
        undefined,
        e.field,
      );
      assert.doesNotMatch(allText(e), /decided by `|chose this action|action comes from/i, e.field);
    }
    assert.match(allText(explain('event.revocation_check.action', 'ALLOW', REVOKED)), /allow only PASS, DROP and REJECT/);
  });

  it('non-TLS traffic is not given as a cause of "Server name is not found in client hello."', () => {
    for (const e of [explain('event.tls_error.error_message', NO_SNI.errorMessage, NO_SNI), explain('event.sni', '-', NO_SNI)]) {
      assert.doesNotMatch(allText(e), /not TLS|plain HTTP|SSH|health check/i, e.field);
      assert.match(allText(e), /Old TLS clients/);
    }
  });
});

describe('problem messages name the value', () => {
  const line = (event: string): string =>
    `{"firewall_name":"f","availability_zone":"us-east-1d","event_timestamp":1719943304,"event":{"timestamp":"2024-07-02T18:01:44.412778Z",${event},"sni":"-","tls_error":{"error_message":"Server name is not found in client hello."}}}`;
  const messages = (text: string): string[] => analyzeLine(text, 0).problems.map((p) => p.message);

  it('a port out of range, as a number or a string', () => {
    assert.deepEqual(messages(line('"src_ip":"10.0.2.53","src_port":"59844","dest_ip":"10.0.1.27","dest_port":"70000"')), [
      '"event.dest_port" is 70000: a port must be a whole number from 0 to 65535.',
    ]);
    assert.deepEqual(messages(line('"src_ip":"10.0.2.53","src_port":"4x","dest_ip":"10.0.1.27","dest_port":443.5')), [
      '"event.src_port" is "4x": a port must be a whole number from 0 to 65535.',
      '"event.dest_port" is 443.5: a port must be a whole number from 0 to 65535.',
    ]);
  });

  it('an address that is not one, with the reason where there is one', () => {
    assert.deepEqual(messages(line('"src_ip":"999.1.1.1","src_port":"59844","dest_ip":"10.0.1","dest_port":"443"')), [
      '"event.src_ip" 999.1.1.1 is not an IPv4 or IPv6 address (octet 999 is over 255).',
      '"event.dest_ip" 10.0.1 is not an IPv4 or IPv6 address (3 parts, not 4).',
    ]);
    assert.deepEqual(messages(line('"src_ip":"10.0.2.053","src_port":"59844","dest_ip":"gggg::1","dest_port":"443"')), [
      '"event.src_ip" 10.0.2.053 is not an IPv4 or IPv6 address (octet 053 has a leading zero).',
      '"event.dest_ip" gggg::1 is not an IPv4 or IPv6 address (not a valid IPv6 address).',
    ]);
  });

  it('cuts a long value and shows control characters as escapes', () => {
    const [message] = messages(line(`"src_ip":"${'a'.repeat(300)}\\u001b[31m","src_port":"1","dest_ip":"10.0.1.27","dest_port":"443"`));
    assert.ok(message.length < 120, message);
    assert.match(message, /^"event\.src_ip" a+… is not an IPv4 or IPv6 address\.$/);
    const [escaped] = messages(line('"src_ip":"\\u001b[31mred","src_port":"1","dest_ip":"10.0.1.27","dest_port":"443"'));
    assert.ok(!escaped.includes('\u001b'));
    assert.match(escaped, /\\u001b\[31mred/);
  });
});

describe('hovers on a line with a problem', () => {
  const text =
    '{"firewall_name":"f","availability_zone":"us-east-1d","event_timestamp":1719943304,"event":{"timestamp":"2024-07-02T18:01:44.412778Z","src_ip":"10.0.2.53","src_port":"59844","dest_ip":"10.0.1.27","dest_port":"70000","sni":"-","tls_error":{"error_message":"Server name is not found in client hello."}}}';
  const result = analyzeLine(text, 0);

  it("do not repeat the problem that the editor's own marker hover shows under the cursor", () => {
    const [problem] = result.problems;
    const onIt = hoverAt(text, problem.startColumn + 1, result, CONTEXT);
    assert.ok(onIt);
    assert.doesNotMatch(onIt.markdown, /on this line|a port must be/);
    assert.match(onIt.markdown, /Port/);
  });

  it('still list it when the cursor is elsewhere on the line', () => {
    const elsewhere = hoverAt(text, text.indexOf('"sni"') + 2, result, CONTEXT);
    assert.ok(elsewhere);
    assert.ok(elsewhere.markdown.startsWith('**Problem on this line**'));
    assert.match(elsewhere.markdown, /is 70000\\: a port must be/);
  });
});
