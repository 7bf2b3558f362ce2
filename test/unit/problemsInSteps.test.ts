// LogModel.problemsInSteps, the stepped form the editor publishes a big document's problems with, against
// LogModel.problems (the whole form) and against the rule written out from each line's own analysis.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { analyzeLine } from '../../src/core/parse/analyze';
import { LogModel } from '../../src/core/document/logModel';
import type { Problem, Severity } from '../../src/core/parse/types';

const TLS_ERROR =
  '{"firewall_name":"firewall-tls-test","availability_zone":"us-east-1d","event_timestamp":1719943304,"event":{"timestamp":"2024-07-02T18:01:44.412778Z","src_ip":"10.0.2.53","src_port":"59844","dest_ip":"10.0.1.27","dest_port":"443","sni":"-","tls_error":{"error_message":"Server name is not found in client hello."}}}';
/** One error. */
const BROKEN = '{"firewall_name":"fw",';
/** One warning. */
const BAD_PORT = TLS_ERROR.replace('"dest_port":"443"', '"dest_port":"70000"');
/** One information. */
const ODD_MESSAGE = TLS_ERROR.replace('Server name is not found in client hello.', 'Something new.');
const POOL = [TLS_ERROR, BROKEN, BAD_PORT, ODD_MESSAGE, '', 'garbage', BAD_PORT.replace('"src_port":"59844"', '"src_port":"-1"')];

function modelOf(lines: readonly string[]): LogModel {
  const model = new LogModel();
  model.reset(lines.length, (i) => lines[i]);
  return model;
}

/** Runs a generator to its end, counting the steps it yielded between. */
function stepped<T>(steps: Generator<void, T, undefined>): { value: T; yields: number } {
  let yields = 0;
  for (;;) {
    const next = steps.next();
    if (next.done) return { value: next.value, yields };
    yields++;
  }
}

/** The rule, from each line's own analysis: every problem in line order when they fit, else errors first, then warnings, then information, cut at `cap`. */
function expected(lines: readonly string[], cap: number): Array<[number, Severity, string]> {
  const all: Problem[] = lines.flatMap((text, i) => analyzeLine(text, i).problems);
  const rank: Record<Severity, number> = { error: 0, warning: 1, information: 2 };
  const ordered = all.length > cap ? [...all].sort((a, b) => rank[a.severity] - rank[b.severity] || a.line - b.line).slice(0, cap) : all;
  return ordered.map((p) => [p.line, p.severity, p.code]);
}

describe('LogModel.problemsInSteps', () => {
  it('gives what problems() gives, for any cap and step size, and yields between steps only', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...POOL), { maxLength: 40 }),
        fc.nat(25),
        fc.integer({ min: 1, max: 12 }),
        (lines, cap, linesPerStep) => {
          const model = modelOf(lines);
          const { value, yields } = stepped(model.problemsInSteps(cap, linesPerStep));
          assert.deepEqual(value, model.problems(cap));
          assert.equal(value.total, lines.flatMap((text, i) => analyzeLine(text, i).problems).length);
          assert.deepEqual(
            value.problems.map((p) => [p.line, p.severity, p.code]),
            expected(lines, cap),
          );
          assert.equal(yields, Math.max(0, Math.ceil(lines.length / linesPerStep) - 1));
        },
      ),
      { seed: 20261201, numRuns: 300 },
    );
  });

  it('keeps errors first across steps when capped', () => {
    const lines = [ODD_MESSAGE, BAD_PORT, BROKEN, ODD_MESSAGE, BROKEN, BAD_PORT];
    const model = modelOf(lines);
    const { value } = stepped(model.problemsInSteps(3, 2));
    assert.equal(value.total, 6);
    assert.deepEqual(
      value.problems.map((p) => [p.line, p.severity]),
      [
        [2, 'error'],
        [4, 'error'],
        [1, 'warning'],
      ],
    );
  });

  it('lists every problem in line order when they fit', () => {
    const lines = [ODD_MESSAGE, BAD_PORT, BROKEN];
    const { value } = stepped(modelOf(lines).problemsInSteps(3, 1));
    assert.deepEqual(
      value.problems.map((p) => [p.line, p.severity]),
      [
        [0, 'information'],
        [1, 'warning'],
        [2, 'error'],
      ],
    );
  });

  it('yields nothing for an empty document', () => {
    assert.deepEqual(stepped(new LogModel().problemsInSteps(10, 5)), { value: { problems: [], total: 0 }, yields: 0 });
  });
});
