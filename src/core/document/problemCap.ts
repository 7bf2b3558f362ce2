import type { Severity, SeverityCounts } from '../parse/types';

/** The code of the note that stands first in a capped problem list. */
export const PROBLEMS_CAPPED = 'problems-capped';

/**
 * The note a capped problem list starts with, and how many of the listed problems stay beside it. It sits
 * on the file's first character: it speaks of the whole file, not of a line.
 */
export interface CapNote {
  /** How many of the listed problems (the first ones) are shown after the note. */
  shown: number;
  line: 0;
  startColumn: 0;
  endColumn: 1;
  severity: Severity;
  message: string;
}

/**
 * The note for a file whose problem list was cut: `listed` problems of the `counts` in all, at most `cap`
 * (the editor's limit per file). When the list is full, its last (least severe) problem makes room for the
 * note. Undefined when nothing was cut, or nothing is listed. `origin` adds where the problems came from.
 */
export function capNote(listed: number, counts: SeverityCounts, cap: number, origin = ''): CapNote | undefined {
  const total = counts.error + counts.warning + counts.information;
  if (total <= listed || listed === 0) return undefined;
  const shown = listed >= cap ? listed - 1 : listed;
  return {
    shown,
    line: 0,
    startColumn: 0,
    endColumn: 1,
    severity: 'warning',
    message: `Showing ${shown} of ${total} problems in this file (${counts.error} errors, ${counts.warning} warnings, ${counts.information} information), errors first${origin}. Run "nfw-tls-logs check" on the file for the full list.`,
  };
}
