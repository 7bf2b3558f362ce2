import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EntryBatch } from '../parse/entryBatch';
import type { SeverityCounts } from '../parse/types';
import type { ByteRange } from '../read/lines';
import type { CheckOptions, FileReport, PartReport, ScanMode } from '../report/fileCheck';
import { describeError, type UnreadableFile } from '../report/report';
import type { TextRun } from '../read/textRun';
import { GzipRuns } from './gzipRuns';
import { PART_BYTES, planTasks, RUN_BYTES, SPLIT_MIN_BYTES, SplitFile, type ScanTask } from './splitFile';

export type { ScanMode } from '../report/fileCheck';

/** The options a worker gets for one file (plain data: it crosses the thread boundary). */
export interface WorkerScanOptions extends Omit<CheckOptions, 'signal' | 'onProgress'> {
  mode: ScanMode;
  /** In entries mode, how many problems to send back per file (errors first); all are counted. */
  maxProblems?: number;
}

export interface ScanRequest {
  type: 'scan';
  id: number;
  path: string;
  options: WorkerScanOptions;
  /** Only these bytes of the file, a part of a big plain log; the worker answers with a `part` message. */
  range?: ByteRange;
  /** Not the file but this run of its inflated text, a part of a big `.log.gz`; answered with a `part` message. */
  text?: TextRun;
}

export type WorkerMessage =
  | { type: 'progress'; id: number; bytesRead: number }
  | { type: 'entries'; id: number; batch: EntryBatch }
  | { type: 'done'; id: number; report: FileReport; counts: SeverityCounts }
  /** `buffer`: the bytes of a run of `.log.gz` text, given back to be filled again. */
  | { type: 'part'; id: number; part: PartReport; buffer?: ArrayBuffer }
  | { type: 'error'; id: number; reason: string };

/** A finished file: its report and its problem counts (the report's list may be capped). */
export interface ScannedFile {
  index: number;
  report: FileReport;
  counts: SeverityCounts;
}

export interface ScanProgress {
  filesDone: number;
  filesTotal: number;
  /** Bytes read from disk so far (compressed bytes for gzip files). */
  bytesRead: number;
  bytesTotal?: number;
  entries: number;
}

export interface ScanOptions extends Omit<WorkerScanOptions, 'mode'> {
  /** The bundled worker script (dist/worker.js). */
  workerPath: string;
  mode?: ScanMode;
  /** Worker threads; default: the machine's parallelism, at most the number of files and parts. */
  threads?: number;
  /**
   * Plain UTF-8 files of at least this many bytes are read in parts of about `partBytes` by several
   * workers at once (default {@link SPLIT_MIN_BYTES}); Infinity reads every file whole. A pool of one
   * thread reads every file whole.
   */
  splitBytes?: number;
  /** The size of the parts of a split file (default: one part per thread, at least {@link PART_BYTES}). */
  partBytes?: number;
  /**
   * The most memory a worker's heap may hold, in MB (default {@link DEFAULT_WORKER_HEAP_MB}). A file that
   * needs more (millions of problems in summary mode, where they are all kept) is reported unreadable with
   * that reason, and the scan goes on with a new worker.
   */
  workerHeapMb?: number;
  signal?: AbortSignal;
  /** Sizes of the files on disk, for progress in percent. */
  sizes?: readonly number[];
  /**
   * Called for each batch of entries (entries mode). A worker sends at most {@link MAX_BATCHES_IN_FLIGHT}
   * batches ahead of the ones this has returned from, and waits when it is that far ahead: a slow merge
   * slows the reading down instead of piling batches up in the message queue.
   */
  onEntries?: (index: number, path: string, batch: EntryBatch) => void;
  onFile?: (file: ScannedFile) => void;
  /**
   * Keep every file's report for the result (default true). False when `onFile` consumes the reports as
   * they come, so that a scan of thousands of files holds none of them at the end.
   */
  keepReports?: boolean;
  onUnreadable?: (file: UnreadableFile & { index: number }) => void;
  onProgress?: (progress: ScanProgress) => void;
}

/**
 * The default limit of a worker's heap, in MB: a safety net, so that a file that needs more is reported
 * instead of taking the whole process down. A .log.gz file of an S3 folder needs a few MB and a line of
 * 16 Mi characters (the longest the reader takes) fits in 64 MB; but in summary mode every problem of a
 * file is kept until its end, and a message that quotes its line still holds on to the reader's chunk of
 * text (up to 1 MiB) the line came from: a 200 MB plain file with 2% broken lines keeps some 90 MB.
 */
export const DEFAULT_WORKER_HEAP_MB = 1024;

/**
 * A worker's young generation, in MB. V8's default (48 MB on 64-bit) fills with the short-lived strings of
 * every line before it is collected; 8 MB costs no measurable time and keeps a worker's heap near 20 MB.
 */
const YOUNG_GENERATION_MB = 8;

/** How many entry batches a worker may have posted that the receiving thread has not finished with. */
export const MAX_BATCHES_IN_FLIGHT = 4;

/**
 * What a worker gets when it starts (`workerData`): a counter, shared with the thread that started it, of
 * the entry batches that thread has finished with. The worker compares it with the number it has posted.
 */
export interface ScanWorkerData {
  batchesDone: SharedArrayBuffer;
}

/** What a scan ends with: reports in the order of the input, the files it could not read, and whether it was cancelled. */
export interface ScanResult extends Array<FileReport> {
  unreadable?: UnreadableFile[];
  cancelled?: boolean;
}

/**
 * Scans files on worker threads, several at once, so that the calling thread (the extension host, or the
 * CLI's main thread) only merges results. A big plain log is split at line ends into parts that several
 * workers read at once (./splitFile.ts); its report and its entries come out as from one pass. A worker
 * that dies (out of memory, a crash) loses only the file it was reading: that file is reported unreadable
 * and a new worker takes the rest. Cancelling stops the workers and resolves with what was finished.
 */
export async function scanFiles(files: readonly string[], options: ScanOptions): Promise<ScanResult> {
  const wanted = Math.max(1, options.threads ?? availableParallelism());
  // One thread gains nothing from parts; the planning reads a little around each cut point.
  const tasks = await planTasks(files, {
    splitBytes: wanted > 1 ? (options.splitBytes ?? SPLIT_MIN_BYTES) : Number.POSITIVE_INFINITY,
    threads: wanted,
    partBytes: options.partBytes,
    sizes: options.sizes,
  });
  // A .log.gz read in runs keeps every worker busy.
  const units = tasks.reduce((n, task) => n + (task.gzip ? wanted : 1), 0);
  return runTasks(files, tasks, Math.min(wanted, units), options);
}

function runTasks(files: readonly string[], tasks: readonly ScanTask[], threads: number, options: ScanOptions): Promise<ScanResult> {
  const mode = options.mode ?? 'summary';
  const keepReports = options.keepReports ?? true;
  const heapLimitMb = options.workerHeapMb ?? DEFAULT_WORKER_HEAP_MB;
  const reports: Array<FileReport | undefined> = new Array(files.length);
  const unreadable: UnreadableFile[] = [];
  const bytesByTask = new Float64Array(tasks.length);
  let bytesRead = 0;
  let filesDone = 0;
  let entries = 0;
  let next = 0;
  let nextId = 1;
  const bytesTotal = options.sizes?.reduce((a, b) => a + b, 0);
  const workerOptions: WorkerScanOptions = {
    mode,
    maxProblems: options.maxProblems,
    maxDecompressedBytes: options.maxDecompressedBytes,
    maxLineLength: options.maxLineLength,
    chunkSize: options.chunkSize,
    severities: options.severities,
  };
  const mergeOptions = { mode, maxProblems: options.maxProblems, severities: options.severities };
  // The files read in parts, each putting its parts together.
  const splits = new Map<number, SplitFile>();
  for (const task of tasks) {
    if ((task.range || task.gzip) && !splits.has(task.file)) {
      const file = task.file;
      const partCount = task.gzip ? undefined : tasks.filter((t) => t.file === file).length;
      splits.set(file, new SplitFile(partCount, (batch) => options.onEntries?.(file, files[file], batch)));
    }
  }
  // The `.log.gz` files being inflated here and handed out in runs, made when a worker first takes one.
  const gzips = new Map<number, GzipRuns>();
  // Runs made and not yet checked, per file: one per worker and one waiting.
  const runsAhead = threads + 1;
  // Entries mode: parts of a split file read this far ahead of its first unfinished part wait, so that the
  // entries held for later parts stay a few parts' worth.
  const partsAhead = 2 * threads;

  return new Promise<ScanResult>((resolve) => {
    if (files.length === 0) {
      resolve(Object.assign([], { unreadable }));
      return;
    }
    const live = new Set<Worker>();
    // Workers waiting for the first unfinished part of a split file to finish.
    const parked: Array<() => void> = [];
    let finished = false;
    const progress = (): void => options.onProgress?.({ filesDone, filesTotal: files.length, bytesRead, bytesTotal, entries });

    const finish = (cancelled: boolean): void => {
      if (finished) return;
      finished = true;
      options.signal?.removeEventListener('abort', onAbort);
      for (const w of live) void w.terminate();
      live.clear();
      for (const source of gzips.values()) source.destroy();
      gzips.clear();
      const result: ScanResult = Object.assign(
        reports.filter((r): r is FileReport => r !== undefined),
        { unreadable, cancelled },
      );
      resolve(result);
    };
    const onAbort = (): void => finish(true);
    options.signal?.addEventListener('abort', onAbort);
    if (options.signal?.aborted) {
      finish(true);
      return;
    }
    const unpark = (): void => {
      for (const take of parked.splice(0)) take();
    };
    const fileDone = (index: number, report: FileReport, counts: SeverityCounts): void => {
      if (mode === 'summary') entries += report.entries;
      if (keepReports) reports[index] = report;
      filesDone++;
      options.onFile?.({ index, report, counts });
    };
    const fileFailed = (index: number, reason: string): void => {
      const split = splits.get(index);
      if (split) {
        // One failed part makes the whole file unreadable, once; its other parts are skipped.
        if (split.failed) return;
        split.failed = true;
        gzips.get(index)?.destroy();
        unpark();
      }
      unreadable.push({ path: files[index], reason });
      options.onUnreadable?.({ index, path: files[index], reason });
      filesDone++;
    };

    // A part of a split file is in: the file's report once every part is.
    const partIn = (index: number, split: SplitFile, part: number, report: PartReport): void => {
      const before = split.firstUnfinished;
      if (split.partDone(part, report)) {
        const merged = split.report(files[index], mergeOptions);
        fileDone(index, merged.report, merged.counts);
      }
      if (split.firstUnfinished !== before) unpark();
    };
    // The runs of the .log.gz that task `taskIndex` reads, started on first use.
    const gzipOf = (taskIndex: number): GzipRuns => {
      const file = tasks[taskIndex].file;
      let source = gzips.get(file);
      if (!source) {
        let reported = 0;
        let endSeen = false;
        const made: GzipRuns = new GzipRuns(files[file], {
          runBytes: options.partBytes ?? RUN_BYTES,
          maxRuns: runsAhead,
          maxDecompressedBytes: options.maxDecompressedBytes,
          maxLineLength: options.maxLineLength,
          onProgress: (bytes) => {
            bytesRead += bytes - reported;
            reported = bytes;
            progress();
          },
          onReady: () => {
            const ended = made.ended;
            const split = splits.get(file) as SplitFile;
            if (ended && !endSeen && !split.failed) {
              endSeen = true;
              if ('error' in ended) fileFailed(file, describeError(ended.error));
              else {
                split.setPartCount(ended.parts);
                partIn(file, split, ended.parts - 1, ended.tail);
                progress();
              }
            }
            unpark();
          },
        });
        source = made;
        gzips.set(file, source);
      }
      return source;
    };

    const start = (): void => {
      const workerData: ScanWorkerData = { batchesDone: new SharedArrayBuffer(4) };
      const batchesDone = new Int32Array(workerData.batchesDone);
      const worker = new Worker(options.workerPath, {
        workerData,
        resourceLimits: { maxOldGenerationSizeMb: heapLimitMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      });
      live.add(worker);
      let current: { id: number; task: number; part: number } | undefined;

      const take = (): void => {
        // A worker that died while it waited for its turn has been replaced.
        if (finished || !live.has(worker)) return;
        while (next < tasks.length && splits.get(tasks[next].file)?.failed === true) next++;
        if (next >= tasks.length) {
          live.delete(worker);
          void worker.terminate();
          if (live.size === 0) finish(false);
          return;
        }
        const task = tasks[next];
        const split = splits.get(task.file);
        if (task.gzip && split) {
          // Runs of a .log.gz: the task stays next until its last run is taken.
          const source = gzips.get(task.file) ?? gzipOf(next);
          if (mode === 'entries' && source.nextPart >= split.firstUnfinished + partsAhead) {
            parked.push(take);
            return;
          }
          const run = source.next();
          if (run === 'wait') {
            parked.push(take);
            return;
          }
          if (run === 'end') {
            next++;
            take();
            return;
          }
          current = { id: nextId++, task: next, part: run.part };
          const text: TextRun = { bytes: run.bytes, first: run.first, skipped: run.skipped };
          const request: ScanRequest = { type: 'scan', id: current.id, path: files[task.file], options: workerOptions, text };
          worker.postMessage(request, [run.bytes.buffer as ArrayBuffer]);
          return;
        }
        if (mode === 'entries' && split && task.part >= split.firstUnfinished + partsAhead) {
          parked.push(take);
          return;
        }
        const index = next++;
        current = { id: nextId++, task: index, part: task.part };
        const request: ScanRequest = { type: 'scan', id: current.id, path: files[task.file], options: workerOptions, range: task.range };
        worker.postMessage(request);
      };

      // A worker's messages are handled in order, at most one batch of entries per turn of the event loop:
      // a message port delivers everything that has piled up in one go, which would otherwise merge several
      // batches back to back on this thread. The worker waits for the acknowledgements (back-pressure).
      const queue: WorkerMessage[] = [];
      let yielding = false;
      const pump = (): void => {
        while (queue.length > 0 && !yielding) {
          const message = queue.shift() as WorkerMessage;
          handle(message);
          if (message.type === 'entries') {
            yielding = true;
            setImmediate(() => {
              yielding = false;
              pump();
            });
          }
        }
      };
      worker.on('message', (message: WorkerMessage) => {
        queue.push(message);
        pump();
      });
      const handle = (message: WorkerMessage): void => {
        if (message.type === 'entries') {
          // Whatever happens to the batch, the worker may send the next one once this handler returns.
          try {
            if (!finished && current && message.id === current.id) {
              const task = tasks[current.task];
              entries += message.batch.count;
              const split = splits.get(task.file);
              if (split) {
                if (!split.failed) split.entries(current.part, message.batch);
              } else options.onEntries?.(task.file, files[task.file], message.batch);
            }
          } finally {
            Atomics.add(batchesDone, 0, 1);
            Atomics.notify(batchesDone, 0);
          }
          return;
        }
        if (finished || !current || message.id !== current.id) return;
        const taskIndex = current.task;
        const part = current.part;
        const task = tasks[taskIndex];
        const index = task.file;
        const read = (bytes: number): void => {
          bytesRead += bytes - bytesByTask[taskIndex];
          bytesByTask[taskIndex] = bytes;
        };
        switch (message.type) {
          case 'progress':
            read(message.bytesRead);
            progress();
            return;
          case 'done':
            read(message.report.read.bytesRead);
            current = undefined;
            fileDone(index, message.report, message.counts);
            progress();
            take();
            return;
          case 'part': {
            read(message.part.read.bytesRead);
            current = undefined;
            if (task.gzip) gzips.get(index)?.done(message.buffer);
            const split = splits.get(index);
            if (split && !split.failed) partIn(index, split, part, message.part);
            progress();
            take();
            return;
          }
          case 'error':
            current = undefined;
            fileFailed(index, message.reason);
            progress();
            take();
            return;
        }
      };
      worker.on('error', (err) => {
        if (finished) return;
        // The worker is gone: report the file it held and carry on with a fresh worker.
        if (current) {
          const reason =
            (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? `checking it needed more than the ${heapLimitMb} MB of memory a scan may use for one file (${err.message})`
              : `the scan stopped: ${err.message}`;
          fileFailed(tasks[current.task].file, reason);
          current = undefined;
        }
        live.delete(worker);
        if (next < tasks.length) start();
        else if (live.size === 0) finish(false);
      });
      take();
    };
    for (let i = 0; i < threads; i++) start();
  });
}
