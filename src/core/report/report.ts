import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeLine } from '../parse/analyze';
import { isLogFileName, isOtherFirewallLogName } from '../read/detect';
import { readLogFile, type ReadOptions, type ReadSummary } from '../read/lines';
import { formatBytes } from '../text';
import { keptProblem, messageText, PROBLEM_CATALOG } from '../parse/problems';
import { SniCounter } from './sniCounter';
import type { SniSummaryRow } from '../sni/types';
import type { AnalyzeOptions, Problem, ProblemCode, SeverityOverrides } from '../parse/types';

/** Everything the checker learned about one file. Problem lines are 0-based here. */
export interface FileReport {
  path: string;
  entries: number;
  problems: Problem[];
  snis: SniSummaryRow[];
  read: ReadSummary;
}

/** A file that could not be read at all, with the reason in words. */
export interface UnreadableFile {
  path: string;
  reason: string;
}

/** Options for a check run. */
export interface CheckOptions extends AnalyzeOptions, ReadOptions {}

/**
 * Checks one log file from disk, plain or gzip, streaming: every line through the same analyzer the
 * editor uses, every problem kept (no cap), and the SNI summary. Lines the reader could not take (too
 * long) and a file that ends early (truncated gzip, decompression limit) are reported as problems.
 */
export async function checkFile(path: string, options: CheckOptions = {}): Promise<FileReport> {
  const problems: Problem[] = [];
  // The report needs only counts per SNI, not the editor's per-line model.
  const snis = new SniCounter();
  let entries = 0;
  const read = await readLogFile(
    path,
    (text, line) => {
      const r = analyzeLine(text, line, options);
      if (r.problems.length > 0) for (const p of r.problems) problems.push(keptProblem(p));
      if (r.entry) {
        entries++;
        snis.add(r.entry);
      }
    },
    options,
  );
  const extra = readProblems(read, options.severities);
  if (extra.length > 0) {
    problems.push(...extra);
    problems.sort((a, b) => a.line - b.line || a.startColumn - b.startColumn);
  }
  return { path, entries, problems, snis: snis.summary(), read };
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

/**
 * Expands the command line's paths: files as given, directories walked (sorted, depth first) for log
 * files, skipping the firewall's alert and flow logs that share a download folder with the TLS logs.
 */
export async function collectLogFiles(
  paths: readonly string[],
): Promise<{ files: string[]; unreadable: UnreadableFile[]; skipped: number }> {
  const files: string[] = [];
  const unreadable: UnreadableFile[] = [];
  let skipped = 0;
  const walk = async (dir: string): Promise<void> => {
    let names;
    try {
      names = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      unreadable.push({ path: dir, reason: describeError(err) });
      return;
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of names) {
      const p = join(dir, d.name);
      if (d.isDirectory()) await walk(p);
      else if ((d.isFile() || d.isSymbolicLink()) && isLogFileName(d.name)) {
        if (isOtherFirewallLogName(p)) skipped++;
        else files.push(p);
      }
    }
  };
  for (const p of paths) {
    try {
      const s = await stat(p);
      if (s.isDirectory()) await walk(p);
      else files.push(p);
    } catch (err) {
      unreadable.push({ path: p, reason: describeError(err) });
    }
  }
  return { files, unreadable, skipped };
}

/** An fs error in words for a person. */
export function describeError(err: unknown): string {
  const code = (err as { code?: string } | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/** The `--json` report: 1-based lines and columns, every problem. */
export function toJsonReport(reports: readonly FileReport[]): { files: unknown[] } {
  return {
    files: reports.map((r) => ({
      path: r.path,
      entries: r.entries,
      problems: r.problems.map((p) => ({
        line: p.line + 1,
        column: p.startColumn + 1,
        endLine: p.line + 1,
        endColumn: p.endColumn + 1,
        severity: p.severity,
        code: p.code,
        message: p.message,
      })),
      snis: r.snis.map((s) => ({ sni: s.sni, entries: s.entries, tlsErrors: s.tlsErrors, revoked: s.revoked, unknown: s.unknown })),
    })),
  };
}

/** One line per problem, `path:line:col: severity code message`, as compilers print them. */
export function formatProblemLine(path: string, p: Problem): string {
  return `${terminalSafe(path)}:${p.line + 1}:${p.startColumn + 1}: ${p.severity} ${p.code} ${p.message}`;
}

/** A file name or reason for the terminal: characters a terminal would act on are written as `\uXXXX` escapes. */
export function terminalSafe(text: string): string {
  return messageText(text, Number.POSITIVE_INFINITY);
}

/** A closing summary of a run. */
export function formatTotals(reports: readonly FileReport[]): string {
  let entries = 0;
  const counts = { error: 0, warning: 0, information: 0 };
  let bytes = 0;
  for (const r of reports) {
    entries += r.entries;
    bytes += r.read.textBytes;
    for (const p of r.problems) counts[p.severity]++;
  }
  return `${reports.length} file${reports.length === 1 ? '' : 's'} (${formatBytes(bytes)}), ${entries} ${entries === 1 ? 'entry' : 'entries'}: ${counts.error} errors, ${counts.warning} warnings, ${counts.information} information`;
}
