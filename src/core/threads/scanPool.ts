import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { EntryBatch } from '../parse/entryBatch';
import type { SeverityCounts } from '../parse/types';
import type { CheckOptions, FileReport, UnreadableFile } from '../report/report';

/**
 * `summary`: each file is checked whole in a worker and comes back as a report (the CLI).
 * `entries`: entries stream back in packed batches as they are read, for a live view (the editor).
 */
export type ScanMode = 'summary' | 'entries';

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
}

export type WorkerMessage =
  | { type: 'progress'; id: number; bytesRead: number }
  | { type: 'entries'; id: number; batch: EntryBatch }
  | { type: 'done'; id: number; report: FileReport; counts: SeverityCounts }
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
  /** Worker threads; default: the machine's parallelism, at most the number of files. */
  threads?: number;
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
 * CLI's main thread) only merges results. A worker that dies (out of memory, a crash) loses only the file
 * it was reading: that file is reported unreadable and a new worker takes the rest. Cancelling stops the
 * workers and resolves with what was finished.
 */
export function scanFiles(files: readonly string[], options: ScanOptions): Promise<ScanResult> {
  const mode = options.mode ?? 'summary';
  const keepReports = options.keepReports ?? true;
  const heapLimitMb = options.workerHeapMb ?? DEFAULT_WORKER_HEAP_MB;
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), files.length));
  const reports: Array<FileReport | undefined> = new Array(files.length);
  const unreadable: UnreadableFile[] = [];
  const bytesByFile = new Float64Array(files.length);
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

  return new Promise<ScanResult>((resolve) => {
    if (files.length === 0) {
      resolve(Object.assign([], { unreadable }));
      return;
    }
    const live = new Set<Worker>();
    let finished = false;
    const progress = (): void => options.onProgress?.({ filesDone, filesTotal: files.length, bytesRead, bytesTotal, entries });

    const finish = (cancelled: boolean): void => {
      if (finished) return;
      finished = true;
      options.signal?.removeEventListener('abort', onAbort);
      for (const w of live) void w.terminate();
      live.clear();
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

    const start = (): void => {
      const workerData: ScanWorkerData = { batchesDone: new SharedArrayBuffer(4) };
      const batchesDone = new Int32Array(workerData.batchesDone);
      const worker = new Worker(options.workerPath, {
        workerData,
        resourceLimits: { maxOldGenerationSizeMb: heapLimitMb, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      });
      live.add(worker);
      let current: { id: number; index: number } | undefined;

      const take = (): void => {
        if (finished) return;
        if (next >= files.length) {
          live.delete(worker);
          void worker.terminate();
          if (live.size === 0) finish(false);
          return;
        }
        const index = next++;
        current = { id: nextId++, index };
        const request: ScanRequest = { type: 'scan', id: current.id, path: files[index], options: workerOptions };
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
              entries += message.batch.count;
              options.onEntries?.(current.index, files[current.index], message.batch);
            }
          } finally {
            Atomics.add(batchesDone, 0, 1);
            Atomics.notify(batchesDone, 0);
          }
          return;
        }
        if (finished || !current || message.id !== current.id) return;
        const { index } = current;
        switch (message.type) {
          case 'progress':
            bytesRead += message.bytesRead - bytesByFile[index];
            bytesByFile[index] = message.bytesRead;
            progress();
            return;
          case 'done': {
            bytesRead += message.report.read.bytesRead - bytesByFile[index];
            bytesByFile[index] = message.report.read.bytesRead;
            if (mode === 'summary') entries += message.report.entries;
            if (keepReports) reports[index] = message.report;
            filesDone++;
            current = undefined;
            options.onFile?.({ index, report: message.report, counts: message.counts });
            progress();
            take();
            return;
          }
          case 'error':
            unreadable.push({ path: files[index], reason: message.reason });
            options.onUnreadable?.({ index, path: files[index], reason: message.reason });
            filesDone++;
            current = undefined;
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
          unreadable.push({ path: files[current.index], reason });
          options.onUnreadable?.({ index: current.index, path: files[current.index], reason });
          filesDone++;
          current = undefined;
        }
        live.delete(worker);
        if (next < files.length) start();
        else if (live.size === 0) finish(false);
      });
      take();
    };
    for (let i = 0; i < threads; i++) start();
  });
}
