/**
 * The command line's per-file SNI counts: the rows of the SNI model's summary, counted without the model.
 */
import { K_REVOKED, K_TLS, K_UNKNOWN, kindIndex, type SniKey } from '../parse/entryKind';
import type { TlsEntry } from '../parse/types';
import { ownCopy } from '../ownCopy';
import { compareStrings } from '../sni/compare';
import type { SniSummaryRow } from '../sni/types';

/**
 * Just the per-SNI counts of `SniModel.summary`, for a reader that needs nothing else (the command
 * line's report): one small record per SNI instead of the model's per-line storage. Same rows, same order.
 */
export class SniCounter {
  private readonly rows = new Map<SniKey, { sni: SniKey; entries: number; tlsErrors: number; revoked: number; unknown: number }>();

  add(entry: TlsEntry): void {
    const row = this.row(entry.sni ?? null);
    row.entries++;
    const k = kindIndex(entry);
    if (k === K_TLS) row.tlsErrors++;
    else if (k === K_REVOKED) row.revoked++;
    else if (k === K_UNKNOWN) row.unknown++;
  }

  /** Adds the counts of another counter's row: the summary of a file read in parts is the sum of the parts'. */
  addRow(other: SniSummaryRow): void {
    const row = this.row(other.sni);
    row.entries += other.entries;
    row.tlsErrors += other.tlsErrors;
    row.revoked += other.revoked;
    row.unknown += other.unknown;
  }

  private row(sni: SniKey): { sni: SniKey; entries: number; tlsErrors: number; revoked: number; unknown: number } {
    let row = this.rows.get(sni);
    if (row === undefined) {
      // Kept for the whole file: a copy of its own, not a slice of the reader's chunk.
      const key = sni === null ? null : ownCopy(sni);
      this.rows.set(key, (row = { sni: key, entries: 0, tlsErrors: 0, revoked: 0, unknown: 0 }));
    }
    return row;
  }

  /** Rows with the most entries first, ties by name as `SniModel.summary` orders them. */
  summary(): SniSummaryRow[] {
    const lower = (s: SniKey): string => (s === null ? '' : s.toLowerCase());
    return [...this.rows.values()].sort(
      (a, b) =>
        b.entries - a.entries ||
        (a.sni === null || b.sni === null
          ? a.sni === b.sni
            ? 0
            : a.sni === null
              ? -1
              : 1
          : compareStrings(lower(a.sni), lower(b.sni)) || compareStrings(a.sni, b.sni)),
    );
  }
}
