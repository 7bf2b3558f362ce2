/**
 * A scan worker for bench/memory.ts: the product's worker (dist/worker.js) with a sampler that reports this
 * thread's heap on a broadcast channel every few milliseconds, so that the benchmark can tell the workers'
 * memory from the main thread's.
 */
import { BroadcastChannel, threadId } from 'node:worker_threads';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';

const channel = new BroadcastChannel('nfw-memory');
const sample = (): void => {
  const h = getHeapStatistics();
  const m = process.memoryUsage();
  channel.postMessage({
    threadId,
    heapUsed: h.used_heap_size,
    heapTotal: h.total_heap_size,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
  });
};
const timer = setInterval(sample, 5);
timer.unref();
// eslint-disable-next-line @typescript-eslint/no-require-imports
require(join(__dirname, '..', '..', 'dist', 'worker.js'));
