import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { capNote } from '../../src/core/document/problemCap';

describe('capNote', () => {
  it('says nothing when every problem is listed, or none is', () => {
    assert.equal(capNote(5, { error: 2, warning: 2, information: 1 }, 1000), undefined);
    assert.equal(capNote(0, { error: 2, warning: 0, information: 0 }, 1000), undefined);
  });

  it('takes the least severe listed problem out to make room when the list is full', () => {
    const note = capNote(1000, { error: 1500, warning: 300, information: 0 }, 1000);
    assert.deepEqual(note, {
      shown: 999,
      line: 0,
      startColumn: 0,
      endColumn: 1,
      severity: 'warning',
      message:
        'Showing 999 of 1800 problems in this file (1500 errors, 300 warnings, 0 information), errors first. Run "nfw-tls-logs check" on the file for the full list.',
    });
  });

  it('keeps every listed problem when the list is below the cap (a scan that sent fewer back)', () => {
    const note = capNote(10, { error: 3, warning: 20, information: 7 }, 1000, ', from a scan of the file on disk');
    assert.equal(note?.shown, 10);
    assert.equal(
      note?.message,
      'Showing 10 of 30 problems in this file (3 errors, 20 warnings, 7 information), errors first, from a scan of the file on disk. Run "nfw-tls-logs check" on the file for the full list.',
    );
  });
});
