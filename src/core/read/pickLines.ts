import { readLogFile, type ReadOptions } from './lines';

/**
 * Given lines of a log file on disk, plain or gzip, read as a scan reads them (so line numbers agree with
 * the scan's): by line number, the lines that the file has. Reading stops after the last line asked for.
 * Rejects only when the file cannot be opened or read at all.
 */
export async function readLinesOf(path: string, lines: readonly number[], options: ReadOptions = {}): Promise<Map<number, string>> {
  const wanted = new Set(lines);
  const out = new Map<number, string>();
  if (wanted.size === 0) return out;
  let last = -1;
  for (const line of wanted) if (line > last) last = line;
  const stop = new AbortController();
  options.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  await readLogFile(
    path,
    (text, line) => {
      if (wanted.has(line)) out.set(line, text);
      if (line >= last) stop.abort();
    },
    { ...options, signal: stop.signal },
  );
  return out;
}
