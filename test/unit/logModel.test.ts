import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeLine } from '../../src/core/parse/analyze';
import { EntryBatchBuilder, type EntryBatch } from '../../src/core/parse/entryBatch';
import { batchToRefs } from './lineEntries';
import { LogModel, type LineChange } from '../../src/core/document/logModel';
import type { Problem } from '../../src/core/parse/types';
import { assertMatchesLines } from './modelCheck';
import { random } from './random';

const TLS_ERROR =
  '{"firewall_name":"firewall-tls-test","availability_zone":"us-east-1d","event_timestamp":1719943304,"event":{"timestamp":"2024-07-02T18:01:44.412778Z","src_ip":"10.0.2.53","src_port":"59844","dest_ip":"10.0.1.27","dest_port":"443","sni":"-","tls_error":{"error_message":"Server name is not found in client hello."}}}';
const REVOCATION =
  '{"firewall_name":"egress-fw","availability_zone":"us-east-1d","event_timestamp":1708361189,"event":{"src_ip":"10.0.2.53","src_port":"55930","revocation_check":{"leaf_cert_fpr":"1234567890EXAMPLE0987654321","status":"REVOKED","action":"DROP"},"dest_ip":"54.92.160.72","dest_port":"443","timestamp":"2024-02-19T16:46:29.441824Z","sni":"revoked-rsa-dv.ssl.com"}}';

/** One error (invalid JSON). */
const BROKEN = '{"firewall_name":"fw",';
/** One warning (invalid port). */
const BAD_PORT = TLS_ERROR.replace('"dest_port":"443"', '"dest_port":"70000"');
/** One information (undocumented message). */
const ODD_MESSAGE = TLS_ERROR.replace('Server name is not found in client hello.', 'Something new.');
/** An error, a warning and an information on one line. */
const MIXED = REVOCATION.replace('"firewall_name":"egress-fw",', '')
  .replace('"status":"REVOKED"', '"status":"GOOD"')
  .replace('"1234567890EXAMPLE0987654321"', '""');

const POOL = [
  TLS_ERROR,
  REVOCATION,
  BROKEN,
  BAD_PORT,
  ODD_MESSAGE,
  MIXED,
  '',
  '   ',
  '[1]',
  'garbage',
  REVOCATION.replace('"DROP"', '"ALLOW"'),
];

function modelOf(lines: string[]): LogModel {
  const model = new LogModel();
  model.reset(lines.length, (i) => lines[i]);
  return model;
}

interface Position {
  line: number;
  character: number;
}

/** A text edit as VS Code reports one: a range of the current text and its replacement. */
interface TextEdit {
  start: Position;
  end: Position;
  text: string;
}

/** Applies an edit to an array of lines and returns the LineChange that describes it. */
function applyEdit(lines: string[], edit: TextEdit): LineChange {
  const before = lines[edit.start.line].slice(0, edit.start.character);
  const after = lines[edit.end.line].slice(edit.end.character);
  const inserted = (before + edit.text + after).split('\n');
  // No spread into splice: a paste can have more lines than a call can take arguments.
  const rest = lines.splice(edit.start.line);
  rest.splice(0, edit.end.line - edit.start.line + 1);
  for (const line of inserted) lines.push(line);
  for (const line of rest) lines.push(line);
  return { startLine: edit.start.line, endLine: edit.end.line, newLineCount: edit.text.split('\n').length };
}

/** Asserts that the model holds exactly what a fresh parse of `lines` gives. */
function assertMatchesFresh(model: LogModel, lines: string[], context = ''): void {
  const fresh = modelOf(lines);
  assert.equal(model.lineCount, lines.length, `line count ${context}`);
  for (let i = 0; i < lines.length; i++) {
    assert.deepEqual(model.lineResult(i), fresh.lineResult(i), `line ${i} ${context}`);
  }
  assert.deepEqual({ ...model.problemCounts() }, { ...fresh.problemCounts() }, `counts ${context}`);
  assert.deepEqual(model.problems(), fresh.problems(), `problems ${context}`);
  assert.deepEqual(model.problems(7), fresh.problems(7), `capped problems ${context}`);
  assert.deepEqual([...model.entries()], [...fresh.entries()], `entries ${context}`);
  assertMatchesLines(model, lines, context);
}

describe('LogModel.reset and problems()', () => {
  const lines = [TLS_ERROR, ODD_MESSAGE, BAD_PORT, '', BROKEN, MIXED, REVOCATION, BROKEN, ODD_MESSAGE];

  it('parses every line and counts problems by severity', () => {
    const model = modelOf(lines);
    assert.equal(model.lineCount, lines.length);
    // BROKEN x2 and MIXED's missing firewall_name are errors; BAD_PORT and MIXED's status are warnings;
    // ODD_MESSAGE x2 and MIXED's empty fingerprint are information.
    assert.deepEqual({ ...model.problemCounts() }, { error: 3, warning: 2, information: 3 });
    for (let i = 0; i < lines.length; i++) assert.deepEqual(model.lineResult(i), analyzeLine(lines[i], i));
    assert.equal(model.lineResult(lines.length), undefined);
  });

  it('lists problems in line order when not capped, with the right line numbers', () => {
    const { problems, total } = modelOf(lines).problems();
    assert.equal(total, 8);
    assert.equal(problems.length, 8);
    assert.deepEqual(
      problems.map((p) => [p.line, p.code]),
      [
        [1, 'unknown-error-message'],
        [2, 'invalid-port'],
        [4, 'invalid-json'],
        [5, 'missing-field'],
        [5, 'empty-value'],
        [5, 'unknown-status'],
        [7, 'invalid-json'],
        [8, 'unknown-error-message'],
      ],
    );
  });

  it('publishes errors first, then warnings, then information, each in line order, when capped', () => {
    const model = modelOf(lines);
    const order = (cap: number): Array<[number, string]> => model.problems(cap).problems.map((p) => [p.line, p.severity]);
    assert.deepEqual(order(3), [
      [4, 'error'],
      [5, 'error'],
      [7, 'error'],
    ]);
    assert.deepEqual(order(2), [
      [4, 'error'],
      [5, 'error'],
    ]);
    assert.deepEqual(order(6), [
      [4, 'error'],
      [5, 'error'],
      [7, 'error'],
      [2, 'warning'],
      [5, 'warning'],
      [1, 'information'],
    ]);
    assert.equal(model.problems(3).total, 8);
    assert.equal(model.problems(1).problems.length, 1);
    // A cap equal to the total is not a cap.
    assert.deepEqual(model.problems(8), model.problems());
  });

  it('caps at the number given even when the errors alone exceed it', () => {
    const many = Array.from({ length: 50 }, (_, i) => (i % 2 ? BROKEN : BAD_PORT));
    const { problems, total } = modelOf(many).problems(10);
    assert.equal(total, 50);
    assert.equal(problems.length, 10);
    assert.ok(problems.every((p) => p.severity === 'error'));
    assert.deepEqual(
      problems.map((p) => p.line),
      [1, 3, 5, 7, 9, 11, 13, 15, 17, 19],
    );
  });

  it('lists entries with their line numbers', () => {
    const entries = [...modelOf(lines).entries()];
    assert.deepEqual(
      entries.map((e) => [e.line, e.entry.kind]),
      [
        [0, 'tlsError'],
        [1, 'tlsError'],
        [2, 'tlsError'],
        [5, 'revocation'],
        [6, 'revocation'],
        [8, 'tlsError'],
      ],
    );
  });

  it('replaces everything on a second reset', () => {
    const model = modelOf(lines);
    model.reset(2, (i) => [BROKEN, TLS_ERROR][i]);
    assert.equal(model.lineCount, 2);
    assert.deepEqual({ ...model.problemCounts() }, { error: 1, warning: 0, information: 0 });
    assert.equal(model.problems().total, 1);
  });

  it('applies severity overrides to every line', () => {
    const model = new LogModel({ severities: { 'invalid-port': 'error', 'unknown-error-message': 'off' } });
    model.reset(lines.length, (i) => lines[i]);
    assert.deepEqual({ ...model.problemCounts() }, { error: 4, warning: 1, information: 1 });
  });

  it('resets in steps, keeping the old results until the last step', () => {
    const model = modelOf([BROKEN]);
    const many = Array.from({ length: 1200 }, (_, i) => POOL[i % POOL.length]);
    const steps: number[] = [];
    for (const done of model.resetInSteps(many.length, (i) => many[i], 500)) {
      steps.push(done);
      assert.equal(model.lineCount, 1);
    }
    assert.deepEqual(steps, [500, 1000]);
    assertMatchesFresh(model, many);
  });

  it('hands each entry over once, in line order, a few hundred at a time and once more at the end', () => {
    const many = Array.from({ length: 3000 }, (_, i) => POOL[i % POOL.length]);
    const model = new LogModel();
    const batches: EntryBatch[] = [];
    for (const _ of model.resetInSteps(
      many.length,
      (i) => many[i],
      25,
      (entries) => batches.push(entries),
    )) {
      // Steps run between hand-overs.
    }
    const handed = batches.flatMap(batchToRefs);
    // A batch carries the fields the SNI view groups by.
    const expected = [...model.entries()].map(({ line, entry }) => {
      const packed = new EntryBatchBuilder();
      packed.add(line, entry);
      return batchToRefs(packed.take())[0];
    });
    assert.ok(expected.length > 1000, `${expected.length} entries`);
    assert.deepEqual(handed, expected);
    assert.ok(batches.length > 3, `${batches.length} batches`);
    for (const b of batches.slice(0, -1)) assert.ok(b.count >= 250 && b.count < 250 + 25, `a batch of ${b.count}`);
    // A parse of nothing still ends with a (empty) hand-over.
    const none: EntryBatch[] = [];
    for (const _ of new LogModel().resetInSteps(
      2,
      () => '',
      25,
      (entries) => none.push(entries),
    )) {
      // No steps.
    }
    assert.deepEqual(
      none.map((b) => b.count),
      [0],
    );
  });

  it('reads an entry again from the text the model was last given', () => {
    const lines = [TLS_ERROR, REVOCATION];
    const model = modelOf(lines);
    assert.equal(model.entryOf(1)?.status, 'REVOKED');
    // The reader of the last edit is the one used; the kept kind is the edited line's.
    const edited = [TLS_ERROR, REVOCATION.replace('"REVOKED"', '"UNKNOWN"')];
    model.applyChanges([{ startLine: 1, endLine: 1, newLineCount: 1 }], (i) => edited[i]);
    assert.equal(model.entryOf(1)?.status, 'UNKNOWN');
    assert.equal(model.kindOf(1), 'unknown');
    assert.deepEqual({ ...model.entryCounts() }, { entries: 2, tlsErrors: 1, revoked: 0, unknown: 1, otherStatus: 0 });
    // A reader that fails (a closed document) gives no entry rather than an exception.
    const failing = modelOf([TLS_ERROR]);
    failing.applyChanges([], () => {
      throw new Error('closed');
    });
    assert.equal(failing.entryOf(0), undefined);
    assert.deepEqual([...failing.entries()], []);
    assert.equal(failing.kindOf(0), 'tlsError');
  });

  it('handles an empty document', () => {
    const model = modelOf([]);
    assert.equal(model.lineCount, 0);
    assert.deepEqual(model.problems(), { problems: [], total: 0 });
    assert.deepEqual([...model.entries()], []);
  });
});

describe('LogModel.applyChanges', () => {
  it('re-reads a line edited in place and nothing else', () => {
    const lines = [TLS_ERROR, REVOCATION, TLS_ERROR];
    const model = modelOf(lines);
    const reads: number[] = [];
    const change = applyEdit(lines, { start: { line: 1, character: 0 }, end: { line: 1, character: lines[1].length }, text: BAD_PORT });
    assert.deepEqual(change, { startLine: 1, endLine: 1, newLineCount: 1 });
    const parsed = model.applyChanges([change], (i) => {
      reads.push(i);
      return lines[i];
    });
    assert.equal(parsed, 1);
    assert.deepEqual(reads, [1]);
    assert.deepEqual({ ...model.problemCounts() }, { error: 0, warning: 1, information: 0 });
    assert.equal(model.problems().problems[0].line, 1);
    assertMatchesFresh(model, lines);
  });

  it('fixes a broken line by typing the missing character', () => {
    const lines = [TLS_ERROR, TLS_ERROR.slice(0, -1), REVOCATION];
    const model = modelOf(lines);
    assert.equal(model.problemCounts().error, 1);
    const change = applyEdit(lines, {
      start: { line: 1, character: lines[1].length },
      end: { line: 1, character: lines[1].length },
      text: '}',
    });
    model.applyChanges([change], (i) => lines[i]);
    assert.deepEqual({ ...model.problemCounts() }, { error: 0, warning: 0, information: 0 });
    assertMatchesFresh(model, lines);
  });

  it('inserts lines and moves the problems below them', () => {
    const lines = [TLS_ERROR, BROKEN, BAD_PORT];
    const model = modelOf(lines);
    // Press Enter at the end of line 0 and paste two lines.
    const change = applyEdit(lines, {
      start: { line: 0, character: TLS_ERROR.length },
      end: { line: 0, character: TLS_ERROR.length },
      text: `\n${ODD_MESSAGE}\n${BROKEN}`,
    });
    assert.deepEqual(change, { startLine: 0, endLine: 0, newLineCount: 3 });
    const parsed = model.applyChanges([change], (i) => lines[i]);
    assert.equal(parsed, 3);
    assert.equal(model.lineCount, 5);
    assert.deepEqual(
      model.problems().problems.map((p) => [p.line, p.code]),
      [
        [1, 'unknown-error-message'],
        [2, 'invalid-json'],
        [3, 'invalid-json'],
        [4, 'invalid-port'],
      ],
    );
    assertMatchesFresh(model, lines);
  });

  it('deletes lines and moves the problems below them up', () => {
    const lines = [TLS_ERROR, BROKEN, ODD_MESSAGE, MIXED, BAD_PORT];
    const model = modelOf(lines);
    // Select from the end of line 0 to the end of line 3 and delete.
    const change = applyEdit(lines, {
      start: { line: 0, character: TLS_ERROR.length },
      end: { line: 3, character: MIXED.length },
      text: '',
    });
    assert.deepEqual(change, { startLine: 0, endLine: 3, newLineCount: 1 });
    model.applyChanges([change], (i) => lines[i]);
    assert.equal(model.lineCount, 2);
    assert.deepEqual({ ...model.problemCounts() }, { error: 0, warning: 1, information: 0 });
    assert.equal(model.problems().problems[0].line, 1);
    assertMatchesFresh(model, lines);
  });

  it('applies a multi-cursor batch reported in descending position order', () => {
    const lines = [TLS_ERROR, REVOCATION, TLS_ERROR, REVOCATION, TLS_ERROR, REVOCATION];
    const model = modelOf(lines);
    const port = TLS_ERROR.indexOf('"443"') + 1;
    const changes: LineChange[] = [];
    // Cursors on lines 4, 2 and 0 type "000" after the port: "443" becomes "443000", out of range.
    for (const line of [4, 2, 0])
      changes.push(applyEdit(lines, { start: { line, character: port + 3 }, end: { line, character: port + 3 }, text: '000' }));
    model.applyChanges(changes, (i) => lines[i]);
    assert.equal(model.problemCounts().warning, 3);
    assert.deepEqual(
      model.problems().problems.map((p) => p.line),
      [0, 2, 4],
    );
    assertMatchesFresh(model, lines);
  });

  it('applies a batch that inserts and deletes lines at several places', () => {
    const lines = [TLS_ERROR, BROKEN, REVOCATION, BAD_PORT, ODD_MESSAGE, MIXED, TLS_ERROR];
    const model = modelOf(lines);
    const changes = [
      // Lowest edit last, as VS Code reports multi-cursor edits: each applies to the text after the previous.
      applyEdit(lines, { start: { line: 5, character: 0 }, end: { line: 6, character: 0 }, text: '' }),
      applyEdit(lines, { start: { line: 3, character: 0 }, end: { line: 3, character: 0 }, text: `${BROKEN}\n${BROKEN}\n` }),
      applyEdit(lines, { start: { line: 0, character: 5 }, end: { line: 1, character: 3 }, text: 'x\ny\nz' }),
    ];
    model.applyChanges(changes, (i) => lines[i]);
    assertMatchesFresh(model, lines);
  });

  it('applies a batch in ascending order where later edits land inside lines earlier edits produced', () => {
    const lines = [TLS_ERROR, REVOCATION, BROKEN];
    const model = modelOf(lines);
    const changes = [
      applyEdit(lines, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 }, text: `${BROKEN}\n${BROKEN}\n${BROKEN}\n` }),
      applyEdit(lines, { start: { line: 1, character: 0 }, end: { line: 2, character: BROKEN.length }, text: TLS_ERROR }),
      applyEdit(lines, { start: { line: 4, character: 0 }, end: { line: 4, character: 1 }, text: '' }),
    ];
    model.applyChanges(changes, (i) => lines[i]);
    assertMatchesFresh(model, lines);
  });

  it('handles an empty batch', () => {
    const lines = [TLS_ERROR, BROKEN];
    const model = modelOf(lines);
    assert.equal(
      model.applyChanges([], (i) => lines[i]),
      0,
    );
    assertMatchesFresh(model, lines);
  });

  it('pastes 200 000 lines at once', () => {
    const lines = [TLS_ERROR, BROKEN];
    const model = modelOf(lines);
    const pasted = Array.from({ length: 200_000 }, (_, i) => POOL[i % POOL.length]).join('\n');
    const change = applyEdit(lines, { start: { line: 1, character: 0 }, end: { line: 1, character: 0 }, text: pasted + '\n' });
    assert.equal(change.newLineCount, 200_001);
    model.applyChanges([change], (i) => lines[i]);
    assert.equal(model.lineCount, 200_002);
    assert.deepEqual({ ...model.problemCounts() }, { ...modelOf(lines).problemCounts() });
    // And deletes them again.
    const back = applyEdit(lines, { start: { line: 1, character: 0 }, end: { line: 200_001, character: 0 }, text: '' });
    model.applyChanges([back], (i) => lines[i]);
    assertMatchesFresh(model, lines);
  });

  it('matches a fresh parse after each of 500 random edit batches', () => {
    const next = random(2024);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    const lines = Array.from({ length: 40 }, () => pick(POOL));
    const model = modelOf(lines);
    const fragments = [
      '',
      '}',
      '{',
      '"',
      ',',
      '9',
      'x',
      '\n',
      '\n\n',
      `\n${TLS_ERROR}`,
      `${BROKEN}\n`,
      `\n${BAD_PORT}\n${MIXED}`,
      '"dest_port":"1"',
    ];
    let edits = 0;
    let multiChangeBatches = 0;
    for (let batch = 0; edits < 500; batch++) {
      // Pick positions first, then apply from the bottom up, as VS Code reports multi-cursor edits.
      const count = 1 + Math.floor(next() * 4);
      const picked: TextEdit[] = [];
      for (let k = 0; k < count; k++) {
        const startLine = Math.floor(next() * lines.length);
        const endLine = Math.min(lines.length - 1, startLine + (next() < 0.7 ? 0 : Math.floor(next() * 4)));
        const start = { line: startLine, character: Math.floor(next() * (lines[startLine].length + 1)) };
        const endChar = Math.floor(next() * (lines[endLine].length + 1));
        const end = { line: endLine, character: endLine === startLine ? Math.max(start.character, endChar) : endChar };
        const text = next() < 0.3 ? pick(POOL) : pick(fragments);
        picked.push({ start, end, text });
      }
      // Keep only edits that do not overlap (touching lines is allowed), in descending order.
      picked.sort((a, b) => b.start.line - a.start.line || b.start.character - a.start.character);
      const batchEdits: TextEdit[] = [];
      for (const e of picked) {
        const last = batchEdits[batchEdits.length - 1];
        if (last && (e.end.line > last.start.line || (e.end.line === last.start.line && e.end.character > last.start.character))) continue;
        batchEdits.push(e);
      }
      // Every other batch is given in ascending order instead, each edit shifted by the ones before it.
      let changes: LineChange[];
      if (batch % 2 === 0) {
        changes = batchEdits.map((e) => applyEdit(lines, e));
      } else {
        changes = [];
        let lineShift = 0;
        let lastEndLine = -1;
        for (const e of [...batchEdits].reverse()) {
          // An edit on the line where the previous one ended would need its characters shifted too; skip it.
          if (e.start.line === lastEndLine) continue;
          const shifted = {
            start: { line: e.start.line + lineShift, character: e.start.character },
            end: { line: e.end.line + lineShift, character: e.end.character },
            text: e.text,
          };
          changes.push(applyEdit(lines, shifted));
          lineShift += e.text.split('\n').length - 1 - (e.end.line - e.start.line);
          lastEndLine = e.end.line;
        }
      }
      edits += changes.length;
      if (changes.length > 1) multiChangeBatches++;
      model.applyChanges(changes, (i) => lines[i]);
      assertMatchesFresh(model, lines, `after batch ${batch} (${JSON.stringify(changes)})`);
      if (lines.length > 200) {
        const cut = applyEdit(lines, {
          start: { line: 100, character: 0 },
          end: { line: lines.length - 1, character: lines[lines.length - 1].length },
          text: '',
        });
        model.applyChanges([cut], (i) => lines[i]);
      }
    }
    assert.ok(multiChangeBatches > 50, `${multiChangeBatches} batches had several changes`);
  });

  it('keeps problem objects of untouched lines stable and renumbers them', () => {
    const lines = [TLS_ERROR, BAD_PORT];
    const model = modelOf(lines);
    const before: Problem = model.lineResult(1)!.problems[0];
    const change = applyEdit(lines, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 }, text: `${BROKEN}\n` });
    assert.equal(
      model.applyChanges([change], (i) => lines[i]),
      2,
    );
    const afterEdit = model.lineResult(2)!.problems[0];
    assert.equal(afterEdit, before, 'the moved line was not parsed again');
    assert.equal(afterEdit.line, 2);
  });
});
