// The label at the start of each entry line, its one-line tooltip, the finer stepping filters, and one SNI's
// entries gathered in time order from several sources (from disk too, gzip included): all from core.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { LogModel } from '../../src/core/document/logModel';
import { entryHints, hintLabel, HINT_PARTS } from '../../src/core/document/entryHints';
import { findLine, isOfKind } from '../../src/core/document/navigation';
import { entryGist, leadingProblem, lineGist } from '../../src/core/explain/gist';
import { explainErrorMessage } from '../../src/core/explain/tlsError';
import { readLinesOf } from '../../src/core/read/pickLines';
import { SniModel } from '../../src/core/sni/sniModel';
import { gatherLines, sniEntriesByTime } from '../../src/core/sni/sniEntries';
import { compactOutcome, timeOfDay } from '../../src/core/text';
import type { Problem, TlsEntry } from '../../src/core/parse/types';
import { tempFiles } from './tempFiles';

const BASE_MS = Date.UTC(2024, 6, 2, 18, 1, 44);

function line(sni: string, ms: number, outcome: { message: string } | { status: string; action: string }): string {
  const kind =
    'message' in outcome
      ? { tls_error: { error_message: outcome.message } }
      : { revocation_check: { leaf_cert_fpr: 'AB:CD', status: outcome.status, action: outcome.action } };
  const event = {
    timestamp: new Date(ms).toISOString(),
    src_ip: '10.0.2.53',
    src_port: 59844,
    dest_ip: '54.92.160.72',
    dest_port: 443,
    sni,
    ...kind,
  };
  return JSON.stringify({ firewall_name: 'fw', availability_zone: 'us-east-1a', event_timestamp: Math.floor(ms / 1000), event });
}

const NO_SNI = 'Server name is not found in client hello.';
const mismatch = (sni: string): string => `SNI: ${sni} Match Failed to server certificate names: other.example.com/other.example.com `;

function modelOf(lines: string[]): LogModel {
  const model = new LogModel();
  model.reset(lines.length, (i) => lines[i]);
  return model;
}

describe('entry hints', () => {
  const lines = [
    line('revoked-rsa-dv.ssl.com', BASE_MS, { status: 'REVOKED', action: 'DROP' }),
    '',
    line('-', BASE_MS + 88_000, { message: NO_SNI }),
    line('api.github.com', BASE_MS + 89_000, { message: mismatch('api.github.com') }),
    '{"firewall_name": "fw", oops',
    line('ocsp.example.com', BASE_MS + 90_000, { status: 'UNKNOWN', action: 'REJECT' }),
  ];
  const model = modelOf(lines);

  it('one hint per entry or problem line, time, outcome and SNI in aligned columns', () => {
    const hints = entryHints(model, 0, lines.length - 1, ['time', 'outcome', 'sni']);
    assert.deepEqual(
      hints.map((h) => [h.line, h.label]),
      [
        [0, '18:01:44  REVOKED→DROP    revoked-rsa-dv.ssl.com'],
        [2, '18:03:12  no SNI'],
        [3, '18:03:13  mismatch        api.github.com'],
        [4, '--:--:--  invalid-json'],
        [5, '18:03:14  UNKNOWN→REJECT  ocsp.example.com'],
      ],
    );
  });

  it('only the lines asked for, and the parts the setting names, in their own order', () => {
    assert.deepEqual(
      entryHints(model, 3, 3, ['destination', 'sni', 'source']).map((h) => h.label),
      ['api.github.com  10.0.2.53:59844  → 54.92.160.72:443'],
    );
    assert.deepEqual(entryHints(model, 0, 99, []), []);
    // The line that is not JSON has no destination to show: no hint rather than an empty one.
    assert.deepEqual(
      entryHints(model, 3, 5, ['destination']).map((h) => h.line),
      [3, 5],
    );
    assert.equal(entryHints(model, -5, 0, HINT_PARTS).length, 1);
  });

  it("tooltips: the problem for a problem line, else what the outcome means, in the explanation's words", () => {
    const [revoked, noSni, , broken] = entryHints(model, 0, 4, ['outcome']);
    assert.match(revoked.tooltip, /revoked/i);
    assert.match(revoked.tooltip, /closed the connection/);
    assert.ok(!revoked.tooltip.includes('**') && !revoked.tooltip.includes('`'));
    assert.match(broken.tooltip, /^invalid-json: /);
    // The first sentence of the explanation the hover shows for the message.
    const sentence = explainErrorMessage(model.entryOf(2), NO_SNI).sections[0].text.split('. ')[0];
    assert.ok(noSni.tooltip.startsWith(sentence), noSni.tooltip);
  });

  it('hostile values are cut and shown as plain text', () => {
    const sni = `evil\u202e${'x'.repeat(500)}\n`;
    const entry: TlsEntry = { kind: 'revocation', sni, status: 'REVOKED\u0000'.repeat(10), action: 'DROP', timeMs: BASE_MS };
    const label = hintLabel(entry, [], ['time', 'outcome', 'sni']);
    assert.ok(label.length < 100, label);
    assert.ok(!/[\u0000\u202e\n]/.test(label), label);
    assert.match(label, /⟨U\+202E⟩/);
  });

  it('a problem line shows its most severe problem', () => {
    const p = (code: Problem['code'], severity: Problem['severity'], startColumn: number): Problem => ({
      line: 0,
      startColumn,
      endColumn: startColumn + 1,
      severity,
      code,
      message: code,
    });
    const problems = [p('empty-value', 'information', 0), p('invalid-port', 'warning', 9), p('timestamp-mismatch', 'warning', 3)];
    assert.equal(leadingProblem(problems)?.code, 'timestamp-mismatch');
    assert.equal(lineGist({ problems }), 'timestamp-mismatch: timestamp-mismatch');
    assert.equal(lineGist({ problems: [] }), undefined);
  });

  it('compact forms: time of day and outcome', () => {
    assert.equal(timeOfDay(BASE_MS + 412), '18:01:44');
    assert.equal(timeOfDay(undefined), '--:--:--');
    assert.equal(timeOfDay(1e20), '--:--:--');
    assert.equal(compactOutcome({ kind: 'revocation', status: 'UNKNOWN', action: 'PASS' }), 'UNKNOWN→PASS');
    assert.equal(compactOutcome({ kind: 'revocation' }), '?→?');
    assert.equal(compactOutcome({ kind: 'tlsError', errorMessage: 'something new' }), 'TLS error');
    assert.match(entryGist({ kind: 'tlsError', sni: 'a.example', errorMessage: mismatch('a.example') }), /certificate/);
  });

  it('finer stepping: next REVOKED, UNKNOWN and TLS error', () => {
    assert.deepEqual(findLine(model, 0, 1, isOfKind('tlsError')), { line: 2, wrapped: false });
    assert.deepEqual(findLine(model, 3, 1, isOfKind('tlsError')), { line: 2, wrapped: true });
    assert.deepEqual(findLine(model, 0, 1, isOfKind('unknown')), { line: 5, wrapped: false });
    assert.deepEqual(findLine(model, 3, -1, isOfKind('revoked')), { line: 0, wrapped: false });
    assert.equal(findLine(model, 3, -1, isOfKind('other')), undefined);
  });
});

describe("an SNI's entries in time order", () => {
  const files = tempFiles('sni-entries-');
  const a = [
    line('x.example', BASE_MS + 5000, { status: 'REVOKED', action: 'DROP' }),
    line('y.example', BASE_MS + 1000, { message: NO_SNI }),
    line('x.example', BASE_MS + 1000, { message: mismatch('x.example') }),
  ];
  const b = [
    line('x.example', BASE_MS + 3000, { status: 'UNKNOWN', action: 'PASS' }),
    line('x.example', BASE_MS + 9000, { status: 'UNKNOWN', action: 'PASS' }),
  ];

  function sniModel(): SniModel {
    const model = new SniModel();
    model.setSourceEntries('a', [...modelOf(a).entries()]);
    model.setSourceEntries('b', [...modelOf(b).entries()]);
    return model;
  }

  it('every kind together, by time, with a limit', () => {
    const model = sniModel();
    const list = sniEntriesByTime(model, 'x.example');
    assert.equal(list.total, 4);
    assert.deepEqual(
      list.items.map((i) => `${i.sourceKey}:${i.line}`),
      ['a:2', 'b:0', 'a:0', 'b:1'],
    );
    assert.deepEqual(
      sniEntriesByTime(model, 'x.example', { by: 'all' }, 2).items.map((i) => `${i.sourceKey}:${i.line}`),
      ['a:2', 'b:0'],
    );
    assert.deepEqual(
      sniEntriesByTime(model, 'x.example', { by: 'source', source: 'b' }).items.map((i) => `${i.sourceKey}:${i.line}`),
      ['b:0', 'b:1'],
    );
  });

  it('gathers the lines from disk, plain and gzip, each source read once', async () => {
    const plain = files.file(a.join('\n') + '\n');
    const gz = files.file(gzipSync(Buffer.from(b.join('\r\n'))));
    const paths: Record<string, string> = { a: plain, b: gz };
    const reads: string[] = [];
    const gathered = await gatherLines(sniEntriesByTime(sniModel(), 'x.example').items, (key) => (lines) => {
      reads.push(key);
      return readLinesOf(paths[key], lines);
    });
    assert.deepEqual(reads.sort(), ['a', 'b']);
    assert.equal(gathered.text, [a[2], b[0], a[0], b[1]].join('\n'));
    assert.deepEqual(gathered.origins, [
      { sourceKey: 'a', line: 2 },
      { sourceKey: 'b', line: 0 },
      { sourceKey: 'a', line: 0 },
      { sourceKey: 'b', line: 1 },
    ]);
    assert.equal(gathered.missing, 0);
  });

  it('counts what it could not read', async () => {
    const short = files.file(a[0]);
    const gathered = await gatherLines(sniEntriesByTime(sniModel(), 'x.example').items, (key) =>
      key === 'a' ? (lines) => readLinesOf(short, lines) : undefined,
    );
    assert.equal(gathered.text, a[0]);
    assert.equal(gathered.missing, 3);
  });
});
