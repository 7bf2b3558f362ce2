import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeLine } from '../../src/core/parse/analyze';
import { readLogFile } from '../../src/core/read/lines';
import { PROBLEM_CATALOG } from '../../src/core/parse/problems';
import type { LineResult, Problem, ProblemCode, Severity } from '../../src/core/parse/types';
import { random } from './random';

// The two entries printed in docs/FORMAT.md ("One entry per line"), verbatim.
const TLS_ERROR =
  '{"firewall_name":"firewall-tls-test","availability_zone":"us-east-1d","event_timestamp":1719943304,"event":{"timestamp":"2024-07-02T18:01:44.412778Z","src_ip":"10.0.2.53","src_port":"59844","dest_ip":"10.0.1.27","dest_port":"443","sni":"-","tls_error":{"error_message":"Server name is not found in client hello."}}}';
const REVOCATION =
  '{"firewall_name":"egress-fw","availability_zone":"us-east-1d","event_timestamp":1708361189,"event":{"src_ip":"10.0.2.53","src_port":"55930","revocation_check":{"leaf_cert_fpr":"1234567890EXAMPLE0987654321","status":"REVOKED","action":"DROP"},"dest_ip":"54.92.160.72","dest_port":"443","timestamp":"2024-02-19T16:46:29.441824Z","sni":"revoked-rsa-dv.ssl.com"}}';

const MISMATCH_MESSAGE =
  'SNI: test.com Match Failed to server certificate names: aaacertificateservices.comodoca.com/aaacertificateservices.comodoca.com/www.aaacertificateservices.comodoca.com ';

/** Replaces exactly one occurrence of `from` (the test fails if there is not exactly one). */
function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  assert.ok(at >= 0, `fixture does not contain ${from}`);
  assert.equal(text.indexOf(from, at + 1), -1, `fixture contains ${from} more than once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** The text a problem's range covers. */
function covered(text: string, p: Problem): string {
  return text.slice(p.startColumn, p.endColumn);
}

/** Every problem lies on its line, inside the text, and is non-empty unless the line is. */
function assertSaneRanges(text: string, result: LineResult, line: number): void {
  assert.ok(Array.isArray(result.problems));
  for (const p of result.problems) {
    assert.equal(p.line, line);
    assert.ok(Number.isInteger(p.startColumn) && Number.isInteger(p.endColumn), 'integer columns');
    if (text.length === 0) {
      assert.equal(p.startColumn, 0);
      assert.equal(p.endColumn, 0);
    } else {
      assert.ok(p.startColumn >= 0, `start ${p.startColumn} >= 0`);
      assert.ok(p.startColumn < p.endColumn, `start ${p.startColumn} < end ${p.endColumn}`);
      assert.ok(p.endColumn <= text.length, `end ${p.endColumn} <= length ${text.length}`);
    }
    assert.ok(p.code in PROBLEM_CATALOG, `known code ${p.code}`);
    assert.ok(['error', 'warning', 'information'].includes(p.severity));
    assert.equal(typeof p.message, 'string');
    assert.ok(p.message.length > 0);
  }
}

function analyze(text: string, line = 0): LineResult {
  const result = analyzeLine(text, line);
  assertSaneRanges(text, result, line);
  return result;
}

/** Asserts the line has exactly one problem and returns it. */
function single(text: string, line = 0): { problem: Problem; result: LineResult } {
  const result = analyze(text, line);
  assert.equal(result.problems.length, 1, `expected one problem, got ${JSON.stringify(result.problems, null, 1)}`);
  return { problem: result.problems[0], result };
}

function codes(result: LineResult): ProblemCode[] {
  return result.problems.map((p) => p.code);
}

describe('analyzeLine: the documented examples', () => {
  it('reads the TLS error example into an entry with every field and no problems', () => {
    const result = analyze(TLS_ERROR, 3);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.entry, {
      kind: 'tlsError',
      firewallName: 'firewall-tls-test',
      availabilityZone: 'us-east-1d',
      eventTimestamp: 1719943304,
      timestamp: '2024-07-02T18:01:44.412778Z',
      timeMs: Date.UTC(2024, 6, 2, 18, 1, 44, 412),
      srcIp: '10.0.2.53',
      srcPort: 59844,
      destIp: '10.0.1.27',
      destPort: 443,
      sni: '-',
      errorMessage: 'Server name is not found in client hello.',
    });
  });

  it('reads the revocation example into an entry with every field and no problems', () => {
    const result = analyze(REVOCATION);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.entry, {
      kind: 'revocation',
      firewallName: 'egress-fw',
      availabilityZone: 'us-east-1d',
      eventTimestamp: 1708361189,
      timestamp: '2024-02-19T16:46:29.441824Z',
      timeMs: Date.UTC(2024, 1, 19, 16, 46, 29, 441),
      srcIp: '10.0.2.53',
      srcPort: 55930,
      destIp: '54.92.160.72',
      destPort: 443,
      sni: 'revoked-rsa-dv.ssl.com',
      status: 'REVOKED',
      action: 'DROP',
      leafCertFpr: '1234567890EXAMPLE0987654321',
    });
  });

  it('gives ports as numbers and timeMs within the second of event_timestamp', () => {
    for (const text of [TLS_ERROR, REVOCATION]) {
      const entry = analyze(text).entry!;
      assert.equal(typeof entry.srcPort, 'number');
      assert.equal(typeof entry.destPort, 'number');
      assert.equal(Math.floor(entry.timeMs! / 1000), entry.eventTimestamp);
    }
  });

  it('reads the documented certificate-mismatch message without problems when the SNI agrees', () => {
    const text = edit(edit(TLS_ERROR, '"sni":"-"', '"sni":"test.com"'), 'Server name is not found in client hello.', MISMATCH_MESSAGE);
    const result = analyze(text);
    assert.deepEqual(result.problems, []);
    assert.equal(result.entry?.errorMessage, MISMATCH_MESSAGE);
    assert.equal(result.entry?.sni, 'test.com');
  });
});

describe('analyzeLine: tolerated spellings', () => {
  it('reads the pretty-spaced spelling the docs print', () => {
    const pretty = JSON.stringify(JSON.parse(TLS_ERROR), null, 1).replace(/\n\s*/g, ' ');
    assert.match(pretty, /^\{ "firewall_name": "firewall-tls-test", /);
    const result = analyze(pretty);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.entry, analyze(TLS_ERROR).entry);
  });

  it('reads the pretty spelling with tabs and spaces around every token', () => {
    const spaced =
      '\t{ "firewall_name" : "fw" ,\t"availability_zone" : "us-east-1d" , "event_timestamp" : 1719943304 , "event" : { "timestamp" : "2024-07-02T18:01:44.412778Z" , "src_ip" : "10.0.2.53" , "src_port" : "59844" , "dest_ip" : "10.0.1.27" , "dest_port" : "443" , "sni" : "-" , "tls_error" : { "error_message" : "Server name is not found in client hello." } } }\t ';
    const result = analyze(spaced);
    assert.deepEqual(result.problems, []);
    assert.equal(result.entry?.firewallName, 'fw');
  });

  it('reads any key order (keys reversed at every level)', () => {
    const reverse = (v: unknown): unknown => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
      return Object.fromEntries(
        Object.entries(v)
          .reverse()
          .map(([k, x]) => [k, reverse(x)]),
      );
    };
    for (const text of [TLS_ERROR, REVOCATION]) {
      const reversed = JSON.stringify(reverse(JSON.parse(text)));
      assert.notEqual(reversed, text);
      const result = analyze(reversed);
      assert.deepEqual(result.problems, []);
      assert.deepEqual(result.entry, analyze(text).entry);
    }
  });

  it('tolerates a trailing \\r (CRLF files), trailing and leading white space', () => {
    for (const text of [TLS_ERROR + '\r', TLS_ERROR + '   \t', '  ' + TLS_ERROR, REVOCATION + ' \r']) {
      const result = analyze(text);
      assert.deepEqual(result.problems, [], JSON.stringify(text.slice(-5)));
      assert.ok(result.entry);
    }
  });

  it('keeps ranges exact when a CRLF line has a problem', () => {
    const text = edit(TLS_ERROR, '"dest_port":"443"', '"dest_port":"70000"') + '\r';
    const { problem } = single(text);
    assert.equal(covered(text, problem), '"70000"');
  });

  it('returns no entry and no problems for blank lines', () => {
    for (const text of ['', ' ', '\t', '\r', ' \t \r', '\uFEFF', '\uFEFF  ']) {
      const result = analyze(text);
      assert.deepEqual(result, { problems: [] }, JSON.stringify(text));
    }
  });

  it('ignores extra fields, including the alert/flow fields and nested objects', () => {
    const text = edit(
      TLS_ERROR,
      '"sni":"-"',
      '"sni":"-","flow_id":1234567,"event_type":"tls","proto":"TCP","app_proto":"tls","extra":{"a":[1,{"b":null}],"c":true}',
    );
    const result = analyze(edit(text, '"firewall_name"', '"something_new":[],"firewall_name"'));
    assert.deepEqual(result.problems, []);
    assert.equal(result.entry?.kind, 'tlsError');
  });

  it('does not validate the shape of leaf_cert_fpr', () => {
    for (const fpr of ['ab:cd:ef:01', 'sha256/AbC+/=', '🔒 not hex at all', 'x'.repeat(5000), '-']) {
      const text = edit(REVOCATION, '"1234567890EXAMPLE0987654321"', JSON.stringify(fpr));
      const result = analyze(text);
      assert.deepEqual(result.problems, [], fpr.slice(0, 20));
      assert.equal(result.entry?.leafCertFpr, fpr);
    }
  });

  it('reports an undocumented error message as information and still produces the entry', () => {
    const text = edit(TLS_ERROR, 'Server name is not found in client hello.', 'Handshake failed: internal error 42');
    const { problem, result } = single(text);
    assert.equal(problem.code, 'unknown-error-message');
    assert.equal(problem.severity, 'information');
    assert.equal(covered(text, problem), '"Handshake failed: internal error 42"');
    assert.equal(result.entry?.kind, 'tlsError');
    assert.equal(result.entry?.errorMessage, 'Handshake failed: internal error 42');
    assert.equal(result.entry?.destPort, 443);
  });

  it('accepts the UNKNOWN status and the PASS and REJECT actions', () => {
    for (const [status, action] of [
      ['UNKNOWN', 'PASS'],
      ['REVOKED', 'REJECT'],
      ['UNKNOWN', 'DROP'],
    ]) {
      const text = edit(edit(REVOCATION, '"status":"REVOKED"', `"status":"${status}"`), '"action":"DROP"', `"action":"${action}"`);
      const result = analyze(text);
      assert.deepEqual(result.problems, []);
      assert.equal(result.entry?.status, status);
      assert.equal(result.entry?.action, action);
    }
  });

  it('copies the line number into every problem', () => {
    const text = edit(TLS_ERROR, '"10.0.1.27"', '"nope"');
    assert.equal(single(text, 41).problem.line, 41);
    assert.equal(single('{', 7).problem.line, 7);
  });

  it('reads a SNI that contains the mismatch separator without claiming the SNIs disagree', () => {
    const sni = 'evil Match Failed to server certificate names: x';
    const message = `SNI: ${sni} Match Failed to server certificate names: good.example.com `;
    const text = edit(edit(TLS_ERROR, '"sni":"-"', `"sni":${JSON.stringify(sni)}`), 'Server name is not found in client hello.', message);
    const result = analyze(text);
    assert.deepEqual(result.problems, []);
    assert.equal(result.entry?.sni, sni);
  });
});

interface Case {
  name: string;
  text: string;
  code: ProblemCode;
  severity: Severity;
  /** The exact text the range covers. */
  covers: string;
  /** Where `covers` starts, when it occurs more than once in the line. */
  at?: number;
  /** Whether an entry is still produced. */
  entry: boolean;
}

const noFirewall = edit(TLS_ERROR, '"firewall_name":"firewall-tls-test",', '');
const noEvent = '{"firewall_name":"fw","availability_zone":"us-east-1d","event_timestamp":1719943304}';
const noKind = edit(TLS_ERROR, ',"tls_error":{"error_message":"Server name is not found in client hello."}', '');

const CASES: Case[] = [
  { name: 'not an object: array', text: '[1,2,3]', code: 'not-an-object', severity: 'error', covers: '[1,2,3]', entry: false },
  {
    name: 'not an object: string with spaces around',
    text: '  "text" ',
    code: 'not-an-object',
    severity: 'error',
    covers: '"text"',
    entry: false,
  },
  { name: 'not an object: number', text: '42', code: 'not-an-object', severity: 'error', covers: '42', entry: false },
  { name: 'not an object: null', text: 'null', code: 'not-an-object', severity: 'error', covers: 'null', entry: false },
  {
    name: 'missing top-level field marks the whole entry',
    text: noFirewall,
    code: 'missing-field',
    severity: 'error',
    covers: noFirewall,
    entry: true,
  },
  { name: 'missing event marks the whole entry', text: noEvent, code: 'missing-field', severity: 'error', covers: noEvent, entry: false },
  {
    name: 'missing event.sni marks the key "event"',
    text: edit(TLS_ERROR, ',"sni":"-"', ''),
    code: 'missing-field',
    severity: 'error',
    covers: '"event"',
    entry: true,
  },
  {
    name: 'missing event.timestamp marks the key "event"',
    text: edit(TLS_ERROR, '"timestamp":"2024-07-02T18:01:44.412778Z",', ''),
    code: 'missing-field',
    severity: 'error',
    covers: '"event"',
    entry: true,
  },
  {
    name: 'missing event.dest_port marks the key "event"',
    text: edit(TLS_ERROR, ',"dest_port":"443"', ''),
    code: 'missing-field',
    severity: 'error',
    covers: '"event"',
    entry: true,
  },
  {
    name: 'missing error_message marks the key "tls_error"',
    text: edit(TLS_ERROR, '{"error_message":"Server name is not found in client hello."}', '{}'),
    code: 'missing-field',
    severity: 'error',
    covers: '"tls_error"',
    entry: true,
  },
  {
    name: 'missing status marks the key "revocation_check"',
    text: edit(REVOCATION, ',"status":"REVOKED"', ''),
    code: 'missing-field',
    severity: 'error',
    covers: '"revocation_check"',
    entry: true,
  },
  {
    name: 'wrong type: firewall_name a number',
    text: edit(TLS_ERROR, '"firewall-tls-test"', '12345'),
    code: 'wrong-type',
    severity: 'error',
    covers: '12345',
    entry: true,
  },
  {
    name: 'wrong type: event a string',
    text: '{"firewall_name":"fw","availability_zone":"us-east-1d","event_timestamp":1719943304,"event":"oops"}',
    code: 'wrong-type',
    severity: 'error',
    covers: '"oops"',
    entry: false,
  },
  {
    name: 'wrong type: port a boolean',
    text: edit(TLS_ERROR, '"src_port":"59844"', '"src_port":true'),
    code: 'wrong-type',
    severity: 'error',
    covers: 'true',
    entry: true,
  },
  {
    name: 'wrong type: tls_error a string',
    text: edit(TLS_ERROR, '{"error_message":"Server name is not found in client hello."}', '"Server name is not found in client hello."'),
    code: 'wrong-type',
    severity: 'error',
    covers: '"Server name is not found in client hello."',
    entry: true,
  },
  {
    name: 'wrong type: revocation_check an array',
    text: edit(REVOCATION, '{"leaf_cert_fpr":"1234567890EXAMPLE0987654321","status":"REVOKED","action":"DROP"}', '[1, 2]'),
    code: 'wrong-type',
    severity: 'error',
    covers: '[1, 2]',
    entry: true,
  },
  {
    name: 'wrong type: event_timestamp a word',
    text: edit(TLS_ERROR, '1719943304', '"yesterday"'),
    code: 'wrong-type',
    severity: 'error',
    covers: '"yesterday"',
    entry: true,
  },
  {
    name: 'wrong type: sni null',
    text: edit(TLS_ERROR, '"sni":"-"', '"sni":null'),
    code: 'wrong-type',
    severity: 'error',
    covers: 'null',
    entry: true,
  },
  {
    name: 'wrong type: status a nested object',
    text: edit(REVOCATION, '"status":"REVOKED"', '"status":{"code":"REVOKED"}'),
    code: 'wrong-type',
    severity: 'error',
    covers: '{"code":"REVOKED"}',
    entry: true,
  },
  {
    name: 'unknown entry kind marks the key "event"',
    text: noKind,
    code: 'unknown-entry-kind',
    severity: 'error',
    covers: '"event"',
    entry: false,
  },
  {
    name: 'both entry kinds marks the key "event"',
    text: edit(TLS_ERROR, '"sni":"-"', '"sni":"-","revocation_check":{"leaf_cert_fpr":"AB","status":"REVOKED","action":"DROP"}'),
    code: 'both-entry-kinds',
    severity: 'warning',
    covers: '"event"',
    entry: true,
  },
  {
    name: 'invalid IPv4 address',
    text: edit(TLS_ERROR, '"10.0.1.27"', '"10.0.0.256"'),
    code: 'invalid-ip',
    severity: 'warning',
    covers: '"10.0.0.256"',
    entry: true,
  },
  {
    name: 'invalid address: host name',
    text: edit(TLS_ERROR, '"10.0.2.53"', '"example.com"'),
    code: 'invalid-ip',
    severity: 'warning',
    covers: '"example.com"',
    entry: true,
  },
  {
    name: 'invalid address: empty',
    text: edit(TLS_ERROR, '"10.0.2.53"', '""'),
    code: 'invalid-ip',
    severity: 'warning',
    covers: '""',
    entry: true,
  },
  {
    name: 'invalid port: out of range',
    text: edit(TLS_ERROR, '"dest_port":"443"', '"dest_port":"70000"'),
    code: 'invalid-port',
    severity: 'warning',
    covers: '"70000"',
    entry: true,
  },
  {
    name: 'invalid timestamp: 30 February',
    text: edit(TLS_ERROR, '2024-07-02T18:01:44.412778Z', '2024-02-30T18:01:44.412778Z'),
    code: 'invalid-timestamp',
    severity: 'warning',
    covers: '"2024-02-30T18:01:44.412778Z"',
    entry: true,
  },
  {
    name: 'invalid timestamp: fractional epoch seconds',
    text: edit(TLS_ERROR, '1719943304', '1719943304.5'),
    code: 'invalid-timestamp',
    severity: 'warning',
    covers: '1719943304.5',
    entry: true,
  },
  {
    name: 'timestamp mismatch marks event_timestamp',
    text: edit(TLS_ERROR, '1719943304', '1719943305'),
    code: 'timestamp-mismatch',
    severity: 'warning',
    covers: '1719943305',
    entry: true,
  },
  {
    name: 'unknown status',
    text: edit(REVOCATION, '"REVOKED"', '"GOOD"'),
    code: 'unknown-status',
    severity: 'warning',
    covers: '"GOOD"',
    entry: true,
  },
  {
    name: 'unknown action',
    text: edit(REVOCATION, '"DROP"', '"ALLOW"'),
    code: 'unknown-action',
    severity: 'warning',
    covers: '"ALLOW"',
    entry: true,
  },
  {
    name: 'SNI given although the message says there was none',
    text: edit(TLS_ERROR, '"sni":"-"', '"sni":"example.com"'),
    code: 'sni-disagrees',
    severity: 'warning',
    covers: '"example.com"',
    entry: true,
  },
  {
    name: 'SNI differs from the one the mismatch message quotes',
    text: edit(edit(TLS_ERROR, '"sni":"-"', '"sni":"other.com"'), 'Server name is not found in client hello.', MISMATCH_MESSAGE),
    code: 'sni-disagrees',
    severity: 'warning',
    covers: '"other.com"',
    entry: true,
  },
  {
    name: 'undocumented error message',
    text: edit(TLS_ERROR, 'Server name is not found in client hello.', 'Something else.'),
    code: 'unknown-error-message',
    severity: 'information',
    covers: '"Something else."',
    entry: true,
  },
  {
    name: 'empty firewall name',
    text: edit(TLS_ERROR, '"firewall-tls-test"', '""'),
    code: 'empty-value',
    severity: 'information',
    covers: '""',
    entry: true,
  },
  {
    name: 'empty availability zone',
    text: edit(TLS_ERROR, '"us-east-1d"', '""'),
    code: 'empty-value',
    severity: 'information',
    covers: '""',
    entry: true,
  },
  {
    name: 'empty leaf_cert_fpr',
    text: edit(REVOCATION, '"1234567890EXAMPLE0987654321"', '""'),
    code: 'empty-value',
    severity: 'information',
    covers: '""',
    entry: true,
  },
  {
    name: 'event_timestamp as a string of digits',
    text: edit(TLS_ERROR, '1719943304', '"1719943304"'),
    code: 'unusual-format',
    severity: 'information',
    covers: '"1719943304"',
    entry: true,
  },
  {
    name: 'event.timestamp with a +0000 offset',
    text: edit(TLS_ERROR, '2024-07-02T18:01:44.412778Z', '2024-07-02T18:01:44.412778+0000'),
    code: 'unusual-format',
    severity: 'information',
    covers: '"2024-07-02T18:01:44.412778+0000"',
    entry: true,
  },
  { name: 'invalid JSON: truncated', text: '{"a":"b","c":1', code: 'invalid-json', severity: 'error', covers: '1', entry: false },
];

describe('analyzeLine: every problem code with its exact range', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const { problem, result } = single(c.text, 9);
      assert.equal(problem.code, c.code);
      assert.equal(problem.severity, c.severity);
      assert.equal(covered(c.text, problem), c.covers);
      if (c.at !== undefined) assert.equal(problem.startColumn, c.at);
      assert.equal(result.entry !== undefined, c.entry, 'entry produced');
    });
  }

  it('covers every code the catalog lists except those only file readers report', () => {
    const seen = new Set(CASES.map((c) => c.code));
    seen.add('not-a-tls-entry'); // tested below with real alert and flow entries
    const readerOnly = new Set(['line-too-long', 'file-incomplete']);
    const expected = Object.keys(PROBLEM_CATALOG).filter((code) => !readerOnly.has(code));
    assert.deepEqual([...seen].sort(), expected.sort());
  });

  it('uses the catalog severity for each case', () => {
    for (const c of CASES) assert.equal(PROBLEM_CATALOG[c.code].severity, c.severity, c.code);
  });

  it('marks the empty SNI with information', () => {
    const text = edit(REVOCATION, '"revoked-rsa-dv.ssl.com"', '""');
    const { problem, result } = single(text);
    assert.equal(problem.code, 'empty-value');
    assert.equal(problem.severity, 'information');
    assert.equal(problem.startColumn, text.indexOf('"sni":""') + 6);
    assert.equal(covered(text, problem), '""');
    assert.equal(result.entry?.sni, '');
  });

  it('leaves a field with a problem undefined in the entry and keeps the others', () => {
    const text = edit(edit(TLS_ERROR, '"dest_port":"443"', '"dest_port":"70000"'), '"10.0.2.53"', '"10.0.2"');
    const result = analyze(text);
    assert.deepEqual(codes(result), ['invalid-ip', 'invalid-port']);
    assert.equal(result.entry?.destPort, undefined);
    assert.equal(result.entry?.srcIp, undefined);
    assert.equal(result.entry?.srcPort, 59844);
    assert.equal(result.entry?.destIp, '10.0.1.27');
  });

  it('reports several problems on one line in column order, each with its own range', () => {
    const text = edit(edit(edit(REVOCATION, '"REVOKED"', '"GOOD"'), '"DROP"', '"ALLOW"'), '"55930"', '"-1"');
    const result = analyze(text);
    assert.deepEqual(codes(result), ['invalid-port', 'unknown-status', 'unknown-action']);
    assert.deepEqual(
      result.problems.map((p) => covered(text, p)),
      ['"-1"', '"GOOD"', '"ALLOW"'],
    );
    const starts = result.problems.map((p) => p.startColumn);
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => a - b),
    );
  });

  it('reports each missing field of "event" on the key "event"', () => {
    const text = '{"firewall_name":"fw","availability_zone":"az","event_timestamp":1719943304,"event":{"tls_error":{"error_message":"x"}}}';
    const result = analyze(text);
    const missing = result.problems.filter((p) => p.code === 'missing-field');
    assert.equal(missing.length, 6); // timestamp, src_ip, src_port, dest_ip, dest_port, sni
    for (const p of missing) assert.equal(covered(text, p), '"event"');
    for (const field of ['timestamp', 'src_ip', 'src_port', 'dest_ip', 'dest_port', 'sni']) {
      assert.ok(
        missing.some((p) => p.message.includes(`"${field}"`)),
        field,
      );
    }
  });
});

describe('analyzeLine: invalid JSON', () => {
  const table: Array<{ name: string; text: string; covers: string; at?: number; message?: RegExp }> = [
    {
      name: 'truncated inside a string',
      text: TLS_ERROR.slice(0, TLS_ERROR.indexOf('"tls_error"') + 4),
      covers: '"tls',
      message: /cut off inside a string/,
    },
    { name: 'a string without its closing quote before more text', text: '{"a":"b\r,"c":1}', covers: '"b', message: /quote/ },
    { name: 'truncated after a value', text: '{"firewall_name":"fw"', covers: '"', at: 20, message: /cut off/ },
    { name: 'truncated after a comma', text: '{"a":1, ', covers: ',', message: /cut off/ },
    { name: 'only an opening brace', text: '{', covers: '{', message: /cut off/ },
    { name: 'trailing comma in an object', text: '{"a":1,}', covers: '}', message: /[Tt]railing comma/ },
    { name: 'trailing comma in an array', text: '{"a":[1,2,]}', covers: ']', message: /[Tt]railing comma/ },
    { name: 'missing colon', text: '{"a" 1}', covers: '1', message: /':'/ },
    { name: 'missing value', text: '{"a":}', covers: '}' },
    { name: 'missing comma', text: '{"a":1 "b":2}', covers: '"b"' },
    { name: 'single quotes around a key', text: "{'a':1}", covers: "'a'" },
    { name: 'single quotes around a value', text: '{"a":\'b\'}', covers: "'b'" },
    { name: 'unquoted key', text: '{a:1}', covers: 'a' },
    { name: 'block comment', text: '{"a":1 /* note */}', covers: '/* note */', message: /[Cc]omment/ },
    { name: 'line comment after the object', text: '{"a":1} // note', covers: '// note', message: /[Cc]omment/ },
    { name: 'text after the object', text: '{"a":1} trailing', covers: 'trailing', message: /after the end/ },
    { name: 'a second object on the line', text: '{"a":1}{"b":2}', covers: '{', at: 7, message: /after the end/ },
    { name: 'control character (tab) in a string', text: '{"a":"b\tc"}', covers: '"b\tc"', message: /[Cc]ontrol character/ },
    { name: 'NUL character in a string', text: '{"a":"b\u0000c"}', covers: '"b\u0000c"', message: /[Cc]ontrol character/ },
    { name: 'bad escape', text: '{"a":"\\q"}', covers: '"\\q"', message: /escape/ },
    { name: 'bad unicode escape', text: '{"a":"\\u12G4"}', covers: '"\\u12G4"', message: /\\u/ },
    { name: 'NaN', text: '{"a":NaN}', covers: 'NaN' },
    { name: 'Infinity', text: '{"a":Infinity}', covers: 'Infinity' },
    { name: 'leading zero', text: '{"dest_port":0443}', covers: '0443' },
    { name: 'negative leading zero', text: '{"n":-01}', covers: '-01' },
    { name: 'number ending in a dot', text: '{"n":1.}', covers: '1.' },
    { name: 'unclosed array inside an object', text: '{"a":[1,2}', covers: '}' },
    { name: 'stray closing bracket', text: ']', covers: ']' },
    { name: 'a bare word', text: 'hello', covers: 'hello' },
    { name: 'NUL character outside a string', text: '{"a":1,\u0000"b":2}', covers: '\u0000' },
    { name: 'U+2028 outside a string', text: '{"a":1,\u2028"b":2}', covers: '\u2028' },
    { name: 'non-breaking space between tokens', text: '{"a":1,\u00a0"b":2}', covers: '\u00a0' },
  ];
  for (const c of table) {
    it(c.name, () => {
      assert.throws(() => JSON.parse(c.text), SyntaxError, 'the case must really be invalid JSON');
      const { problem, result } = single(c.text);
      assert.equal(problem.code, 'invalid-json');
      assert.equal(problem.severity, 'error');
      assert.equal(covered(c.text, problem), c.covers, problem.message);
      if (c.at !== undefined) assert.equal(problem.startColumn, c.at);
      if (c.message) assert.match(problem.message, c.message);
      assert.equal(result.entry, undefined);
    });
  }

  it('shifts the range past a byte order mark', () => {
    const text = '\uFEFF{"a":1,}';
    const { problem } = single(text);
    assert.equal(problem.startColumn, 8);
    assert.equal(covered(text, problem), '}');
  });

  it('reads an entry after a byte order mark, with ranges counted from the start of the line', () => {
    assert.deepEqual(analyze('\uFEFF' + TLS_ERROR).problems, []);
    const text = '\uFEFF' + edit(TLS_ERROR, '"dest_port":"443"', '"dest_port":"70000"');
    assert.equal(covered(text, single(text).problem), '"70000"');
  });
});

describe('analyzeLine: alert and flow entries', () => {
  const ALERT =
    '{"firewall_name":"egress-fw","availability_zone":"us-east-1d","event_timestamp":"1719943304","event":{"timestamp":"2024-07-02T18:01:44.412778+0000","flow_id":1234567890,"event_type":"alert","src_ip":"10.0.2.53","src_port":59844,"dest_ip":"10.0.1.27","dest_port":443,"proto":"TCP","alert":{"action":"blocked","signature_id":5,"rev":0,"signature":"test","category":"","severity":1},"tls":{"sni":"example.com","version":"TLS 1.2"},"app_proto":"tls"}}';
  const FLOW =
    '{"firewall_name":"egress-fw","availability_zone":"us-east-1d","event_timestamp":"1719943304","event":{"timestamp":"2024-07-02T18:01:44.412778+0000","flow_id":1234567890,"event_type":"netflow","src_ip":"10.0.2.53","src_port":59844,"dest_ip":"10.0.1.27","dest_port":443,"proto":"TCP","netflow":{"pkts":5,"bytes":400,"start":"2024-07-02T18:01:00.000000+0000","end":"2024-07-02T18:01:44.000000+0000","age":44,"min_ttl":64,"max_ttl":64},"tcp":{"tcp_flags":"1b","syn":true}}}';

  it('reports an alert entry once, as a warning on its event_type, with no entry', () => {
    const { problem, result } = single(ALERT);
    assert.equal(problem.code, 'not-a-tls-entry');
    assert.equal(problem.severity, 'warning');
    assert.equal(covered(ALERT, problem), '"alert"');
    assert.match(problem.message, /alert/);
    assert.equal(result.entry, undefined);
  });

  it('reports a flow entry once, calling it a flow log entry', () => {
    const { problem, result } = single(FLOW);
    assert.equal(problem.code, 'not-a-tls-entry');
    assert.equal(problem.severity, 'warning');
    assert.equal(covered(FLOW, problem), '"netflow"');
    assert.match(problem.message, /flow/);
    assert.equal(result.entry, undefined);
  });

  it('reads a TLS entry that happens to carry an event_type as a TLS entry', () => {
    const text = edit(TLS_ERROR, '"sni":"-"', '"sni":"-","event_type":"tls"');
    const result = analyze(text);
    assert.deepEqual(result.problems, []);
    assert.equal(result.entry?.kind, 'tlsError');
  });
});

describe('analyzeLine: timestamps', () => {
  const withTimes = (epoch: string, iso: string): string =>
    edit(edit(TLS_ERROR, '1719943304', epoch), '"2024-07-02T18:01:44.412778Z"', JSON.stringify(iso));

  it('flags a mismatch of one second either way, saying which way', () => {
    const after = withTimes('1719943305', '2024-07-02T18:01:44.412778Z');
    const p1 = single(after).problem;
    assert.equal(p1.code, 'timestamp-mismatch');
    assert.match(p1.message, /1 s after/);
    const before = withTimes('1719943303', '2024-07-02T18:01:44.999999Z');
    const p2 = single(before).problem;
    assert.equal(p2.code, 'timestamp-mismatch');
    assert.match(p2.message, /1 s before/);
    assert.equal(covered(before, p2), '1719943303');
  });

  it('gives timeMs in whole milliseconds, truncating the fraction', () => {
    const at = (iso: string): number | undefined => analyze(withTimes('1719943304', iso)).entry?.timeMs;
    const second = Date.UTC(2024, 6, 2, 18, 1, 44);
    assert.equal(at('2024-07-02T18:01:44.412778Z'), second + 412);
    assert.equal(at('2024-07-02T18:01:44.5Z'), second + 500);
    assert.equal(at('2024-07-02T18:01:44.05Z'), second + 50);
    assert.equal(at('2024-07-02T18:01:44.999999999Z'), second + 999);
    assert.equal(at('2024-07-02T18:01:44Z'), second);
  });

  it('does not flag times in the same second, whatever the fraction', () => {
    for (const iso of [
      '2024-07-02T18:01:44Z',
      '2024-07-02T18:01:44.000000Z',
      '2024-07-02T18:01:44.999999Z',
      '2024-07-02T18:01:44.999999999Z',
      '2024-07-02T18:01:44.5Z',
    ]) {
      const result = analyze(withTimes('1719943304', iso));
      assert.deepEqual(result.problems, [], iso);
      assert.equal(Math.floor(result.entry!.timeMs! / 1000), 1719943304, iso);
    }
  });

  it('flags dates and times that do not exist, and does not also claim a mismatch', () => {
    for (const iso of [
      '2024-02-30T18:01:44.412778Z',
      '2023-02-29T18:01:44.412778Z',
      '2024-07-02T25:00:00.000000Z',
      '2024-07-02T18:60:00Z',
      '2024-07-02T18:01:60Z',
      '2024-13-02T18:01:44Z',
      '2024-00-10T18:01:44Z',
      '2024-07-00T18:01:44Z',
      '2024-04-31T00:00:00Z',
    ]) {
      const text = withTimes('1719943304', iso);
      const { problem, result } = single(text);
      assert.equal(problem.code, 'invalid-timestamp', iso);
      assert.equal(covered(text, problem), JSON.stringify(iso));
      assert.equal(result.entry?.timestamp, iso);
      assert.equal(result.entry?.timeMs, undefined);
    }
  });

  it('flags timestamps that are not ISO 8601', () => {
    for (const iso of [
      '2024-07-02 18:01:44Z',
      '2024-07-02T18:01:44',
      '02/07/2024 18:01',
      '1719943304',
      '',
      '2024-07-02T18:01:44.Z',
      '2024-07-02T18:01:44.412778z',
    ]) {
      const { problem } = single(withTimes('1719943304', iso));
      assert.equal(problem.code, 'invalid-timestamp', JSON.stringify(iso));
    }
  });

  it('accepts 29 February in a leap year', () => {
    const result = analyze(withTimes(String(Date.UTC(2024, 1, 29, 12) / 1000), '2024-02-29T12:00:00.000001Z'));
    assert.deepEqual(result.problems, []);
  });

  it('reads years before 100 as those years', () => {
    const ms = new Date('0050-03-01T00:00:00Z').getTime();
    const text = edit(TLS_ERROR, '"2024-07-02T18:01:44.412778Z"', '"0050-03-01T00:00:00Z"');
    const result = analyzeLine(text, 0);
    assert.equal(result.entry?.timeMs, ms);
    // Year 0 is a leap year in the proleptic Gregorian calendar; 1900 is not.
    const leap = analyzeLine(edit(TLS_ERROR, '"2024-07-02T18:01:44.412778Z"', '"0000-02-29T00:00:00Z"'), 0);
    assert.ok(!leap.problems.some((p) => p.code === 'invalid-timestamp'));
  });

  it('reports a +0000 offset as unusual, reads it as UTC, and does not claim a mismatch', () => {
    const text = withTimes('1719943304', '2024-07-02T18:01:44.412778+0000');
    const { problem, result } = single(text);
    assert.equal(problem.code, 'unusual-format');
    assert.equal(problem.severity, 'information');
    assert.equal(result.entry?.timeMs, analyze(TLS_ERROR).entry?.timeMs);
  });

  it('applies other offsets before comparing with event_timestamp', () => {
    const text = withTimes('1719943304', '2024-07-02T20:01:44.412778+02:00');
    const result = analyze(text);
    assert.deepEqual(codes(result), ['unusual-format']);
    assert.equal(result.entry?.timeMs, analyze(TLS_ERROR).entry?.timeMs);
    const off = analyze(withTimes('1719943304', '2024-07-02T18:01:44.412778+02:00'));
    assert.deepEqual(codes(off).sort(), ['timestamp-mismatch', 'unusual-format']);
  });

  it('reports a string epoch as unusual but still compares it', () => {
    const text = withTimes('"1719943304"', '2024-07-02T18:01:44.412778Z');
    assert.deepEqual(codes(analyze(text)), ['unusual-format']);
    assert.equal(analyze(text).entry?.eventTimestamp, 1719943304);
    const mismatch = withTimes('"1719943310"', '2024-07-02T18:01:44.412778Z');
    assert.deepEqual(codes(analyze(mismatch)), ['unusual-format', 'timestamp-mismatch']);
  });

  it('flags a negative or fractional event_timestamp', () => {
    for (const epoch of ['-1', '1.5', '1e3']) {
      const text = withTimes(epoch, '2024-07-02T18:01:44.412778Z');
      const result = analyze(text);
      if (epoch === '1e3') {
        // 1e3 is the whole number 1000: valid, but far from event.timestamp.
        assert.deepEqual(codes(result), ['timestamp-mismatch']);
        continue;
      }
      assert.deepEqual(codes(result), ['invalid-timestamp'], epoch);
      assert.equal(covered(text, result.problems[0]), epoch);
      assert.equal(result.entry?.eventTimestamp, undefined);
    }
  });
});

describe('analyzeLine: ports and addresses', () => {
  const withPort = (value: string): string => edit(TLS_ERROR, '"dest_port":"443"', `"dest_port":${value}`);

  it('accepts ports as numbers and as strings of digits', () => {
    for (const [value, port] of [
      ['443', 443],
      ['"443"', 443],
      ['0', 0],
      ['"0"', 0],
      ['65535', 65535],
      ['"65535"', 65535],
      ['"00443"', 443],
    ] as const) {
      const result = analyze(withPort(value));
      assert.deepEqual(result.problems, [], value);
      assert.equal(result.entry?.destPort, port, value);
    }
  });

  it('flags ports that are not whole numbers from 0 to 65535, marking the value', () => {
    for (const value of [
      '65536',
      '"65536"',
      '-1',
      '"-1"',
      '"44x3"',
      '1.5',
      '"1.5"',
      '""',
      '" 443"',
      '"443 "',
      '"0x1BB"',
      '1e10',
      '"999999"',
      '"0000443"',
    ]) {
      const text = withPort(value);
      const { problem, result } = single(text);
      assert.equal(problem.code, 'invalid-port', value);
      assert.equal(problem.severity, 'warning');
      assert.equal(covered(text, problem), value);
      assert.equal(result.entry?.destPort, undefined);
    }
  });

  it('accepts IPv6 addresses', () => {
    for (const ip of ['2001:db8::1', '::1', 'fe80::1ff:fe23:4567:890a', '2001:0db8:85a3:0000:0000:8a2e:0370:7334', '::ffff:10.0.0.1']) {
      const text = edit(TLS_ERROR, '"10.0.2.53"', JSON.stringify(ip));
      const result = analyze(text);
      assert.deepEqual(result.problems, [], ip);
      assert.equal(result.entry?.srcIp, ip);
    }
  });

  it('flags addresses that are neither IPv4 nor IPv6', () => {
    for (const ip of ['10.0.0.256', '10.0.0', '10.0.0.1.2', '2001:db8:::1', '10.0.0.1:443', ' 10.0.0.1', 'localhost']) {
      const text = edit(TLS_ERROR, '"10.0.1.27"', JSON.stringify(ip));
      const { problem, result } = single(text);
      assert.equal(problem.code, 'invalid-ip', ip);
      assert.equal(covered(text, problem), JSON.stringify(ip));
      assert.equal(result.entry?.destIp, undefined);
    }
  });
});

describe('analyzeLine: severity overrides', () => {
  const options = { severities: { 'invalid-port': 'error', 'unknown-error-message': 'off' } } as const;

  it('changes a severity and switches a check off', () => {
    const text = edit(
      edit(TLS_ERROR, '"dest_port":"443"', '"dest_port":"70000"'),
      'Server name is not found in client hello.',
      'Undocumented.',
    );
    assert.deepEqual(codes(analyze(text)).sort(), ['invalid-port', 'unknown-error-message']);
    const result = analyzeLine(text, 2, options);
    assertSaneRanges(text, result, 2);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].code, 'invalid-port');
    assert.equal(result.problems[0].severity, 'error');
    assert.equal(covered(text, result.problems[0]), '"70000"');
    assert.equal(result.entry?.errorMessage, 'Undocumented.');
  });

  it('leaves codes without an override at their default severity', () => {
    const text = edit(TLS_ERROR, '"10.0.1.27"', '"10.0.1"');
    const result = analyzeLine(text, 0, options);
    assert.equal(result.problems[0].severity, 'warning');
  });

  it('applies to invalid JSON too', () => {
    assert.equal(analyzeLine('{', 0, { severities: { 'invalid-json': 'warning' } }).problems[0].severity, 'warning');
    assert.deepEqual(analyzeLine('{', 0, { severities: { 'invalid-json': 'off' } }).problems, []);
  });

  it('can raise information to error and lower errors to information', () => {
    const text = edit(TLS_ERROR, '"firewall-tls-test"', '""');
    assert.equal(analyzeLine(text, 0, { severities: { 'empty-value': 'error' } }).problems[0].severity, 'error');
    assert.equal(analyzeLine('[1]', 0, { severities: { 'not-an-object': 'information' } }).problems[0].severity, 'information');
  });
});

describe('analyzeLine: robustness', () => {
  it('reads a valid 10 MB line', () => {
    const sni = 'a'.repeat(10 * 1024 * 1024);
    const text = edit(REVOCATION, '"revoked-rsa-dv.ssl.com"', JSON.stringify(sni));
    const result = analyze(text);
    assert.deepEqual(result.problems, []);
    assert.equal(result.entry?.sni?.length, sni.length);
  });

  it('finds a problem at the end of a valid 10 MB line', () => {
    const text = edit(REVOCATION, '"revoked-rsa-dv.ssl.com"', JSON.stringify('a'.repeat(10 * 1024 * 1024))).replace(
      '"status":"REVOKED"',
      '"status":"LATER"',
    );
    const { problem } = single(text);
    assert.equal(problem.code, 'unknown-status');
    assert.equal(covered(text, problem), '"LATER"');
  });

  it('locates the syntax error in an invalid 10 MB line', () => {
    const big = 'b'.repeat(10 * 1024 * 1024);
    const text = `{"a":"${big}","b":[1,2,,3]}`;
    const { problem } = single(text);
    assert.equal(problem.code, 'invalid-json');
    assert.equal(problem.startColumn, text.indexOf(',,') + 1);
    assert.equal(covered(text, problem), ',');
    const cut = `{"a":"${big}`;
    const { problem: p2 } = single(cut);
    assert.equal(p2.startColumn, 5);
    assert.equal(p2.endColumn, cut.length);
    const garbage = 'x'.repeat(10 * 1024 * 1024);
    assert.equal(single(garbage).problem.code, 'invalid-json');
  });

  it('reads an entry with a field nested 1 000 000 deep', () => {
    const depth = 1_000_000;
    const deep = '['.repeat(depth) + ']'.repeat(depth);
    const text = edit(TLS_ERROR, '"sni":"-"', `"sni":"-","deep":${deep}`);
    const result = analyze(text);
    assert.deepEqual(result.problems, []);
    assert.equal(result.entry?.kind, 'tlsError');
    // With a problem, the text is walked for ranges through the whole nesting.
    const bad = edit(text, '"dest_port":"443"', '"dest_port":"70000"');
    assert.equal(covered(bad, single(bad).problem), '"70000"');
    // A field after the nesting is still located.
    const after = edit(text, '"sni":"-","deep"', '"deep"').replace(/\}\}\}$/, '},"sni":"example.com"}}');
    assert.equal(covered(after, single(after).problem), '"example.com"');
  });

  it('reads objects nested 1 000 000 deep', () => {
    const depth = 1_000_000;
    const text = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const result = analyze(text);
    assert.ok(result.problems.length > 0);
    assert.equal(result.problems[0].code, 'missing-field');
  });

  it('reports JSON nested 1 000 000 deep and never closed', () => {
    const depth = 1_000_000;
    for (const text of [`{"a":${'['.repeat(depth)}`, '{"a":'.repeat(depth), `{"a":${'['.repeat(depth)}1,{`]) {
      const { problem } = single(text);
      assert.equal(problem.code, 'invalid-json');
      assert.match(problem.message, /cut off/);
      assert.equal(problem.endColumn, text.length);
    }
    const mismatched = `{"a":${'['.repeat(depth)}${']'.repeat(depth - 1)}}}`;
    const { problem } = single(mismatched);
    assert.equal(problem.startColumn, mismatched.length - 2);
  });

  it('never throws on random bytes, decoded as latin1 or as UTF-8 with replacement characters', () => {
    const next = random(0x5eed);
    for (let i = 0; i < 400; i++) {
      const bytes = Buffer.alloc(1 + Math.floor(next() * 300));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(next() * 256);
      // Start some lines with '{' so the walk gets past the first token.
      if (i % 2 === 0) bytes[0] = 0x7b;
      for (const text of [bytes.toString('latin1'), bytes.toString('utf8')]) {
        const line = text.split('\n').join(' ');
        const result = analyze(line, i);
        const parses = (() => {
          try {
            JSON.parse(line.replace(/^\uFEFF/, ''));
            return true;
          } catch {
            return false;
          }
        })();
        if (!parses && line.trim().replace(/^\uFEFF/, '') !== '') {
          assert.equal(result.problems.length, 1);
          assert.equal(result.problems[0].code, 'invalid-json');
        }
      }
    }
  });

  it('never throws on random edits of real entries, and finds exactly one syntax error when JSON.parse fails', () => {
    const next = random(42);
    const alphabet = [
      '{',
      '}',
      '[',
      ']',
      ':',
      ',',
      '"',
      '\\',
      ' ',
      '0',
      '1',
      '-',
      '.',
      'e',
      'a',
      'n',
      't',
      '\u0000',
      '\u2028',
      '\r',
      '\t',
      '\uFEFF',
      '\uD800',
      'é',
    ];
    for (let i = 0; i < 3000; i++) {
      let text = i % 2 ? TLS_ERROR : REVOCATION;
      const edits = 1 + Math.floor(next() * 4);
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(next() * (text.length + 1));
        const op = next();
        const ch = alphabet[Math.floor(next() * alphabet.length)];
        if (op < 0.4) text = text.slice(0, at) + text.slice(at + 1);
        else if (op < 0.7) text = text.slice(0, at) + ch + text.slice(at);
        else text = text.slice(0, at) + ch + text.slice(at + 1);
      }
      const result = analyze(text, i);
      let parses = true;
      try {
        JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      } catch {
        parses = false;
      }
      if (!parses && text.trim() !== '') {
        assert.equal(result.problems.length, 1, JSON.stringify(text));
        assert.equal(result.problems[0].code, 'invalid-json');
        assert.notEqual(
          result.problems[0].message,
          'Invalid JSON: The line is not valid JSON.',
          `no exact place found in ${JSON.stringify(text)}`,
        );
      } else {
        assert.ok(!result.problems.some((p) => p.code === 'invalid-json'), JSON.stringify(text));
      }
    }
  });

  it('handles NUL characters, a lone BOM, and U+2028 in values', () => {
    assert.equal(single('\u0000').problem.code, 'invalid-json');
    assert.equal(single('\u0000\u0000\u0000').problem.startColumn, 0);
    assert.deepEqual(analyze('\uFEFF').problems, []);
    assert.deepEqual(analyze('\uFEFF\uFEFF \uFEFF').problems, []);
    const p = single('\uFEFF\uFEFFx').problem;
    assert.equal(p.code, 'invalid-json');
    assert.ok(p.startColumn >= 1);
    const escapedNul = edit(REVOCATION, '"revoked-rsa-dv.ssl.com"', '"a\\u0000b"');
    assert.equal(analyze(escapedNul).entry?.sni, 'a\u0000b');
    const sep = edit(REVOCATION, '"revoked-rsa-dv.ssl.com"', '"a\u2028b\u2029c"');
    const result = analyze(sep);
    assert.deepEqual(result.problems, []);
    assert.equal(result.entry?.sni, 'a\u2028b\u2029c');
    const lone = edit(REVOCATION, '"revoked-rsa-dv.ssl.com"', '"\uD800x\uDFFF"');
    assert.equal(analyze(lone).entry?.sni, '\uD800x\uDFFF');
  });

  it('keeps ranges inside the line for lines that are only punctuation or white space and text', () => {
    for (const text of [
      '{',
      '}',
      '[',
      '"',
      '\\',
      ':',
      ',',
      '{"',
      '{"a"',
      '{"a":',
      '"abc',
      ' {',
      '{ ',
      '\u00a0',
      '\u2028',
      '\t\u000b',
      '/',
      '/*',
      '//',
      '-',
      '1.',
      '1e',
      '1e+',
      'tru',
      '{"a":1}\u0000',
    ]) {
      const result = analyze(text);
      assert.equal(result.problems.length, 1, JSON.stringify(text));
    }
  });
});

describe('analyzeLine over the engine fixture', () => {
  // The bundled test runs from out/test/unit; the fixtures stay in the source tree.
  const fixtures = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'engine');

  it('finds exactly the problems bad.expected.json lists in bad.log', async () => {
    const expected = JSON.parse(readFileSync(join(fixtures, 'bad.expected.json'), 'utf8')) as { problems: unknown[] };
    const actual: unknown[] = [];
    const lines: string[] = [];
    const summary = await readLogFile(join(fixtures, 'bad.log'), (text, line) => {
      lines.push(text);
      for (const p of analyzeLine(text, line).problems) {
        actual.push({
          line: p.line + 1,
          column: p.startColumn + 1,
          endLine: p.line + 1,
          endColumn: p.endColumn + 1,
          severity: p.severity,
          code: p.code,
        });
      }
    });
    assert.equal(summary.incomplete, undefined);
    assert.ok(lines.length >= 15 && lines.length <= 25, `${lines.length} lines`);
    assert.deepEqual(actual, expected.problems);
  });

  it('has a fixture with valid lines and every problem code a line can have', () => {
    const expected = JSON.parse(readFileSync(join(fixtures, 'bad.expected.json'), 'utf8')) as {
      problems: Array<{ line: number; code: string }>;
    };
    const lines = readFileSync(join(fixtures, 'bad.log'), 'utf8').split('\n');
    const withProblems = new Set(expected.problems.map((p) => p.line));
    const clean = lines.slice(0, -1).filter((text, i) => text.trim() !== '' && !withProblems.has(i + 1));
    assert.ok(clean.length >= 3, 'some valid entries');
    const codes = new Set(expected.problems.map((p) => p.code));
    for (const code of Object.keys(PROBLEM_CATALOG)) {
      if (code === 'line-too-long' || code === 'file-incomplete') continue;
      assert.ok(codes.has(code), code);
    }
  });
});
