import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { classifyIpAddress, type AddressScope } from '../../src/core/explain/address';
import type { ExplainContext, Explanation, FieldPath } from '../../src/core/explain/explanation';
import { explainField, FIELD_PATHS, fieldPathFromSegments } from '../../src/core/explain/fields';
import { regionOfAvailabilityZone } from '../../src/core/explain/firewall';
import { formatDuration, relativeTime } from '../../src/core/explain/time';
import type { TlsEntry } from '../../src/core/parse/types';
import { REVOKED_ENTRY } from './revokedEntry';

const NOW = Date.parse('2024-02-19T19:50:00Z');
const CONTEXT: ExplainContext = { now: NOW, timeZone: 'America/New_York' };

function explain(field: FieldPath, raw: unknown, entry?: TlsEntry, context: ExplainContext = CONTEXT): Explanation {
  const explanation = explainField(field, entry, raw, context);
  assert.ok(explanation, `no explanation for ${field}`);
  return explanation;
}

/** All of our own prose in an explanation, one string: what the hover shows and the background of the entry details. */
function prose(explanation: Explanation): string {
  return [
    explanation.title,
    ...explanation.facts.map((fact) => `${fact.label}: ${fact.untrusted ? '' : fact.value}`),
    ...[...explanation.sections, ...(explanation.details ?? [])].map((section) => `${section.heading ?? ''} ${section.text}`),
  ].join('\n');
}

function fact(explanation: Explanation, label: string): { value: string; untrusted: boolean } | undefined {
  return explanation.facts.find((f) => f.label === label);
}

function headings(explanation: Explanation): string[] {
  return [...explanation.sections, ...(explanation.details ?? [])].flatMap((section) =>
    section.heading === undefined ? [] : [section.heading],
  );
}

describe('field paths', () => {
  it('maps JSON segments to known field paths', () => {
    assert.equal(fieldPathFromSegments(['event', 'revocation_check', 'status']), 'event.revocation_check.status');
    assert.equal(fieldPathFromSegments(['event_timestamp']), 'event_timestamp');
    assert.equal(fieldPathFromSegments(['event']), 'event');
    assert.equal(fieldPathFromSegments(['event', 'tls', 'sni']), undefined);
    assert.equal(fieldPathFromSegments(['event', 0]), undefined);
    assert.equal(fieldPathFromSegments([]), undefined);
  });

  it('explains every known field, even without an entry or a value', () => {
    for (const field of FIELD_PATHS) {
      const explanation = explainField(field, undefined, undefined, CONTEXT);
      assert.ok(explanation, field);
      assert.equal(explanation.field, field);
      assert.ok(explanation.sections.length > 0, field);
    }
  });

  it('returns undefined for a path it does not know', () => {
    assert.equal(explainField('event.tls.sni' as FieldPath, undefined, 'x', CONTEXT), undefined);
  });

  it('says so when a field has the wrong JSON type', () => {
    const explanation = explain('event.sni', 42);
    assert.match(prose(explanation), /AWS writes this field as a string; on this line it is a number/);
    assert.equal(explanation.value, '42');
  });
});

describe('revocation status', () => {
  it('REVOKED: meaning, the action taken and the setting that decided it', () => {
    const explanation = explain('event.revocation_check.status', 'REVOKED', REVOKED_ENTRY);
    const text = prose(explanation);
    assert.match(text, /has been revoked/);
    assert.match(text, /OCSP responder or certificate revocation list/);
    assert.match(text, /its owner has to install a new certificate/);
    assert.match(text, /\*\*DROP\*\*/);
    assert.match(text, /Empty reply from server/);
    assert.match(text, /decided by `RevokedStatusAction`/);
    assert.deepEqual(fact(explanation, 'Action taken'), { label: 'Action taken', value: 'DROP', untrusted: true });
    assert.equal(fact(explanation, 'Decided by')?.value, '`RevokedStatusAction`');
    assert.equal(explanation.value, 'REVOKED');
  });

  it('REVOKED with PASS asks for action', () => {
    const explanation = explain('event.revocation_check.status', 'REVOKED', { ...REVOKED_ENTRY, action: 'PASS' });
    assert.ok(headings(explanation).includes('Worth acting on'));
    assert.match(prose(explanation), /set `RevokedStatusAction` to DROP or REJECT/);
  });

  it('UNKNOWN: why it is common, what to check, and UnknownStatusAction', () => {
    const entry = { ...REVOKED_ENTRY, status: 'UNKNOWN', action: 'PASS' };
    const explanation = explain('event.revocation_check.status', 'UNKNOWN', entry);
    const text = prose(explanation);
    assert.match(text, /could not find out whether/);
    assert.match(text, /could not be reached/);
    assert.match(text, /answered with an error/);
    assert.match(text, /no record of the certificate/);
    assert.match(text, /which route table applies is a guess/);
    assert.match(text, /\*\*PASS\*\*/);
    assert.match(text, /decided by `UnknownStatusAction`/);
    assert.ok(!headings(explanation).includes('Trade-off'));
  });

  it('UNKNOWN with DROP or REJECT explains failing closed', () => {
    for (const action of ['DROP', 'REJECT']) {
      const explanation = explain('event.revocation_check.status', 'UNKNOWN', { ...REVOKED_ENTRY, status: 'UNKNOWN', action });
      assert.ok(headings(explanation).includes('Trade-off'), action);
    }
  });

  it('an undocumented status is called that', () => {
    const other = explain('event.revocation_check.status', 'EXPIRED', { ...REVOKED_ENTRY, status: 'EXPIRED' });
    assert.ok(headings(other).includes('Not a documented status'));
    assert.match(prose(other), /which action setting applied to it is not known/);
    assert.equal(fact(other, 'Decided by'), undefined);
    const lower = explain('event.revocation_check.status', 'revoked', { ...REVOKED_ENTRY, status: 'revoked' });
    assert.match(prose(lower), /only in letter case/);
  });

  it('without an entry it still names the setting', () => {
    const explanation = explain('event.revocation_check.status', 'UNKNOWN');
    assert.match(prose(explanation), /This entry does not say; `UnknownStatusAction`/);
  });
});

describe('revocation action', () => {
  it('PASS: continues to the stateful engine', () => {
    const explanation = explain('event.revocation_check.action', 'PASS', { ...REVOKED_ENTRY, status: 'UNKNOWN', action: 'PASS' });
    const text = prose(explanation);
    assert.match(text, /stateful engine/);
    assert.match(text, /Because this entry's status is UNKNOWN, the action comes from `UnknownStatusAction`/);
    assert.equal(fact(explanation, 'Decided by')?.value, '`UnknownStatusAction`');
  });

  it('PASS on a revoked certificate warns', () => {
    const explanation = explain('event.revocation_check.action', 'PASS', { ...REVOKED_ENTRY, action: 'PASS' });
    assert.ok(headings(explanation).includes('Worth acting on'));
  });

  it('DROP: closed, dropped, "Empty reply from server"', () => {
    const text = prose(explain('event.revocation_check.action', 'DROP', REVOKED_ENTRY));
    assert.match(text, /closed the connection and dropped any further packets/);
    assert.match(text, /Empty reply from server/);
    assert.match(text, /`RevokedStatusAction`/);
  });

  it('REJECT: TCP reset, "Connection reset by peer", TCP only', () => {
    const text = prose(explain('event.revocation_check.action', 'REJECT', { ...REVOKED_ENTRY, action: 'REJECT' }));
    assert.match(text, /TCP reset/);
    assert.match(text, /Connection reset by peer/);
    assert.match(text, /only for TCP/);
  });

  it('an undocumented action, an undocumented status, and no status', () => {
    assert.ok(headings(explain('event.revocation_check.action', 'ALLOW', REVOKED_ENTRY)).includes('Not a documented action'));
    assert.match(prose(explain('event.revocation_check.action', 'drop', REVOKED_ENTRY)), /only in letter case/);
    assert.match(prose(explain('event.revocation_check.action', 'DROP', { ...REVOKED_ENTRY, status: 'WEIRD' })), /not clear whether/);
    assert.match(prose(explain('event.revocation_check.action', 'DROP')), /this entry has no status/);
  });
});

describe('TLS error message', () => {
  const field = 'event.tls_error.error_message';

  it('no SNI: meaning, causes, what to check', () => {
    const entry: TlsEntry = { kind: 'tlsError', sni: '-', errorMessage: 'Server name is not found in client hello.' };
    const explanation = explain(field, entry.errorMessage, entry);
    const text = prose(explanation);
    assert.match(text, /had no Server Name Indication/);
    assert.match(text, /reset the connection/);
    assert.match(text, /Old TLS clients/);
    assert.match(text, /connect to an IP address/);
    assert.doesNotMatch(text, /not TLS at all/);
    assert.ok(!headings(explanation).includes('Disagreement'));
  });

  it('no SNI while event.sni holds one: says they disagree', () => {
    const entry: TlsEntry = { kind: 'tlsError', sni: 'a.example', errorMessage: 'Server name is not found in client hello.' };
    const explanation = explain(field, entry.errorMessage, entry);
    const disagreement = explanation.sections.find((s) => s.heading === 'Disagreement');
    assert.deepEqual(disagreement?.values, ['a.example']);
  });

  it('mismatch: parsed SNI, distinct names, no match, agreement with event.sni, causes', () => {
    const message =
      'SNI: test.com Match Failed to server certificate names: aaacertificateservices.comodoca.com/aaacertificateservices.comodoca.com/www.aaacertificateservices.comodoca.com ';
    const explanation = explain(field, message, {
      kind: 'tlsError',
      sni: 'test.com',
      errorMessage: message,
      destIp: '10.0.1.27',
      destPort: 443,
    });
    assert.deepEqual(fact(explanation, 'SNI in the message'), { label: 'SNI in the message', value: 'test.com', untrusted: true });
    assert.match(fact(explanation, 'Certificate names')?.value ?? '', /^2 distinct names \(3 listed/);
    assert.equal(fact(explanation, 'Agrees with `event.sni`')?.value, 'yes');
    const names = explanation.sections.find((s) => s.heading === 'Names on the certificate');
    assert.deepEqual(names?.values, ['aaacertificateservices.comodoca.com', 'www.aaacertificateservices.comodoca.com']);
    assert.ok(headings(explanation).includes('No name matches'));
    const text = prose(explanation);
    assert.match(text, /SNI spoofing/);
    assert.match(text, /misconfigured server/);
    assert.match(text, /wrong host name/);
    assert.equal(
      explanation.sections.find((s) => s.heading === 'What to check')?.command,
      "openssl s_client -connect '10.0.1.27:443' -servername 'test.com' </dev/null | openssl x509 -noout -subject -ext subjectAltName",
    );
  });

  it('mismatch where a name would match (case, trailing dot) is called surprising', () => {
    const message = 'SNI: WWW.Example.com Match Failed to server certificate names: example.com/*.example.com ';
    const explanation = explain(field, message, { kind: 'tlsError', sni: 'www.example.com.', errorMessage: message });
    const match = explanation.sections.find((s) => s.heading === 'A name would have matched');
    assert.deepEqual(match?.values, ['*.example.com']);
    assert.match(match?.text ?? '', /surprising/);
    assert.equal(fact(explanation, 'Agrees with `event.sni`')?.value, 'only when case and a trailing dot are ignored');
  });

  it('mismatch explains wildcards that cover one label only', () => {
    const bare = explain(field, 'SNI: example.com Match Failed to server certificate names: *.example.com ');
    assert.ok(bare.sections.some((s) => /does not cover the bare domain/.test(s.text) && s.values?.[0] === '*.example.com'));
    const deep = explain(
      field,
      'SNI: my.bucket.s3.amazonaws.com Match Failed to server certificate names: s3.amazonaws.com/*.s3.amazonaws.com ',
    );
    assert.ok(deep.sections.some((s) => /more than one label/.test(s.text) && s.values?.[0] === '*.s3.amazonaws.com'));
  });

  it('mismatch whose SNI differs from event.sni shows both values', () => {
    const message = 'SNI: a.example Match Failed to server certificate names: b.example ';
    const explanation = explain(field, message, { kind: 'tlsError', sni: 'c.example', errorMessage: message });
    assert.equal(fact(explanation, 'Agrees with `event.sni`')?.value, 'no');
    assert.deepEqual(explanation.sections.find((s) => s.heading === 'Disagreement')?.values, ['a.example', 'c.example']);
  });

  it('an undocumented message is shown as written and called undocumented', () => {
    const explanation = explain(field, 'Handshake failure: bad record MAC');
    assert.equal(explanation.value, 'Handshake failure: bad record MAC');
    assert.equal(fact(explanation, 'Meaning')?.value, 'not a documented message');
    assert.match(prose(explanation), /not one of the two messages AWS documents/);
    const almost = explain(field, 'SNI: a.example match failed');
    assert.match(prose(almost), /starts like the certificate-name mismatch message/);
  });
});

describe('timestamps', () => {
  it('event_timestamp: UTC, New York time, age, agreement', () => {
    const explanation = explain('event_timestamp', 1708361189, REVOKED_ENTRY);
    assert.equal(fact(explanation, 'UTC')?.value, '2024-02-19 16:46:29 UTC');
    assert.equal(fact(explanation, 'Local time')?.value, '2024-02-19 11:46:29 UTC-05:00 (`America/New_York`)');
    assert.equal(fact(explanation, 'Age')?.value, '3 hours ago');
    assert.ok(headings(explanation).includes('Agreement'));
  });

  it('event.timestamp keeps its microseconds, and daylight saving time shows', () => {
    const explanation = explain(
      'event.timestamp',
      '2024-07-02T18:01:44.412778Z',
      { ...REVOKED_ENTRY, eventTimestamp: 1719943304 },
      {
        now: Date.parse('2024-06-30T18:01:44Z'),
        timeZone: 'America/New_York',
      },
    );
    assert.equal(fact(explanation, 'UTC')?.value, '2024-07-02 18:01:44.412778 UTC');
    assert.equal(fact(explanation, 'Local time')?.value, '2024-07-02 14:01:44.412778 UTC-04:00 (`America/New_York`)');
    assert.equal(fact(explanation, 'Age')?.value, 'in 2 days');
    assert.ok(headings(explanation).includes('Agreement'));
  });

  it('reports a disagreement and by how much', () => {
    const entry = { ...REVOKED_ENTRY, eventTimestamp: 1708361189 + 125 };
    const fromSeconds = explain('event_timestamp', entry.eventTimestamp, entry);
    const disagreement = fromSeconds.sections.find((s) => s.heading === 'Disagreement');
    assert.match(disagreement?.text ?? '', /by 2 minutes 5 seconds; `event_timestamp` is the later one/);
    const fromIso = explain('event.timestamp', entry.timestamp, entry);
    assert.match(
      fromIso.sections.find((s) => s.heading === 'Disagreement')?.text ?? '',
      /Differs from `event_timestamp` by 2 minutes 5 seconds/,
    );
  });

  it('a one-second difference across the second boundary is a disagreement', () => {
    const entry = { ...REVOKED_ENTRY, timestamp: '2024-02-19T16:46:28.999999Z', timeMs: Date.parse('2024-02-19T16:46:28.999Z') };
    assert.ok(headings(explain('event_timestamp', 1708361189, entry)).includes('Disagreement'));
  });

  it('notes the alert/flow spellings', () => {
    assert.ok(headings(explain('event_timestamp', '1708361189', REVOKED_ENTRY)).includes('Spelling'));
    const offset = explain('event.timestamp', '2024-02-19T16:46:29.441824+0000', REVOKED_ENTRY);
    assert.ok(headings(offset).includes('Spelling'));
    assert.equal(fact(offset, 'UTC')?.value, '2024-02-19 16:46:29.441824 UTC');
  });

  it('says when a time cannot be read', () => {
    assert.match(prose(explain('event.timestamp', 'yesterday')), /not an ISO 8601 time/);
    assert.match(prose(explain('event.timestamp', '2024-02-30T00:00:00Z')), /not an ISO 8601 time/);
    assert.match(prose(explain('event_timestamp', 1.5)), /not a whole number of seconds/);
    assert.match(prose(explain('event_timestamp', true)), /AWS writes this field as a whole number of seconds/);
    assert.match(prose(explain('event_timestamp', 1e20)), /not a usable time/);
  });

  it('leaves local time out for UTC and says so for an unknown zone', () => {
    assert.equal(fact(explain('event_timestamp', 1708361189, undefined, { now: NOW, timeZone: 'UTC' }), 'Local time'), undefined);
    assert.match(
      fact(explain('event_timestamp', 1708361189, undefined, { now: NOW, timeZone: 'Mars/Olympus' }), 'Local time')?.value ?? '',
      /unknown time zone/,
    );
  });

  it('relative time and durations', () => {
    assert.equal(relativeTime(NOW - 3 * 3600_000 - 59_000, NOW), '3 hours ago');
    assert.equal(relativeTime(NOW + 2 * 86400_000 + 1000, NOW), 'in 2 days');
    assert.equal(relativeTime(NOW - 400, NOW), 'now');
    assert.equal(relativeTime(NOW - 45_000, NOW), '45 seconds ago');
    assert.equal(relativeTime(NOW - 400 * 86400_000, NOW), '1 year ago');
    assert.equal(formatDuration(125_000), '2 minutes 5 seconds');
    assert.equal(formatDuration(-3_600_000), '1 hour');
    assert.equal(formatDuration(90_061_000), '1 day 1 hour');
    assert.equal(formatDuration(250), '250 ms');
  });
});

describe('ports', () => {
  it('names well-known services', () => {
    const cases: Array<[string, RegExp]> = [
      ['443', /^HTTPS/],
      ['80', /^HTTP \(/],
      ['8443', /^HTTPS, alternative/],
      ['853', /^DNS over TLS/],
      ['993', /IMAPS/],
      ['995', /POP3S/],
      ['465', /SMTPS/],
      ['587', /STARTTLS/],
      ['636', /LDAPS/],
      ['5671', /AMQP/],
      ['22', /SSH \(not TLS\)/],
      ['25', /^SMTP/],
      ['53', /DNS \(not TLS\)/],
      ['3389', /RDP/],
    ];
    for (const [port, expected] of cases) {
      assert.match(fact(explain('event.dest_port', port), 'Usual service')?.value ?? '', expected, port);
    }
    assert.equal(fact(explain('event.dest_port', '12345'), 'Usual service')?.value, 'none commonly known');
  });

  it('explains ephemeral source ports', () => {
    const range = (port: string): string => explain('event.src_port', port).sections.find((s) => s.heading === 'Range')?.text ?? '';
    assert.match(range('55930'), /Linux's default client port range .* and in the IANA dynamic range/);
    assert.match(range('40000'), /Linux's default/);
    assert.doesNotMatch(range('40000'), /IANA/);
    assert.match(range('62000'), /IANA dynamic range/);
    assert.doesNotMatch(range('62000'), /Linux/);
    assert.match(range('5000'), /Below the usual client port ranges/);
    assert.match(range('443'), /well-known port \(HTTPS\) used as a source port/);
  });

  it('states invalid ports', () => {
    for (const raw of ['70000', 'abc', '', '-1', 65536, -1, 1.5, '4 43']) {
      const explanation = explain('event.dest_port', raw);
      assert.ok(headings(explanation).includes('Not a valid port'), String(raw));
    }
    assert.ok(headings(explain('event.dest_port', '0')).includes('Port 0'));
    assert.equal(fact(explain('event.dest_port', '65535'), 'Usual service')?.value, 'none (a dynamic/ephemeral port)');
  });

  it('accepts number ports, noting the spelling', () => {
    const explanation = explain('event.dest_port', 443);
    assert.ok(headings(explanation).includes('Spelling'));
    assert.match(fact(explanation, 'Usual service')?.value ?? '', /^HTTPS/);
  });
});

describe('addresses', () => {
  const v4: Array<[string, AddressScope]> = [
    ['10.0.2.53', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['172.32.0.1', 'public'],
    ['54.92.160.72', 'public'],
    ['8.8.8.8', 'public'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'linkLocal'],
    ['224.0.0.251', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
  ];
  const v6: Array<[string, AddressScope]> = [
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fd00:ec2::254', 'private'],
    ['fc00::1', 'private'],
    ['fe80::1', 'linkLocal'],
    ['febf::1', 'linkLocal'],
    ['fec0::1', 'reserved'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['3fff:fff::1', 'documentation'],
    ['2001:2::1', 'benchmarking'],
    ['2600:1f18::1', 'public'],
    ['2a00:1450:4001:82a::200e', 'public'],
    ['::ffff:10.0.0.1', 'ipv4Mapped'],
    ['::ffff:a00:1', 'ipv4Mapped'],
    ['64:ff9b::8.8.8.8', 'nat64'],
    ['::10.0.0.1', 'reserved'],
    ['4000::1', 'reserved'],
    ['1:2:3:4:5:6:7::', 'reserved'],
  ];
  for (const [address, scope] of v4) {
    it(`IPv4 ${address} is ${scope}`, () => {
      const kind = classifyIpAddress(address);
      assert.equal(kind?.version, 4);
      assert.equal(kind?.scope, scope);
    });
  }
  for (const [address, scope] of v6) {
    it(`IPv6 ${address} is ${scope}`, () => {
      const kind = classifyIpAddress(address);
      assert.equal(kind?.version, 6);
      assert.equal(kind?.scope, scope);
    });
  }

  it('refuses what is not an address', () => {
    for (const text of [
      '',
      '10.0.0',
      '10.0.0.256',
      '010.0.0.1',
      '1.2.3.4.5',
      'a.b.c.d',
      '::1::',
      '1:2:3:4:5:6:7:8:9',
      '12345::',
      'gggg::1',
      '1.2.3.4::',
      'fe80::1%',
      'example.com',
      ' 10.0.0.1',
    ]) {
      assert.equal(classifyIpAddress(text), undefined, JSON.stringify(text));
    }
  });

  it('reads the IPv4 address inside mapped and NAT64 addresses, and a zone ID', () => {
    const mapped = classifyIpAddress('::ffff:10.0.0.1');
    assert.equal(mapped?.embedded?.address, '10.0.0.1');
    assert.equal(mapped?.embedded?.classification.scope, 'private');
    assert.equal(classifyIpAddress('::ffff:a00:1')?.embedded?.address, '10.0.0.1');
    const nat64 = classifyIpAddress('64:ff9b::8.8.8.8');
    assert.equal(nat64?.embedded?.classification.scope, 'public');
    assert.match(nat64?.note ?? '', /NAT gateway with DNS64/);
    assert.equal(classifyIpAddress('fe80::1%eth0')?.zone, 'eth0');
    // Our notes describe the embedded address without quoting it; the address itself is data.
    assert.ok(!mapped?.note.includes('10.0.0.1'));
    assert.ok(!nat64?.note.includes('8.8.8.8'));
  });

  it('names AWS link-local services', () => {
    assert.match(classifyIpAddress('169.254.169.254')?.note ?? '', /instance metadata service/);
    assert.match(classifyIpAddress('169.254.169.253')?.note ?? '', /Amazon DNS/);
    assert.match(classifyIpAddress('fd00:ec2::123')?.note ?? '', /Time Sync/);
  });

  it('explains an address field in words', () => {
    const source = explain('event.src_ip', '10.0.2.53');
    assert.equal(fact(source, 'Kind')?.value, 'IPv4, private (RFC 1918)');
    assert.match(prose(source), /client that opened the connection/);
    const server = explain('event.dest_ip', '::ffff:54.92.160.72');
    assert.equal(fact(server, 'IPv4 address inside')?.value, '54.92.160.72');
    assert.match(fact(server, 'Kind')?.value ?? '', /^IPv6, IPv4-mapped/);
    assert.ok(headings(explain('event.src_ip', '54.92.160.72')).includes('Public client'));
    assert.ok(headings(explain('event.dest_ip', '10.0.1.27')).includes('Private server'));
    assert.ok(headings(explain('event.dest_ip', '10.0.1.300')).includes('Not an address'));
  });
});

describe('SNI', () => {
  it('"-" means no SNI, with the count of such entries', () => {
    const context = { ...CONTEXT, sniCount: (sni: string) => (sni === '-' ? 7 : 0) };
    const explanation = explain(
      'event.sni',
      '-',
      { kind: 'tlsError', sni: '-', errorMessage: 'Server name is not found in client hello.' },
      context,
    );
    assert.match(prose(explanation), /client hello carried no SNI/);
    assert.match(prose(explanation), /resets the connection/);
    assert.equal(fact(explanation, 'Entries without SNI in this file')?.value, '7');
    assert.ok(!headings(explanation).includes('Disagreement'));
    const odd = explain('event.sni', '-', {
      kind: 'tlsError',
      sni: '-',
      errorMessage: 'SNI: - Match Failed to server certificate names: x ',
    });
    assert.ok(headings(odd).includes('Disagreement'));
  });

  it('a host name: what it is, and how often it appears', () => {
    const context = { ...CONTEXT, sniCount: (sni: string) => (sni === 'www.example.com' ? 12 : 0) };
    const explanation = explain('event.sni', 'www.example.com', undefined, context);
    assert.match(prose(explanation), /host name the client asked for/);
    assert.equal(fact(explanation, 'Entries with this SNI in this file')?.value, '12');
    assert.deepEqual(headings(explanation), []);
  });

  it('flags addresses, odd characters and other oddities', () => {
    assert.ok(headings(explain('event.sni', '10.0.0.1')).includes('An IP address'));
    assert.ok(headings(explain('event.sni', '2001:db8::1')).includes('An IP address'));
    const odd = explain('event.sni', 'evil.com](x) `y`');
    const section = odd.sections.find((s) => s.heading === 'Unusual characters');
    assert.deepEqual(section?.values, ['] (U+005D)', '( (U+0028)', ') (U+0029)', '  (U+0020)', '` (U+0060)']);
    const underscore = explain('event.sni', 'my_host.example.com');
    assert.match(underscore.sections.find((s) => s.heading === 'Unusual characters')?.text ?? '', /Contains `_`/);
    assert.ok(headings(explain('event.sni', 'example.com.')).includes('Trailing dot'));
    assert.ok(headings(explain('event.sni', 'a..example.com')).includes('Empty label'));
    assert.ok(headings(explain('event.sni', `${'a'.repeat(64)}.example.com`)).includes('Too long'));
    assert.ok(headings(explain('event.sni', 'intranet')).includes('Single label'));
    assert.ok(headings(explain('event.sni', '')).includes('Empty'));
    assert.match(prose(explain('event.sni', 'WWW.Example.com')), /capital letters/);
  });

  it('shows internationalised names in Unicode', () => {
    const explanation = explain('event.sni', 'xn--mnchen-3ya.de');
    assert.deepEqual(fact(explanation, 'As Unicode'), { label: 'As Unicode', value: 'münchen.de', untrusted: true });
    assert.ok(headings(explanation).includes('Internationalised name'));
  });
});

describe('other fields', () => {
  it('leaf_cert_fpr: what it is and how to find the certificate', () => {
    const explanation = explain('event.revocation_check.leaf_cert_fpr', 'AB'.repeat(32));
    assert.match(prose(explanation), /leaf certificate/);
    assert.match(prose(explanation), /openssl x509 -noout -fingerprint -sha256/);
    assert.match(fact(explanation, 'Length')?.value ?? '', /SHA-256/);
    assert.equal(fact(explain('event.revocation_check.leaf_cert_fpr', '1234567890EXAMPLE0987654321'), 'Length'), undefined);
  });

  it('firewall_name', () => {
    const explanation = explain('firewall_name', 'egress-fw');
    assert.match(prose(explanation), /firewall whose endpoint logged this entry/);
    assert.equal(explanation.value, 'egress-fw');
  });

  it('availability_zone: the Region', () => {
    assert.deepEqual(regionOfAvailabilityZone('us-east-1d'), { region: 'us-east-1', localZone: false });
    assert.deepEqual(regionOfAvailabilityZone('us-gov-west-1a'), { region: 'us-gov-west-1', localZone: false });
    assert.deepEqual(regionOfAvailabilityZone('ap-southeast-2b'), { region: 'ap-southeast-2', localZone: false });
    assert.deepEqual(regionOfAvailabilityZone('us-west-2-lax-1a'), { region: 'us-west-2', localZone: true });
    assert.equal(regionOfAvailabilityZone('us-east-1'), undefined);
    assert.equal(regionOfAvailabilityZone('mars'), undefined);
    const explanation = explain('availability_zone', 'us-east-1d');
    assert.deepEqual(fact(explanation, 'Region'), { label: 'Region', value: 'us-east-1', untrusted: true });
    assert.match(prose(explain('availability_zone', 'somewhere')), /no Region can be read/);
  });

  it('objects summarise the entry', () => {
    const event = explain('event', {}, REVOKED_ENTRY);
    assert.equal(fact(event, 'Kind')?.value, 'revocation check failure');
    assert.equal(fact(event, 'Client')?.value, '10.0.2.53:55930');
    assert.equal(fact(event, 'When')?.value, '2024-02-19 16:46:29 UTC, 3 hours ago');
    assert.equal(event.value, undefined);
    const revocation = explain('event.revocation_check', {}, REVOKED_ENTRY);
    assert.equal(fact(revocation, 'Status')?.value, 'REVOKED');
    assert.match(prose(revocation), /checks that pass are not logged/);
    const tlsError: TlsEntry = {
      kind: 'tlsError',
      srcIp: '2001:db8::5',
      srcPort: 50000,
      sni: '-',
      errorMessage: 'Server name is not found in client hello.',
    };
    const error = explain('event.tls_error', {}, tlsError);
    assert.equal(fact(error, 'Error')?.value, 'no SNI in the client hello');
    assert.equal(fact(error, 'Client')?.value, '[2001:db8::5]:50000');
    assert.match(prose(explain('event', {})), /could not be read as a TLS log entry/);
  });
});

describe('trust boundary', () => {
  const MARK = 'EVIL](command:x)<b>`';
  const hostile: TlsEntry = {
    kind: 'tlsError',
    firewallName: MARK,
    availabilityZone: MARK,
    srcIp: MARK,
    destIp: MARK,
    sni: MARK,
    errorMessage: `SNI: ${MARK} Match Failed to server certificate names: ${MARK}/*.${MARK}`,
    status: MARK,
    action: MARK,
    leafCertFpr: MARK,
    timestamp: MARK,
  };
  it('no log value ever lands in our own prose', () => {
    for (const field of FIELD_PATHS) {
      for (const raw of [MARK, `SNI: ${MARK} Match Failed to server certificate names: ${MARK}`, { nested: MARK }]) {
        for (const entry of [hostile, { ...hostile, kind: 'revocation' as const }, undefined]) {
          const explanation = explainField(field, entry, raw, { ...CONTEXT, timeZone: MARK });
          assert.ok(explanation);
          assert.ok(!prose(explanation).includes('EVIL'), `${field}: ${prose(explanation)}`);
        }
      }
    }
  });
});
