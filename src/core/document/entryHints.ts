/**
 * The label at the start of each entry line (the editor shows it as an inlay hint): when, what happened and to
 * which server name, in columns that line up from one line to the next, so that a log reads without scrolling
 * sideways. Built from the per-line model, for the lines on screen only.
 */

import { lineGist, leadingProblem } from '../explain/gist';
import { addressText, compactOutcome, endpointText, entryTimeMs, oneLine, sniText, timeOfDay } from '../text';
import type { Problem, TlsEntry } from '../parse/types';

/** What a hint can show, in the order it shows them. */
export const HINT_PARTS = ['time', 'outcome', 'sni', 'source', 'destination'] as const;
export type HintPart = (typeof HINT_PARTS)[number];

/** What a hint needs of a document's lines: what a LogModel keeps, reading an entry again on demand. */
export interface HintLines {
  readonly lineCount: number;
  hasEntry(line: number): boolean;
  problemsOf(line: number): readonly Problem[];
  entryOf(line: number): TlsEntry | undefined;
}

/** One line's hint: a label of plain text (log values shown with their invisible characters, cut short) and its tooltip. */
export interface EntryHint {
  line: number;
  label: string;
  tooltip: string;
}

/** Width of the outcome column: `UNKNOWN→REJECT`. */
const OUTCOME_WIDTH = 14;
/** The longest SNI a hint shows; the hover and the SNI view show it in full. */
const MAX_SNI = 60;
const GAP = '  ';

/**
 * The hints of lines `start..end` (inclusive), one for each line that holds an entry or has a problem.
 * A line with a problem shows the code of its most severe problem where the outcome goes. `parts` says what
 * each hint shows; none, no hints.
 */
export function entryHints(lines: HintLines, start: number, end: number, parts: readonly HintPart[]): EntryHint[] {
  const out: EntryHint[] = [];
  if (parts.length === 0) return out;
  const from = Math.max(0, Math.trunc(start));
  const to = Math.min(lines.lineCount - 1, Math.trunc(end));
  for (let line = from; line <= to; line++) {
    const problems = lines.problemsOf(line);
    if (problems.length === 0 && !lines.hasEntry(line)) continue;
    const entry = lines.entryOf(line);
    const label = hintLabel(entry, problems, parts);
    // A line without an entry has nothing for parts such as the destination; VS Code rejects an empty hint.
    if (label !== '') out.push({ line, label, tooltip: lineGist({ entry, problems }) ?? '' });
  }
  return out;
}

/** One line's label; see {@link entryHints}. */
export function hintLabel(entry: TlsEntry | undefined, problems: readonly Problem[], parts: readonly HintPart[]): string {
  const problem = leadingProblem(problems);
  const outcome = problem ? problem.code : entry ? compactOutcome(entry) : '';
  const cells: string[] = [];
  for (const part of HINT_PARTS) {
    if (!parts.includes(part)) continue;
    switch (part) {
      case 'time':
        cells.push(timeOfDay(entry ? entryTimeMs(entry) : undefined));
        break;
      case 'outcome':
        cells.push(outcome.padEnd(OUTCOME_WIDTH));
        break;
      case 'sni':
        // "no SNI" already says what `-` would.
        if (entry && !(entry.sni === '-' && outcome === 'no SNI')) cells.push(oneLine(sniText(entry.sni), MAX_SNI));
        break;
      case 'source':
        if (entry) cells.push(endpointText(addressText(entry.srcIp), entry.srcPort));
        break;
      case 'destination':
        if (entry) cells.push(`→ ${endpointText(addressText(entry.destIp), entry.destPort)}`);
        break;
    }
  }
  return cells.join(GAP).trimEnd();
}
