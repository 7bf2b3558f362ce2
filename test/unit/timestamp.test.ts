import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeLine } from '../../src/core/parse/analyze';
import { isoTimestampMs, parseIsoTimestamp } from '../../src/core/parse/timestamp';
import { explainField } from '../../src/core/explain/fields';
import { isDocumentedAction, isDocumentedStatus, REVOCATION_ACTIONS, REVOCATION_STATUSES } from '../../src/core/parse/format';

const NOW = Date.parse('2024-07-04T00:00:00Z');

function line(timestamp: string): string {
  const event = {
    timestamp,
    src_ip: '10.0.2.53',
    src_port: '59844',
    dest_ip: '10.0.1.27',
    dest_port: '443',
    sni: '-',
    tls_error: { error_message: 'Server name is not found in client hello.' },
  };
  return JSON.stringify({ firewall_name: 'fw', availability_zone: 'us-east-1d', event_timestamp: 1719943304, event });
}

describe('parseIsoTimestamp', () => {
  it('reads the AWS spelling to the millisecond and keeps the fraction as written', () => {
    assert.deepEqual(parseIsoTimestamp('2024-07-02T18:01:44.412778Z'), {
      ms: Date.UTC(2024, 6, 2, 18, 1, 44, 412),
      fraction: '412778',
      zulu: true,
    });
    assert.deepEqual(parseIsoTimestamp('2024-07-02T18:01:44Z'), { ms: Date.UTC(2024, 6, 2, 18, 1, 44), fraction: '', zulu: true });
    assert.deepEqual(parseIsoTimestamp('2024-07-02T18:01:44.4Z'), { ms: Date.UTC(2024, 6, 2, 18, 1, 44, 400), fraction: '4', zulu: true });
  });

  it('reads numeric offsets, with and without a colon', () => {
    const utc = Date.UTC(2024, 6, 2, 18, 1, 44, 412);
    assert.deepEqual(parseIsoTimestamp('2024-07-02T18:01:44.412778+0000'), { ms: utc, fraction: '412778', zulu: false });
    assert.equal(parseIsoTimestamp('2024-07-02T14:01:44.412-04:00')?.ms, utc);
    assert.equal(parseIsoTimestamp('2024-07-02T20:01:44.412+0200')?.ms, utc);
  });

  it('truncates the fraction, never rounding into the next second', () => {
    assert.equal(parseIsoTimestamp('2024-07-02T18:01:44.999999Z')?.ms, Date.UTC(2024, 6, 2, 18, 1, 44, 999));
  });

  it('accepts up to nine fractional digits and no more', () => {
    assert.equal(parseIsoTimestamp('2024-07-02T18:01:44.123456789Z')?.fraction, '123456789');
    assert.equal(parseIsoTimestamp('2024-07-02T18:01:44.1234567890Z'), undefined);
    assert.ok(Number.isNaN(isoTimestampMs('2024-07-02T18:01:44.1234567890Z')));
  });

  it('refuses what is not a real time or not this spelling', () => {
    for (const text of [
      '',
      'yesterday',
      '2024-02-30T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2024-13-01T00:00:00Z',
      '2024-07-02T24:00:00Z',
      '2024-07-02T18:60:00Z',
      '2024-07-02T18:01:60Z',
      '2024-07-02T18:01:44.Z',
      '2024-07-02T18:01:44',
      '2024-07-02 18:01:44Z',
      '2024-07-02T18:01:44+24:00',
      '2024-07-02T18:01:44+0060',
      '2024-07-02T18:01:44z',
    ]) {
      assert.equal(parseIsoTimestamp(text), undefined, text);
    }
    assert.equal(parseIsoTimestamp('2024-02-29T00:00:00Z')?.ms, Date.UTC(2024, 1, 29));
  });

  it('places years before 100 in their own century', () => {
    assert.equal(parseIsoTimestamp('0050-01-01T00:00:00Z')?.ms, new Date('0050-01-01T00:00:00Z').getTime());
  });
});

describe('the validator and the hover read event.timestamp alike', () => {
  for (const [timestamp, valid] of [
    ['2024-07-02T18:01:44.412778Z', true],
    ['2024-07-02T18:01:44.123456789Z', true],
    ['2024-07-02T18:01:44.1234567890Z', false],
    ['2024-02-30T18:01:44.412778Z', false],
  ] as const) {
    it(`${timestamp}: ${valid ? 'valid' : 'invalid'} to both`, () => {
      const result = analyzeLine(line(timestamp), 0);
      const invalid = result.problems.some((p) => p.code === 'invalid-timestamp');
      assert.equal(invalid, !valid);
      assert.equal(result.entry?.timeMs !== undefined, valid);
      const explanation = explainField('event.timestamp', result.entry, timestamp, { now: NOW, timeZone: 'UTC' });
      assert.ok(explanation);
      assert.equal(
        explanation.facts.some((f) => f.label === 'UTC'),
        valid,
      );
      const placed = explanation.sections.some((s) => s.text.includes('cannot be placed in time'));
      assert.equal(placed, !valid);
      // event_timestamp's hover compares with event.timestamp only when that one is valid.
      const seconds = explainField('event_timestamp', result.entry, 1719943304, { now: NOW, timeZone: 'UTC' });
      assert.equal(
        seconds?.sections.some((s) => s.heading === 'Agreement' || s.heading === 'Disagreement'),
        valid,
      );
    });
  }
});

describe('documented values', () => {
  it('are exactly the statuses and actions of the format, in upper case', () => {
    assert.deepEqual([...REVOCATION_STATUSES], ['REVOKED', 'UNKNOWN']);
    assert.deepEqual([...REVOCATION_ACTIONS], ['PASS', 'DROP', 'REJECT']);
    for (const status of REVOCATION_STATUSES) assert.ok(isDocumentedStatus(status));
    for (const action of REVOCATION_ACTIONS) assert.ok(isDocumentedAction(action));
    for (const other of ['revoked', 'GOOD', '', undefined, 'PASS']) assert.equal(isDocumentedStatus(other), false);
    for (const other of ['drop', 'ALERT', '', undefined, 'REVOKED']) assert.equal(isDocumentedAction(other), false);
  });
});
