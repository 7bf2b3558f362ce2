/**
 * The lines of one run of inflated `.log.gz` text held in memory: a part of a big compressed log that the
 * scan pool inflated on one thread and handed to a worker (../threads/gzipRuns.ts). The run starts at the
 * start of a line and ends after a line break (or at the end of the text), so its lines are the file's.
 */
import { StringDecoder } from 'node:string_decoder';
import { LineSplitter, sniffEncoding, splitDecoded, type ReadOptions, type ReadSummary } from './lines';

/** A run of inflated text, as it crosses to a worker (its bytes transferred, not copied). */
export interface TextRun {
  bytes: Uint8Array;
  /** The run is the start of the text: a byte order mark there is dropped. */
  first: boolean;
  /**
   * Set instead of bytes for one line too long to hold (many times the longest line the reader takes):
   * its bytes were dropped as they were inflated, and the run is that one line, reported too long.
   */
  skipped?: number;
}

/**
 * Calls `onLine` for every line of the run's bytes, UTF-8 text, with line numbers from the run's first line, as
 * {@link readLogFile} does for the same text read from the file. `first`: the run is the start of the
 * file, whose byte order mark is dropped. `bytesRead` is 0: the compressed bytes are counted by the thread
 * that inflated them.
 */
export function readTextRun(
  run: TextRun,
  onLine: (text: string, line: number) => void,
  options: Pick<ReadOptions, 'maxLineLength'> = {},
): ReadSummary {
  const summary: ReadSummary = { bytesRead: 0, textBytes: 0, lines: 0, gzip: true, encoding: 'utf8', longLines: [], cancelled: false };
  const { bytes, first, skipped } = run;
  if (skipped !== undefined) return { ...summary, textBytes: skipped, lines: 1, longLines: [0] };
  let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (first) text = text.subarray(sniffEncoding(text).bomLength);
  summary.textBytes = text.length;
  const splitter = new LineSplitter(onLine, (line) => summary.longLines.push(line), options.maxLineLength);
  const decoder = new StringDecoder('utf8');
  splitDecoded(splitter, decoder, text);
  splitter.push(decoder.end());
  splitter.end();
  summary.lines = splitter.linesSeen;
  return summary;
}
