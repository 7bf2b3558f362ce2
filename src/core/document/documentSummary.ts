import type { Problem, SeverityCounts } from '../parse/types';
import type { EntryCounts } from './logModel';
import { plural, thousands } from '../text';

/** What the status bar says about the TLS log in the active editor. */
export interface DocumentSummary extends EntryCounts {
  problems: SeverityCounts;
}

/**
 * A document's problems and its entries by kind, as its model counts them. `fileNotes` are the problems
 * of the file as a whole that no line holds (a `.log.gz` cut short): the Problems panel lists them, so
 * they are counted too, and the count is of problems, as there.
 */
export function summarizeDocument(
  model: { problemCounts(): Readonly<SeverityCounts>; entryCounts(): Readonly<EntryCounts> },
  fileNotes: readonly Pick<Problem, 'severity'>[] = [],
): DocumentSummary {
  const problems = { ...model.problemCounts() };
  for (const note of fileNotes) problems[note.severity]++;
  return { problems, ...model.entryCounts() };
}

/** The status bar text, with codicons: `$(error) 2 errors · $(workspace-untrusted) 18 revoked · $(question) 43 unknown`. */
export function statusText(s: DocumentSummary): string {
  return [
    `$(error) ${plural(s.problems.error, 'error', 'errors')}`,
    `$(workspace-untrusted) ${plural(s.revoked, 'revoked', 'revoked')}`,
    `$(question) ${plural(s.unknown, 'unknown', 'unknown')}`,
  ].join(' · ');
}

/** The same for screen readers, without icons. */
export function statusAccessibleText(s: DocumentSummary): string {
  return `TLS log: ${plural(s.problems.error, 'error', 'errors')}, ${plural(s.revoked, 'revoked entry', 'revoked entries')}, ${plural(s.unknown, 'unknown entry', 'unknown entries')}`;
}

/** The status bar tooltip in markdown: counts only, no log values. */
export function statusTooltip(s: DocumentSummary): string {
  const p = s.problems;
  return [
    '**AWS Network Firewall TLS log**',
    '',
    `- **Problems:** ${plural(p.error, 'error', 'errors')}, ${plural(p.warning, 'warning', 'warnings')}, ${thousands(p.information)} information`,
    `- **Entries:** ${thousands(s.entries)}`,
    `  - TLS errors: ${thousands(s.tlsErrors)}`,
    `  - Revoked: ${thousands(s.revoked)}`,
    `  - Unknown: ${thousands(s.unknown)}`,
    ...(s.otherStatus > 0 ? [`  - Other status: ${thousands(s.otherStatus)}`] : []),
    '',
    'Click to show the SNI view.',
  ].join('\n');
}
