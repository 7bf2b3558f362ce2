import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TlsEntry } from '../../src/core/parse/types';
import { endpointText, entryOutcome, entryTimeMs, formatEntryTime, plural, thousands } from '../../src/core/text';

const BASE: TlsEntry = { kind: 'revocation', firewallName: 'fw', availabilityZone: 'us-east-1d', eventTimestamp: 1708361189 };

describe('text', () => {
  it('counts: thousands grouped, plural by count', () => {
    assert.equal(thousands(1234567), '1,234,567');
    assert.equal(plural(1, 'entry', 'entries'), '1 entry');
    assert.equal(plural(12345, 'error'), '12,345 errors');
  });

  it('times: milliseconds for lists, seconds for the tree, and nothing beyond a date', () => {
    const ms = Date.UTC(2024, 6, 2, 18, 1, 44, 412);
    assert.equal(formatEntryTime(ms), '2024-07-02 18:01:44.412');
    assert.equal(formatEntryTime(ms, 'seconds'), '2024-07-02 18:01:44');
    assert.equal(formatEntryTime(undefined), '(no time)');
    assert.equal(formatEntryTime(1e20), '(no time)');
    assert.equal(entryTimeMs({ ...BASE, timeMs: ms }), ms);
    assert.equal(entryTimeMs(BASE), 1708361189000);
    assert.equal(entryTimeMs({ ...BASE, eventTimestamp: 1e15 }), undefined);
    assert.equal(entryTimeMs({ ...BASE, timestamp: '2024-07-02T18:01:44.412778Z' }), ms);
  });

  it('endpoints: IPv6 in brackets only before a port', () => {
    assert.equal(endpointText('10.0.2.53', 443), '10.0.2.53:443');
    assert.equal(endpointText('2001:db8::5', 443), '[2001:db8::5]:443');
    assert.equal(endpointText('2001:db8::5', undefined), '2001:db8::5');
  });

  it('outcomes: the kind said alone, left out under a node that names it', () => {
    const revoked: TlsEntry = { ...BASE, status: 'REVOKED', action: 'DROP' };
    assert.equal(entryOutcome(revoked), 'REVOKED → DROP');
    assert.equal(entryOutcome(revoked, 'underKind'), 'DROP');
    const other: TlsEntry = { ...BASE, status: 'GOOD', action: 'PASS' };
    assert.equal(entryOutcome(other, 'underKind'), 'GOOD → PASS');
    const noSni: TlsEntry = { ...BASE, kind: 'tlsError', sni: '-', errorMessage: 'Server name is not found in client hello.' };
    assert.equal(entryOutcome(noSni), 'TLS error: no SNI');
    assert.equal(entryOutcome(noSni, 'underKind'), 'no SNI');
    const mismatch: TlsEntry = {
      ...BASE,
      kind: 'tlsError',
      sni: 'a.example',
      errorMessage: 'SNI: a.example Match Failed to server certificate names: b.example ',
    };
    assert.equal(entryOutcome(mismatch), 'TLS error: name mismatch');
    assert.equal(entryOutcome(mismatch, 'underKind'), 'name mismatch');
  });
});
