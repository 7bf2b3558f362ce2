/**
 * Memory of a folder scan, each configuration in a child process of its own so that peaks do not mix:
 * peak resident memory of the process (the kernel's high-water mark, workers included), the largest heap of
 * any one worker, the main thread's heap, wall time and CPU time.
 *
 *   node out/bench/memory.js [--dir bench/data/s3-1024MB | a single file] [--only summary1,summary2,entries,cli,clijson]
 *                            [--merge-ms N] [--rounds N] [--json]
 *
 * `summary1` and `summary2` are the CLI's scan (1 and 2 workers, each report dropped after onFile);
 * `entries` is the editor's scan with an `onEntries` that only counts (the SNI model is left out); with
 * `--merge-ms N` each batch also keeps the main thread busy for N ms, as a slow merge would. `cli` and
 * `clijson` run dist/cli.js on the folder with its output sent to /dev/null. Worker heaps come from
 * bench/memoryWorker.ts, which runs the product's worker with a sampler. Plain and gzip `.log` files count.
 */
import { spawn, spawnSync } from 'node:child_process';
import { openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { scanFiles } from '../src/core/threads/scanPool';

const MB = 1024 * 1024;
const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const DIR = resolve(arg('--dir') ?? join('bench', 'data', 's3-1024MB'));
const ONLY = (arg('--only') ?? 'summary1,summary2,entries,cli,clijson').split(',');
const MERGE_MS = Number(arg('--merge-ms') ?? 0);
const ROUNDS = Number(arg('--rounds') ?? 1);
const JSON_OUT = args.includes('--json');

/** A child's JSON line as a line for people. */
function describe(line: string): string {
  let r: Record<string, number | string>;
  try {
    r = JSON.parse(line) as Record<string, number | string>;
  } catch {
    return line;
  }
  const mb = (k: string): string => (typeof r[k] === 'number' ? `${(r[k] as number).toFixed(0)} MB` : '-');
  const s = (k: string): string => (typeof r[k] === 'number' ? `${((r[k] as number) / 1000).toFixed(1)} s` : '-');
  return (
    `${String(r.config).padEnd(9)} peak RSS ${mb('peakRssMB').padStart(7)}  wall ${s('wallMs').padStart(7)}  CPU ${s('cpuMs').padStart(7)}` +
    (r.workerHeapMB !== undefined
      ? `  worker heap ${mb('workerHeapMB')}, buffers ${mb('workerArrayBuffersMB')}  main heap ${mb('mainHeapMB')}  ${r.files} files, ${r.entries} entries, ${r.batches} batches`
      : `  exit ${r.exit}`) +
    '\n'
  );
}

function listFiles(dir: string): string[] {
  if (statSync(dir).isFile()) return [dir];
  const out: string[] = [];
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.isDirectory()) out.push(...listFiles(p));
    else if (/\.log(\.gz)?$/.test(p)) out.push(p);
  }
  return out.sort();
}

/** The kernel's peak resident set of a process, in bytes (Linux), or undefined. */
function highWaterMark(pid: number | 'self'): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** One configuration, in this process; prints one JSON line. */
async function runOne(config: string): Promise<void> {
  const paths = listFiles(DIR);
  const heaps = new Map<number, number>();
  let workerHeap = 0;
  let workerExternal = 0;
  const channel = new BroadcastChannel('nfw-memory');
  channel.onmessage = (event: unknown): void => {
    const m = (event as { data: { threadId: number; heapUsed: number; heapTotal: number; arrayBuffers: number } }).data;
    heaps.set(m.threadId, m.heapTotal);
    workerHeap = Math.max(workerHeap, m.heapTotal);
    workerExternal = Math.max(workerExternal, m.arrayBuffers);
  };
  let sampled = process.memoryUsage().rss;
  let mainHeap = 0;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    sampled = Math.max(sampled, m.rss);
    mainHeap = Math.max(mainHeap, m.heapTotal);
  }, 5);
  let entries = 0;
  let batches = 0;
  let files = 0;
  let textBytes = 0;
  let problems = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await scanFiles(paths, {
    workerPath: resolve('out', 'bench', 'memoryWorker.js'),
    threads: config === 'summary1' ? 1 : 2,
    mode: config === 'entries' ? 'entries' : 'summary',
    maxProblems: config === 'entries' ? 1000 : undefined,
    // As the CLI does: each report is taken as it comes and dropped.
    keepReports: false,
    onFile: (file) => {
      files++;
      textBytes += file.report.read.textBytes;
      problems += file.report.problems.length;
      if (config !== 'entries') entries += file.report.entries;
    },
    onEntries: (_index, _path, batch) => {
      entries += batch.count;
      batches++;
      if (MERGE_MS > 0) {
        const until = performance.now() + MERGE_MS;
        while (performance.now() < until);
      }
    },
  });
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  clearInterval(timer);
  channel.close();
  process.stdout.write(
    `${JSON.stringify({
      config,
      files,
      unreadable: result.unreadable?.length ?? 0,
      textMB: textBytes / MB,
      entries,
      batches,
      problems,
      wallMs: wall,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMB: (highWaterMark('self') ?? sampled) / MB,
      sampledRssMB: sampled / MB,
      workerHeapMB: workerHeap / MB,
      workerArrayBuffersMB: workerExternal / MB,
      mainHeapMB: mainHeap / MB,
    })}\n`,
  );
}

/** The CLI on the folder, its output thrown away; peak RSS from the kernel via the child's last status. */
function runCli(json: boolean): Promise<void> {
  return new Promise((done) => {
    const t0 = performance.now();
    const devnull = openSync('/dev/null', 'w');
    const child = spawn(process.execPath, [resolve('dist', 'cli.js'), 'check', ...(json ? ['--json'] : []), DIR], {
      stdio: ['ignore', devnull, 'inherit'],
    });
    let peak = 0;
    const timer = setInterval(() => {
      peak = Math.max(peak, highWaterMark(child.pid!) ?? 0);
    }, 5);
    child.on('exit', (code) => {
      clearInterval(timer);
      const wall = performance.now() - t0;
      process.stdout.write(`${JSON.stringify({ config: json ? 'clijson' : 'cli', exit: code, wallMs: wall, peakRssMB: peak / MB })}\n`);
      done();
    });
  });
}

async function main(): Promise<void> {
  const single = arg('--run');
  if (single === 'cli' || single === 'clijson') return runCli(single === 'clijson');
  if (single) return runOne(single);
  console.log(`memory of a folder scan of ${DIR}: node ${process.version}${MERGE_MS ? `, ${MERGE_MS} ms per batch merge` : ''}`);
  for (let round = 0; round < ROUNDS; round++) {
    for (const config of ONLY) {
      const r = spawnSync(process.execPath, [__filename, '--run', config, '--dir', DIR, '--merge-ms', String(MERGE_MS)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      process.stdout.write(JSON_OUT ? r.stdout : describe(r.stdout));
    }
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
