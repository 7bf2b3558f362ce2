import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesQuery, typedTime } from '../../src/core/document/timeQuery';

describe('Go to Entry by Time: what is typed', () => {
  it('matches every word anywhere, ignoring case and arrows', () => {
    const texts = ['2024-07-02 18:02:10.100', 'REVOKED → DROP', 'revoked.example.com · line 3'];
    assert.ok(matchesQuery('REVOKED DROP', texts));
    assert.ok(matchesQuery('revoked → drop', texts));
    assert.ok(matchesQuery('drop 18:02', texts));
    assert.ok(matchesQuery('', texts));
    assert.ok(!matchesQuery('REVOKED PASS', texts));
    assert.ok(!matchesQuery('UNKNOWN', ['2024-07-02 18:02:10.100', undefined]));
  });

  it('reads a clock time on the day of the entries, or a whole date and time, in UTC', () => {
    const day = Date.UTC(2024, 6, 2, 18, 0, 5);
    assert.equal(typedTime('18:03', day), Date.UTC(2024, 6, 2, 18, 3));
    assert.equal(typedTime(' 18:03:30.5 ', day), Date.UTC(2024, 6, 2, 18, 3, 30, 500));
    assert.equal(typedTime('2024-07-02T18:03:30Z', undefined), Date.UTC(2024, 6, 2, 18, 3, 30));
    assert.equal(typedTime('2024-07-02 18:03', undefined), Date.UTC(2024, 6, 2, 18, 3));
    assert.equal(typedTime('2024-07-03', undefined), Date.UTC(2024, 6, 3));
    assert.equal(typedTime('18:03', undefined), undefined);
    assert.equal(typedTime('25:00', day), undefined);
    assert.equal(typedTime('2024-02-31', undefined), undefined);
    assert.equal(typedTime('REVOKED', day), undefined);
  });
});
