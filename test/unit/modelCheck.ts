import assert from 'node:assert/strict';
import { analyzeLine } from '../../src/core/parse/analyze';
import type { LogModel } from '../../src/core/document/logModel';
import { kindOf } from '../../src/core/parse/entryKind';
import type { TlsEntry } from '../../src/core/parse/types';

/**
 * Asserts that what the model keeps per line (kind, SNI, counts) and the entries it reads again agree with
 * each line analysed on its own: the model does not keep entries, so comparing two models alone would not
 * catch a wrong kind or a count that drifted.
 */
export function assertMatchesLines(model: LogModel, lines: readonly string[], context = ''): void {
  const counts = { entries: 0, tlsErrors: 0, revoked: 0, unknown: 0, otherStatus: 0 };
  const snis = new Map<string | undefined, number>();
  for (let i = 0; i < lines.length; i++) {
    const entry: TlsEntry | undefined = analyzeLine(lines[i], i).entry;
    assert.deepEqual(model.entryOf(i), entry, `entry of line ${i} ${context}`);
    assert.equal(model.hasEntry(i), entry !== undefined, `line ${i} has an entry ${context}`);
    assert.equal(model.kindOf(i), entry && kindOf(entry), `kind of line ${i} ${context}`);
    assert.equal(model.sniOf(i), entry?.sni, `SNI of line ${i} ${context}`);
    if (!entry) continue;
    counts.entries++;
    const kind = kindOf(entry);
    if (kind === 'tlsError') counts.tlsErrors++;
    else if (kind === 'revoked') counts.revoked++;
    else if (kind === 'unknown') counts.unknown++;
    else counts.otherStatus++;
    snis.set(entry.sni, (snis.get(entry.sni) ?? 0) + 1);
  }
  assert.deepEqual({ ...model.entryCounts() }, counts, `entry counts ${context}`);
  for (const [sni, n] of snis) assert.equal(model.sniCount(sni), n, `count of SNI ${String(sni)} ${context}`);
  assert.equal(model.sniCount('never.seen.example'), 0);
}
