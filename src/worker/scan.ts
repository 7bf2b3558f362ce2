/**
 * Worker thread entry: scans log files from disk with the engine and posts results to the thread that
 * started it. One file at a time; the pool (core/scanPool.ts) hands out files and merges what comes back.
 * The same worker parses the text of open documents sent to it (core/parseWorker.ts).
 */
import { stat } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { analyzeLine } from '../core/parse/analyze';
import { batchTransferList, EntryBatchBuilder, type EntryBatch } from '../core/parse/entryBatch';
import { readLogFile } from '../core/read/lines';
import { isParseRequest, ParseHandler, type ParseReply, type ParseRequest, type ParseWorkerData } from '../core/threads/parseWorker';
import { lowerThreadPriority } from '../core/threads/threadPriority';
import { keptProblem } from '../core/parse/problems';
import { checkFile, describeError, readProblems } from '../core/report/report';
import { MAX_BATCHES_IN_FLIGHT, type ScanRequest, type ScanWorkerData, type WorkerMessage } from '../core/threads/scanPool';
import type { Problem, SeverityCounts } from '../core/parse/types';

const port = parentPort;
if (!port) throw new Error('scan.js runs as a worker thread');

const controllers = new Map<number, AbortController>();
const post = (message: WorkerMessage | ParseReply, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

// Entry batches the starting thread has finished with, counted there; without it (a pool that does not
// share one) batches are posted without waiting.
const batchesDone = (workerData as ScanWorkerData | undefined)?.batchesDone;
const done = batchesDone ? new Int32Array(batchesDone) : undefined;
let batchesPosted = 0;

// A worker that parses open documents in the background gives way to the editor's threads.
const niceness = (workerData as ParseWorkerData | undefined)?.niceness;
if (niceness !== undefined) lowerThreadPriority(niceness);

/**
 * Posts a batch of entries, first waiting (blocking this thread, and so the read) while the receiving
 * thread is {@link MAX_BATCHES_IN_FLIGHT} batches behind. Terminating the worker ends the wait.
 */
function postBatch(id: number, batch: EntryBatch): void {
  if (done) {
    for (;;) {
      const seen = Atomics.load(done, 0);
      if (batchesPosted - seen < MAX_BATCHES_IN_FLIGHT) break;
      Atomics.wait(done, 0, seen);
    }
  }
  batchesPosted++;
  post({ type: 'entries', id, batch }, batchTransferList(batch));
}

const parses = new ParseHandler(post);

port.on('message', (message: ScanRequest | ParseRequest | { type: 'cancel'; id: number }) => {
  if (isParseRequest(message)) {
    parses.handle(message);
    return;
  }
  if (message.type === 'cancel') {
    controllers.get(message.id)?.abort();
    return;
  }
  void scan(message);
});

async function scan(request: ScanRequest): Promise<void> {
  const controller = new AbortController();
  controllers.set(request.id, controller);
  const { id, path, options } = request;
  let lastProgress = 0;
  const onProgress = (bytesRead: number): void => {
    const now = Date.now();
    if (now - lastProgress < 200) return;
    lastProgress = now;
    post({ type: 'progress', id, bytesRead });
  };
  try {
    // A read buffer no bigger than the file: the S3 folders hold thousands of .log.gz files of some 50 kB,
    // and a 1 MiB buffer for each read of each of them is garbage the heap has to get rid of.
    if (options.chunkSize === undefined) {
      const size = (await stat(path).catch(() => undefined))?.size;
      if (size !== undefined) options.chunkSize = Math.min(1024 * 1024, Math.max(64 * 1024, size + 1));
    }
    if (options.mode === 'summary') {
      const report = await checkFile(path, { ...options, signal: controller.signal, onProgress });
      post({ type: 'done', id, report, counts: countSeverities(report.problems) });
      return;
    }
    // Entries mode: stream entries in packed batches; keep problems within the cap, errors first.
    const cap = options.maxProblems ?? Number.POSITIVE_INFINITY;
    const bySeverity: Record<Problem['severity'], Problem[]> = { error: [], warning: [], information: [] };
    const counts = { error: 0, warning: 0, information: 0 };
    // Small batches: each is merged on the receiving thread in one go, which must stay well under 50 ms.
    const builder = new EntryBatchBuilder(2048);
    let entries = 0;
    const read = await readLogFile(
      path,
      (text, line) => {
        const r = analyzeLine(text, line, options);
        for (const p of r.problems) {
          counts[p.severity]++;
          const list = bySeverity[p.severity];
          if (list.length < cap) list.push(keptProblem(p));
        }
        if (r.entry) {
          entries++;
          builder.add(line, r.entry);
          if (builder.full) postBatch(id, builder.take());
        }
      },
      { ...options, signal: controller.signal, onProgress },
    );
    if (builder.size > 0) postBatch(id, builder.take());
    for (const p of readProblems(read, options.severities)) {
      counts[p.severity]++;
      bySeverity[p.severity].push(p);
    }
    const problems = [...bySeverity.error, ...bySeverity.warning, ...bySeverity.information].slice(0, cap);
    post({ type: 'done', id, report: { path, entries, problems, snis: [], read }, counts });
  } catch (err) {
    post({ type: 'error', id, reason: describeError(err) });
  } finally {
    controllers.delete(id);
  }
}

function countSeverities(problems: readonly Problem[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, information: 0 };
  for (const p of problems) counts[p.severity]++;
  return counts;
}
