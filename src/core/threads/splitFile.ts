/**
 * One big plain log on several workers: the scan pool's tasks (whole files, or byte ranges of a big file),
 * and the putting together of a split file from its parts, in file order, as if it had been read in one pass.
 */
import { stat } from 'node:fs/promises';
import type { EntryBatch } from '../parse/entryBatch';
import type { SeverityCounts, SeverityOverrides } from '../parse/types';
import { gzipSplittable, lineAlignedRanges, splittable } from '../read/byteRanges';
import type { ByteRange } from '../read/lines';
import { mergeParts, shiftBatch, type FileReport, type PartReport, type ScanMode } from '../report/fileCheck';

const MiB = 1024 * 1024;

/**
 * Files from this size on are split. Below it a file is read whole: a folder of many files keeps every
 * core busy anyway, and a small file is done before splitting would pay.
 */
export const SPLIT_MIN_BYTES = 16 * MiB;

/**
 * The smallest part. A file is cut into one part per worker (a 100 MB log on 2 workers: two of 50 MB), not
 * into many small ones: every part costs its own per-SNI counts, sorted and sent back and summed, and on 2
 * cores parts of 8 MB took some 10 % more CPU time in all than parts of 50 MB (bench/run.ts, --only single).
 */
export const PART_BYTES = 8 * MiB;

/**
 * How many times bigger the text of a `.log.gz` is taken to be than the file: a compressed log is split
 * from {@link SPLIT_MIN_BYTES} / 8 on (2 MiB by default). Network Firewall TLS logs compress about 8 to 1
 * (the bench's 100 MB log is a 12.7 MB .log.gz), so that is about the text size a plain log is split at.
 */
export const GZIP_RATIO = 8;

/**
 * Text per run of a `.log.gz` read on several workers: runs, unlike the parts of a plain log, are made
 * one after the other as the file is inflated, so they are smaller than one per worker to keep every
 * worker busy from the start, and few are held at once. On the bench's 100 MB log on 2 workers, runs of
 * 2, 4 and 8 MiB took the same time and CPU; 2 MiB held the least (peak RSS 154 MB against 167 MB).
 */
export const RUN_BYTES = 2 * MiB;

/**
 * The fewest workers a `.log.gz` is read in runs with. Inflating, cutting and handing out runs, and a second
 * worker's own start and garbage collection, cost CPU time that one worker reading the file whole does not
 * spend: on the bench's 100 MB log (12 MB compressed), 2.4 s of CPU in runs on 2 workers against 1.5 s whole
 * on one. With 2 cores that is 1.25 s against 1.1 s, a loss; from 3 cores on the 2.4 s spread over 3 or more
 * threads takes less time than 1.5 s on one.
 */
export const GZIP_MIN_THREADS = 3;

/** The part size for a file of `size` bytes on `threads` workers: one part each, none under {@link PART_BYTES}. */
export function partSize(size: number, threads: number): number {
  return Math.max(PART_BYTES, Math.ceil(size / Math.max(1, threads)));
}

/**
 * One unit of work for a worker: a whole file, or part `part` of a split file (`range` set), or a
 * `.log.gz` inflated by the pool and handed out in runs of lines, each a part (`gzip` set).
 */
export interface ScanTask {
  file: number;
  part: number;
  range?: ByteRange;
  gzip?: true;
}

/**
 * The tasks for `files`: each file whole, except plain UTF-8 files of at least `splitBytes`, which are cut
 * at line ends into parts of about `partBytes` (default: one part per thread, see {@link partSize}), and,
 * on {@link GZIP_MIN_THREADS} threads or more, `.log.gz` files of UTF-8 text of at least `splitBytes` /
 * {@link GZIP_RATIO}, read in runs of lines. A
 * file that cannot be looked at here is left whole, for the worker to report. `sizes`, when given, saves
 * a `stat` of each file.
 */
export async function planTasks(
  files: readonly string[],
  options: { splitBytes: number; threads: number; partBytes?: number; sizes?: readonly number[] },
): Promise<ScanTask[]> {
  const plans = await Promise.all(
    files.map(async (path, file): Promise<ScanTask[]> => {
      const whole = [{ file, part: 0 }];
      if (!Number.isFinite(options.splitBytes)) return whole;
      try {
        const size = options.sizes?.[file] ?? (await stat(path)).size;
        if (options.threads >= GZIP_MIN_THREADS && size >= options.splitBytes / GZIP_RATIO && (await gzipSplittable(path)))
          return [{ file, part: 0, gzip: true }];
        if (size < options.splitBytes || !(await splittable(path))) return whole;
        const ranges = await lineAlignedRanges(path, size, options.partBytes ?? partSize(size, options.threads));
        return ranges.length < 2 ? whole : ranges.map((range, part) => ({ file, part, range }));
      } catch {
        return whole;
      }
    }),
  );
  return plans.flat();
}

/**
 * A split file while its parts come back, in any order. Entries of the first part not yet finished are
 * passed on at once; those of later parts are held until every part before them has finished, since
 * their line numbers depend on how many lines those parts had. The report is made when the last part is in.
 * The number of parts of a `.log.gz` read in runs is known only once it has been inflated to its end
 * ({@link setPartCount}).
 */
export class SplitFile {
  private readonly parts: Array<PartReport | undefined> = [];
  private readonly held: EntryBatch[][] = [];
  private released = 0;
  /** The lines of the parts before the first unfinished one. */
  private offset = 0;
  /** Set when a part could not be read: the file is unreadable, and its other parts are skipped. */
  failed = false;

  constructor(
    private partCount: number | undefined,
    private readonly deliver: (batch: EntryBatch) => void,
  ) {}

  /** The first part that has not finished: parts before it are passed on. */
  get firstUnfinished(): number {
    return this.released;
  }

  /** Whether every part has finished. */
  get complete(): boolean {
    return this.released === this.partCount;
  }

  /** A batch of entries of part `part`, with the part's line numbers. */
  entries(part: number, batch: EntryBatch): void {
    if (part === this.released) this.deliver(shiftBatch(batch, this.offset));
    else (this.held[part] ??= []).push(batch);
  }

  /** The number of parts, once known. Returns whether every part has finished. */
  setPartCount(count: number): boolean {
    this.partCount = count;
    return this.complete;
  }

  /** Part `part` finished. Returns whether every part has. */
  partDone(part: number, report: PartReport): boolean {
    this.parts[part] = report;
    for (let done = this.parts[this.released]; done !== undefined; done = this.parts[this.released]) {
      this.offset += done.read.lines;
      this.released++;
      if (this.released === this.partCount) break;
      const batches = this.held[this.released] ?? [];
      this.held[this.released] = [];
      for (const batch of batches) this.deliver(shiftBatch(batch, this.offset));
    }
    return this.complete;
  }

  /** The file's report, once every part has finished. */
  report(
    path: string,
    options: { mode: ScanMode; maxProblems?: number; severities?: SeverityOverrides },
  ): {
    report: FileReport;
    counts: SeverityCounts;
  } {
    if (!this.complete) throw new Error('SplitFile.report: a part has not finished');
    return mergeParts(path, this.parts as PartReport[], options);
  }
}
