import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isLogFileName, isOtherFirewallLogName } from '../read/detect';
import { formatBytes } from '../text';
import { messageText } from '../parse/problems';
import type { Problem } from '../parse/types';
import type { FileReport } from './fileCheck';

export { checkFile, encodingNote, readProblems, type CheckOptions, type FileReport } from './fileCheck';

/** A file that could not be read at all, with the reason in words. */
export interface UnreadableFile {
  path: string;
  reason: string;
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
