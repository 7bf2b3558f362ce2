import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarizeDocument } from '../../src/core/document/documentSummary';
import { scanPickerOptions, scanTargets } from '../../src/core/sources/scanTargets';

class Loc {
  constructor(readonly path: string) {}
}
const isLoc = (x: unknown): x is Loc => x instanceof Loc;

describe('scanTargets', () => {
  const a = new Loc('/logs/a');
  const b = new Loc('/logs/b.log.gz');
  it('reads the Explorer: the clicked resource, or all selected ones', () => {
    assert.deepEqual(scanTargets(isLoc, a), [a]);
    assert.deepEqual(scanTargets(isLoc, a, [a, b]), [a, b]);
    assert.deepEqual(scanTargets(isLoc, a, []), [a]);
  });
  it('takes a list given as the argument, and ignores what is not a location', () => {
    assert.deepEqual(scanTargets(isLoc, [a, 'x', b]), [a, b]);
    assert.deepEqual(scanTargets(isLoc, 'x', ['y']), undefined);
  });
  it('asks the user when no location is given', () => {
    assert.equal(scanTargets(isLoc, undefined), undefined);
    assert.equal(scanTargets(isLoc, []), undefined);
  });
  it('asks with a picker of folders and files, several at once, starting at the workspace folder', () => {
    const options = scanPickerOptions([a, b]);
    assert.equal(options.defaultUri, a);
    assert.equal(options.canSelectFolders && options.canSelectFiles && options.canSelectMany, true);
    assert.equal(scanPickerOptions<Loc>([]).defaultUri, undefined);
  });
});

describe('summarizeDocument', () => {
  it("counts a file's own notes with its lines' problems, as the Problems panel lists them", () => {
    const model = {
      problemCounts: () => ({ error: 4, warning: 1, information: 0 }),
      entryCounts: () => ({ entries: 9, tlsErrors: 2, revoked: 3, unknown: 4, otherStatus: 0 }),
    };
    assert.deepEqual(summarizeDocument(model).problems, { error: 4, warning: 1, information: 0 });
    assert.deepEqual(summarizeDocument(model, [{ severity: 'error' }]).problems, { error: 5, warning: 1, information: 0 });
  });
});
