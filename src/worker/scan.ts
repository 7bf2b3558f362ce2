/**
 * Worker thread entry: scans log files from disk with the engine and posts results to the thread that
 * started it. One file, or one byte range of a big file, at a time; the pool (core/scanPool.ts) hands out
 * files and parts and merges what comes back.
 * The same worker parses the text of open documents sent to it (core/parseWorker.ts).
 */
import { stat } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { batchTransferList, type EntryBatch } from '../core/parse/entryBatch';
import { checkLines, mergeParts } from '../core/report/fileCheck';
import { isParseRequest, ParseHandler, type ParseReply, type ParseRequest, type ParseWorkerData } from '../core/threads/parseWorker';
import { lowerThreadPriority } from '../core/threads/threadPriority';
import { describeError } from '../core/report/report';
import { MAX_BATCHES_IN_FLIGHT, type ScanRequest, type ScanWorkerData, type WorkerMessage } from '../core/threads/scanPool';

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
    // A read buffer no bigger than the file (or the part of it): the S3 folders hold thousands of .log.gz
    // files of some 50 kB, and a 1 MiB buffer for each read of each of them is garbage the heap has to get rid of.
    if (options.chunkSize === undefined && !request.text) {
      const size = request.range ? request.range.end - request.range.start : (await stat(path).catch(() => undefined))?.size;
      if (size !== undefined) options.chunkSize = Math.min(1024 * 1024, Math.max(64 * 1024, size + 1));
    }
    const part = await checkLines(path, {
      ...options,
      range: request.range,
      text: request.text,
      signal: controller.signal,
      onProgress,
      onBatch: (batch) => postBatch(id, batch),
    });
    // A part of a file goes back as it is: the pool puts the file together from its parts.
    if (request.text) {
      // The run's bytes go back to be filled again: nothing here holds on to them (lines are strings).
      const buffer = request.text.bytes.buffer as ArrayBuffer;
      post({ type: 'part', id, part, buffer }, buffer.byteLength > 0 ? [buffer] : []);
    } else if (request.range) post({ type: 'part', id, part });
    else post({ type: 'done', id, ...mergeParts(path, [part], options) });
  } catch (err) {
    post({ type: 'error', id, reason: describeError(err) });
  } finally {
    controllers.delete(id);
  }
}
