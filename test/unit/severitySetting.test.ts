// The `nfwTlsLogs.diagnostics.severity` setting: its schema in package.json against the problem catalog,
// the reading of whatever settings.json holds, and the engine honouring it on every path (lines, reads).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogModel } from '../../src/core/document/logModel';
import { PROBLEM_CATALOG, PROBLEM_CODES, SEVERITY_CHOICES, parseSeverityOverrides } from '../../src/core/parse/problems';
import { readProblems } from '../../src/core/report/report';
import type { ReadSummary } from '../../src/core/read/lines';
import { Settings } from '../../src/editor/ids';

const root = join(__dirname, '..', '..', '..');

interface SeveritySchema {
  type: string;
  default: unknown;
  additionalProperties: boolean;
  properties: Record<string, { type: string; enum: string[]; enumDescriptions: string[]; markdownDescription: string }>;
}

function schema(): SeveritySchema {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, SeveritySchema> } };
  };
  return manifest.contributes.configuration.properties[Settings.diagnosticsSeverity];
}

const ENTRY =
  '{"firewall_name":"fw","availability_zone":"us-east-1a","event_timestamp":1719943304,"event":{"timestamp":"2024-07-02T18:01:44.640939Z","src_ip":"10.0.2.53","src_port":"52644","dest_ip":"54.92.160.72","dest_port":"443","sni":"-","tls_error":{"error_message":"Server name is not found in client hello."}}}';
const BAD_PORT = ENTRY.replace('"dest_port":"443"', '"dest_port":"70000"');
const BROKEN = ENTRY.slice(0, 80);

describe('the severity setting', () => {
  it('lists every problem code, each with the four choices described, and nothing else', () => {
    const s = schema();
    assert.equal(s.type, 'object');
    assert.deepEqual(s.default, {});
    assert.equal(s.additionalProperties, false);
    assert.deepEqual(Object.keys(s.properties), PROBLEM_CODES);
    for (const code of PROBLEM_CODES) {
      const p = s.properties[code];
      assert.equal(p.type, 'string');
      assert.deepEqual(p.enum, [...SEVERITY_CHOICES]);
      assert.equal(p.enumDescriptions.length, SEVERITY_CHOICES.length);
      assert.ok(p.markdownDescription.startsWith(PROBLEM_CATALOG[code].description), `${code}'s description is the catalog's`);
      assert.ok(p.markdownDescription.endsWith(`Default: \`${PROBLEM_CATALOG[code].severity}\`.`), `${code} names its default`);
    }
  });

  it('keeps only known codes with a valid choice from whatever settings.json holds', () => {
    assert.deepEqual(parseSeverityOverrides({ 'invalid-port': 'off', 'invalid-ip': 'information' }), {
      'invalid-port': 'off',
      'invalid-ip': 'information',
    });
    assert.deepEqual(
      parseSeverityOverrides({ 'no-such-code': 'off', 'invalid-port': 'fatal', 'invalid-ip': 3, toString: 'off', constructor: 'off' }),
      {},
    );
    for (const value of [undefined, null, 'off', 7, ['invalid-port'], true]) assert.deepEqual(parseSeverityOverrides(value), {});
  });

  it('changes or drops line problems in a LogModel', () => {
    const lines = [ENTRY, BAD_PORT, BROKEN];
    const read = (i: number): string => lines[i];
    const codes = (model: LogModel): string[] => model.problems().problems.map((p) => `${p.line}:${p.code}:${p.severity}`);

    const plain = new LogModel();
    plain.reset(lines.length, read);
    assert.deepEqual(codes(plain), ['1:invalid-port:warning', '2:invalid-json:error']);

    const changed = new LogModel({ severities: { 'invalid-port': 'error', 'invalid-json': 'information' } });
    changed.reset(lines.length, read);
    assert.deepEqual(codes(changed), ['1:invalid-port:error', '2:invalid-json:information']);
    assert.deepEqual({ ...changed.problemCounts() }, { error: 1, warning: 0, information: 1 });

    const off = new LogModel({ severities: { 'invalid-port': 'off', 'invalid-json': 'off' } });
    off.reset(lines.length, read);
    assert.deepEqual(codes(off), []);
    // The entry with the bad port is still an entry; only its problem is gone.
    assert.deepEqual(
      [...off.entries()].map((e) => e.line),
      [0, 1],
    );
  });

  it('changes or drops the problems of reading a file', () => {
    const summary: ReadSummary = {
      bytesRead: 10,
      textBytes: 10,
      lines: 4,
      gzip: true,
      encoding: 'utf16le',
      longLines: [2],
      incomplete: 'the gzip data ends early',
      cancelled: false,
    };
    const describe = (severities?: Parameters<typeof readProblems>[1]): string[] =>
      readProblems(summary, severities).map((p) => `${p.code}:${p.severity}`);
    assert.deepEqual(describe(), ['line-too-long:error', 'file-incomplete:error', 'unusual-format:information']);
    assert.deepEqual(describe({ 'line-too-long': 'warning', 'file-incomplete': 'off', 'unusual-format': 'off' }), [
      'line-too-long:warning',
    ]);
  });
});
