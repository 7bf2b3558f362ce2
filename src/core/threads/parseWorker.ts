import { Worker } from 'node:worker_threads';
import type { AnalyzeOptions } from '../parse/types';
import { batchTransferList, type EntryBatch } from '../parse/entryBatch';
import { LineParser, type ParsedLines } from '../parse/lineParse';

/**
 * Parsing a document's text on a worker thread: the thread that keeps the document (the extension host)
 * only reads the text out in runs of lines and takes back each run's {@link ParsedLines}, a few typed arrays.
 * The parse itself, and the garbage of every line's JSON, stay off that thread.
 */

export type ParseRequest =
  | { type: 'parse-start'; id: number; options: AnalyzeOptions }
  /** Lines `start..start+count-1` joined by `eol`. */
  | { type: 'parse-lines'; id: number; start: number; count: number; text: string; eol: string }
  | { type: 'parse-end'; id: number };

export type ParseReply =
  { type: 'parsed'; id: number; parsed: ParsedLines; entries: EntryBatch } | { type: 'parse-error'; id: number; reason: string };

/** What the parse worker gets when it starts (`workerData`). */
export interface ParseWorkerData {
  /** The nice value the worker sets for its own thread (see threadPriority.ts). */
  niceness: number;
}

/**
 * The parse worker's nice value: a parse is background work, and the extension host's thread (and the
 * editor's) should get a CPU before it when both want one. 10 is what `nice` gives by default.
 */
const NICENESS = 10;

/** Whether a message sent to the worker belongs to a document parse. */
export function isParseRequest(message: { type: string }): message is ParseRequest {
  return message.type === 'parse-start' || message.type === 'parse-lines' || message.type === 'parse-end';
}

/** The worker's side: the parses under way, by id. Plain code, so that it runs in a test without a thread. */
export class ParseHandler {
  private readonly parsers = new Map<number, LineParser>();

  constructor(private readonly post: (reply: ParseReply, transfer: ArrayBuffer[]) => void) {}

  handle(message: ParseRequest): void {
    switch (message.type) {
      case 'parse-start':
        this.parsers.set(message.id, new LineParser(message.options, true));
        return;
      case 'parse-end':
        this.parsers.delete(message.id);
        return;
      case 'parse-lines': {
        const parser = this.parsers.get(message.id);
        if (!parser) return;
        try {
          const parsed = parser.parseText(message.start, message.count, message.text, message.eol);
          const entries = parser.takeEntries() as EntryBatch;
          this.post({ type: 'parsed', id: message.id, parsed, entries }, [
            parsed.kinds.buffer as ArrayBuffer,
            parsed.sniIds.buffer as ArrayBuffer,
            ...batchTransferList(entries),
          ]);
        } catch (err) {
          this.parsers.delete(message.id);
          this.post({ type: 'parse-error', id: message.id, reason: err instanceof Error ? err.message : String(err) }, []);
        }
      }
    }
  }
}

/** A document's text as the parse reads it. */
export interface LineSource {
  readonly lineCount: number;
  /** The line break `readLines` joins lines with. */
  readonly eol: string;
  /** Lines `start..end-1` joined by {@link eol}. */
  readLines(start: number, end: number): string;
}

/** What a parse ends with: every run was taken, or `stopped` said to stop first. */
export type ParseOutcome = 'done' | 'stopped';

/** Characters of text per run sent to the worker: a few milliseconds of parse, and well under one to read out. */
const CHARS_PER_RUN = 256 * 1024;
/** Lines in the first run, before the document's line length is known. */
const FIRST_RUN_LINES = 500;
/** Runs sent ahead of the ones the worker has answered: the worker parses one while the next waits. */
const RUNS_IN_FLIGHT = 2;
/** A worker with no parse to do for this long ends; the next parse starts a new one. */
const IDLE_MS = 30_000;
const YOUNG_GENERATION_MB = 8;
/** A line of 16 Mi characters (the longest a disk scan reads) parses in well under this. */
const HEAP_MB = 1024;

interface Running {
  onParsed: (parsed: ParsedLines, entries: EntryBatch) => void;
  fail: (err: Error) => void;
}

/**
 * Parses documents on one worker thread, started when first needed and ended when idle. Several documents
 * may be parsed at once; their runs are interleaved. A worker that fails (it could not start, ran out of
 * memory, or a run could not be parsed) fails the parses under way, which the caller can then do itself.
 */
export class DocumentParseWorker {
  private worker: Worker | undefined;
  private readonly running = new Map<number, Running>();
  private nextId = 1;
  private idle: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly workerPath: string,
    private readonly idleMs = IDLE_MS,
  ) {}

  /**
   * Parses every line of `source`. `onParsed` receives each run's result as it comes back, in line order;
   * `stopped` is asked before each run is read out and as each comes back; a parse it stops resolves with
   * 'stopped' once the runs already sent have come back, and their results are dropped. Rejects when the
   * worker fails.
   */
  parse(
    source: LineSource,
    options: AnalyzeOptions,
    onParsed: (parsed: ParsedLines, entries: EntryBatch) => void,
    stopped: () => boolean = () => false,
  ): Promise<ParseOutcome> {
    return new Promise<ParseOutcome>((resolve, reject) => {
      if (this.disposed) {
        reject(new Error('the parse worker was disposed'));
        return;
      }
      const id = this.nextId++;
      let worker: Worker;
      try {
        worker = this.ensureWorker();
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      let next = 0;
      let inFlight = 0;
      let linesPerRun = FIRST_RUN_LINES;
      let settled = false;
      const settle = (outcome: ParseOutcome | Error): void => {
        if (settled) return;
        settled = true;
        this.running.delete(id);
        this.send({ type: 'parse-end', id });
        this.scheduleIdle();
        if (outcome instanceof Error) reject(outcome);
        else resolve(outcome);
      };
      const sendRuns = (): void => {
        while (!settled && inFlight < RUNS_IN_FLIGHT && next < source.lineCount) {
          if (stopped()) {
            if (inFlight === 0) settle('stopped');
            return;
          }
          const start = next;
          const count = Math.min(linesPerRun, source.lineCount - start);
          let text: string;
          try {
            text = source.readLines(start, start + count);
          } catch (err) {
            settle(err instanceof Error ? err : new Error(String(err)));
            return;
          }
          next += count;
          inFlight++;
          // The next run holds about CHARS_PER_RUN characters, at this run's line length.
          linesPerRun = Math.max(1, Math.min(100_000, Math.round((CHARS_PER_RUN * count) / Math.max(1, text.length))));
          this.send({ type: 'parse-lines', id, start, count, text, eol: source.eol });
        }
        if (!settled && inFlight === 0 && next >= source.lineCount) settle('done');
      };
      this.running.set(id, {
        onParsed: (parsed, entries) => {
          if (settled) return;
          inFlight--;
          try {
            // The runs of a parse that was told to stop are dropped.
            if (!stopped()) onParsed(parsed, entries);
          } catch (err) {
            settle(err instanceof Error ? err : new Error(String(err)));
            return;
          }
          if (stopped() && inFlight === 0) settle('stopped');
          else sendRuns();
        },
        fail: (err) => settle(err),
      });
      if (this.idle) clearTimeout(this.idle);
      this.idle = undefined;
      worker.postMessage({ type: 'parse-start', id, options } satisfies ParseRequest);
      sendRuns();
    });
  }

  dispose(): void {
    this.disposed = true;
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    this.stopWorker(new Error('the parse worker was disposed'));
  }

  private send(message: ParseRequest): void {
    this.worker?.postMessage(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const workerData: ParseWorkerData = { niceness: NICENESS };
    const worker = new Worker(this.workerPath, {
      workerData,
      resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    // An idle worker does not keep a process alive.
    worker.unref();
    worker.on('message', (reply: ParseReply) => {
      const run = this.running.get(reply.id);
      if (!run) return;
      if (reply.type === 'parsed') run.onParsed(reply.parsed, reply.entries);
      else run.fail(new Error(reply.reason));
    });
    worker.on('error', (err) => {
      if (this.worker === worker) this.stopWorker(err);
    });
    worker.on('exit', (code) => {
      if (this.worker === worker) this.stopWorker(new Error(`the parse worker stopped (exit code ${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private stopWorker(err: Error): void {
    const worker = this.worker;
    this.worker = undefined;
    for (const run of [...this.running.values()]) run.fail(err);
    this.running.clear();
    if (worker) void worker.terminate();
  }

  private scheduleIdle(): void {
    if (this.running.size > 0 || !this.worker || this.disposed) return;
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      this.idle = undefined;
      if (this.running.size === 0) this.stopWorker(new Error('idle'));
    }, this.idleMs);
    this.idle.unref();
  }
}
