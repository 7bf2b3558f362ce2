/**
 * The check of one log file from disk, whole or in parts: one pass over the lines of a file or of one byte
 * range of it ({@link checkLines}), and the file's report made from the passes ({@link mergeParts}). A file
 * read whole is a file of one part, so the whole-file report and the split one come out of the same code.
 */
import { analyzeLine } from '../parse/analyze';
import { EntryBatchBuilder, type EntryBatch } from '../parse/entryBatch';
import { keptProblem, PROBLEM_CATALOG } from '../parse/problems';
import { readLogFile, type ReadOptions, type ReadSummary } from '../read/lines';
import { readTextRun, type TextRun } from '../read/textRun';
import { SniCounter } from './sniCounter';
import type { SniSummaryRow } from '../sni/types';
import type { AnalyzeOptions, Problem, ProblemCode, SeverityCounts, SeverityOverrides } from '../parse/types';

/** Everything the checker learned about one file. Problem lines are 0-based here. */
export interface FileReport {
  path: string;
  entries: number;
  problems: Problem[];
  snis: SniSummaryRow[];
  read: ReadSummary;
}

/** Options for a check run. */
export interface CheckOptions extends AnalyzeOptions, ReadOptions {}

/**
 * `summary`: each file is checked whole and comes back as a report with every problem and the SNI counts
 * (the CLI). `entries`: entries stream out in packed batches as they are read, for a live view (the
 * editor), and problems are kept within a cap, errors first.
 */
export type ScanMode = 'summary' | 'entries';

/** How the lines of a file (or of a part of it) are checked. */
export interface LineCheckOptions extends CheckOptions {
  mode: ScanMode;
  /** In entries mode, how many problems of each severity to keep; all are counted. */
  maxProblems?: number;
  /** In entries mode, each batch of entries as it fills, with line numbers counted from the part's first line. */
  onBatch?: (batch: EntryBatch) => void;
  /**
   * Check these bytes instead of reading the file: a run of whole lines of a big `.log.gz`, inflated by
   * the scan pool.
   */
  text?: TextRun;
}

/**
 * What one pass over lines found, before anything about the whole file is added: problems of the lines
 * only (line numbers from the part's first line), in line order; in entries mode, at most the cap of each
 * severity, errors first. Plain data: it crosses the thread boundary.
 */
export interface PartReport {
  entries: number;
  problems: Problem[];
  /** Problems of the lines by severity, all of them (the list may be capped). */
  counts: SeverityCounts;
  /** Summary mode: the part's per-SNI counts. */
  snis: SniSummaryRow[];
  read: ReadSummary;
}

/** Entries per batch in entries mode: each is merged on the receiving thread in one go, which must stay well under 50 ms. */
const BATCH_ENTRIES = 2048;

/**
 * Reads a file (or the byte range `options.range` of it) and runs every line through the analyzer the
 * editor uses. Streaming: memory stays at the reader's chunks plus what is kept.
 */
export async function checkLines(path: string, options: LineCheckOptions): Promise<PartReport> {
  const text = options.text;
  const readLines = (onLine: (line: string, n: number) => void): Promise<ReadSummary> =>
    text ? Promise.resolve(readTextRun(text, onLine, options)) : readLogFile(path, onLine, options);
  const counts: SeverityCounts = { error: 0, warning: 0, information: 0 };
  let entries = 0;
  if (options.mode === 'summary') {
    const problems: Problem[] = [];
    // The report needs only counts per SNI, not the editor's per-line model.
    const snis = new SniCounter();
    const read = await readLines((text, line) => {
      const r = analyzeLine(text, line, options);
      if (r.problems.length > 0)
        for (const p of r.problems) {
          counts[p.severity]++;
          problems.push(keptProblem(p));
        }
      if (r.entry) {
        entries++;
        snis.add(r.entry);
      }
    });
    return { entries, problems, counts, snis: snis.summary(), read };
  }
  const cap = options.maxProblems ?? Number.POSITIVE_INFINITY;
  const bySeverity: Record<Problem['severity'], Problem[]> = { error: [], warning: [], information: [] };
  const builder = new EntryBatchBuilder(BATCH_ENTRIES);
  const read = await readLines((text, line) => {
    const r = analyzeLine(text, line, options);
    for (const p of r.problems) {
      counts[p.severity]++;
      const list = bySeverity[p.severity];
      if (list.length < cap) list.push(keptProblem(p));
    }
    if (r.entry) {
      entries++;
      builder.add(line, r.entry);
      if (builder.full) options.onBatch?.(builder.take());
    }
  });
  if (builder.size > 0) options.onBatch?.(builder.take());
  return { entries, problems: [...bySeverity.error, ...bySeverity.warning, ...bySeverity.information], counts, snis: [], read };
}

/** Where each part's lines start in the file: the lines of the parts before it. */
export function lineOffsets(parts: readonly Pick<PartReport, 'read'>[]): number[] {
  const offsets: number[] = [];
  let line = 0;
  for (const p of parts) {
    offsets.push(line);
    line += p.read.lines;
  }
  return offsets;
}

/** The entries of a batch moved down by `offset` lines, in place: a part's entries as lines of the whole file. */
export function shiftBatch(batch: EntryBatch, offset: number): EntryBatch {
  if (offset !== 0) for (let i = 0; i < batch.count; i++) batch.lines[i] += offset;
  return batch;
}

/** The read of a file from the reads of its parts, in file order. */
function mergeReads(parts: readonly PartReport[], offsets: readonly number[]): ReadSummary {
  if (parts.length === 1) return parts[0].read;
  const first = parts[0].read;
  const read: ReadSummary = { ...first, bytesRead: 0, textBytes: 0, lines: 0, longLines: [], cancelled: false };
  delete read.incomplete;
  parts.forEach((p, i) => {
    read.bytesRead += p.read.bytesRead;
    read.textBytes += p.read.textBytes;
    read.lines += p.read.lines;
    for (const line of p.read.longLines) read.longLines.push(line + offsets[i]);
    if (p.read.cancelled) read.cancelled = true;
    // The first part that ended early says why: the file changed while it was read.
    if (p.read.incomplete !== undefined && read.incomplete === undefined) read.incomplete = p.read.incomplete;
  });
  return read;
}

/**
 * A file's report from the passes over its parts, in file order: line numbers made the file's, the SNI
 * counts summed, and the problems that belong to the whole file added (lines too long, an early end, an
 * encoding that is not UTF-8), exactly as one pass over the whole file reports them. In summary mode every
 * problem is kept, in line order; in entries mode the first `maxProblems` of each severity, errors first,
 * and then at most `maxProblems` of all. The counts are of every problem, kept or not.
 */
export function mergeParts(
  path: string,
  parts: readonly PartReport[],
  options: { mode: ScanMode; maxProblems?: number; severities?: SeverityOverrides },
): { report: FileReport; counts: SeverityCounts } {
  const offsets = lineOffsets(parts);
  const read = mergeReads(parts, offsets);
  const extra = readProblems(read, options.severities);
  const counts: SeverityCounts = { error: 0, warning: 0, information: 0 };
  let entries = 0;
  for (const p of parts) {
    entries += p.entries;
    counts.error += p.counts.error;
    counts.warning += p.counts.warning;
    counts.information += p.counts.information;
  }
  for (const p of extra) counts[p.severity]++;
  const shifted = (p: Problem, offset: number): Problem => (offset === 0 ? p : { ...p, line: p.line + offset });

  if (options.mode === 'summary') {
    const problems: Problem[] = [];
    parts.forEach((part, i) => {
      for (const p of part.problems) problems.push(shifted(p, offsets[i]));
    });
    if (extra.length > 0) {
      problems.push(...extra);
      problems.sort((a, b) => a.line - b.line || a.startColumn - b.startColumn);
    }
    let snis = parts.length === 1 ? parts[0].snis : [];
    if (parts.length > 1) {
      const counter = new SniCounter();
      for (const part of parts) for (const row of part.snis) counter.addRow(row);
      snis = counter.summary();
    }
    return { report: { path, entries, problems, snis, read }, counts };
  }

  const cap = options.maxProblems ?? Number.POSITIVE_INFINITY;
  const bySeverity: Record<Problem['severity'], Problem[]> = { error: [], warning: [], information: [] };
  parts.forEach((part, i) => {
    for (const p of part.problems) {
      const list = bySeverity[p.severity];
      if (list.length < cap) list.push(shifted(p, offsets[i]));
    }
  });
  for (const p of extra) bySeverity[p.severity].push(p);
  const problems = [...bySeverity.error, ...bySeverity.warning, ...bySeverity.information].slice(0, cap);
  return { report: { path, entries, problems, snis: [], read }, counts };
}

/**
 * Checks one log file from disk, plain or gzip, streaming: every line through the same analyzer the
 * editor uses, every problem kept (no cap), and the SNI summary. Lines the reader could not take (too
 * long) and a file that ends early (truncated gzip, decompression limit) are reported as problems.
 */
export async function checkFile(path: string, options: CheckOptions = {}): Promise<FileReport> {
  const part = await checkLines(path, { ...options, mode: 'summary' });
  return mergeParts(path, [part], { mode: 'summary', severities: options.severities }).report;
}

/**
 * Problems that come from reading rather than from a line's content: lines too long to read, a file that
 * ends early (damaged gzip, decompression limit, cut short while it was read), a file that is not UTF-8
 * (with a byte order mark, or recognised as UTF-16 without one). `severities` changes their
 * severity or drops them, as it does for the line checks.
 */
export function readProblems(read: ReadSummary, severities?: SeverityOverrides): Problem[] {
  const problems: Problem[] = [];
  const add = (code: ProblemCode, line: number, message: string): void => {
    const severity = severities?.[code] ?? PROBLEM_CATALOG[code].severity;
    if (severity !== 'off') problems.push({ line, startColumn: 0, endColumn: 1, severity, code, message });
  };
  for (const line of read.longLines) add('line-too-long', line, 'This line is longer than the reader accepts and was not read.');
  if (read.incomplete && !read.cancelled) add('file-incomplete', read.lines, `The file could not be read to the end: ${read.incomplete}.`);
  const note = encodingNote(read.encoding, read.encodingGuessed === true);
  if (note !== undefined) add('unusual-format', 0, note);
  return problems;
}

/** What to say about a file that is not UTF-8 (the reader converted it), or undefined for UTF-8. */
export function encodingNote(encoding: ReadSummary['encoding'], guessed: boolean): string | undefined {
  if (encoding === 'utf8') return undefined;
  const name = encoding === 'utf16le' ? 'UTF-16 (little-endian)' : 'UTF-16 (big-endian)';
  return guessed
    ? `The file has no byte order mark, but its first bytes look like ${name} text; Network Firewall writes UTF-8. It was read as ${name}.`
    : `The file is ${name} text; Network Firewall writes UTF-8. It was read as UTF-16.`;
}
