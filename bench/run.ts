/**
 * `npm run bench`: the engine's speed and memory against baselines measured in the same run on the same
 * files. Generates its inputs under bench/data/ (ignored by git) with the project's generator, runs baseline
 * and engine alternately, and prints medians and ratios.
 *
 *   node out/bench/run.js [--quick] [--rounds N] [--threads 1,2,4] [--only plain,gzip,single,folder,folder-editor,edit]
 *   (edit: a one-line edit and the entry hints of a screen, on a 40 MB document)
 *   (folder-editor: only the editor's folder scan, not the command line's; single: one big file on the
 *   worker pool, plain and .log.gz, against jq and the one-thread check, for each pool size of --threads,
 *   default 1, 2 and all cores)
 */
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createGunzip } from 'node:zlib';
import { LogModel } from '../src/core/document/logModel';
import { checkFile } from '../src/core/report/report';
import { scanFiles, type ScannedFile } from '../src/core/threads/scanPool';
import { GZIP_MIN_THREADS } from '../src/core/threads/splitFile';
import { SniModel } from '../src/core/sni/sniModel';
import { measureExplorer } from './explorer';
import { writeLog, writeS3Tree } from './generate';
import { measureHintRequests } from './hints';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const roundsArg = args.indexOf('--rounds');
const ROUNDS = roundsArg >= 0 ? Number(args[roundsArg + 1]) : quick ? 3 : 5;
const onlyArg = args.indexOf('--only');
const ONLY = onlyArg >= 0 ? new Set(args[onlyArg + 1].split(',')) : undefined;
const threadsArg = args.indexOf('--threads');
const CORES = availableParallelism();
/** Pool sizes for the single-file figures: 1, 2 and all cores unless given. */
const THREADS = [...new Set(threadsArg >= 0 ? args[threadsArg + 1].split(',').map(Number) : [1, 2, CORES])];
const MB = 1024 * 1024;
const DATA = resolve('bench', 'data');
const WORKER = resolve('dist', 'worker.js');

const PLAIN_SIZE = (quick ? 20 : 100) * MB;
const FOLDER_SIZE = (quick ? 200 : 1024) * MB;
const EDIT_DOC_SIZE = 40 * MB;

/** Runs a full garbage collection (the flag can be set at run time; `gc` is then reachable from a new context). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Heap and array buffers in use after a full collection. */
function held(): number {
  collectGarbage();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmt(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

/** The floor: stream the file (gunzip if asked), split lines, JSON.parse each. Nothing else. */
function baseline(path: string, gzip: boolean): Promise<number> {
  return new Promise((done, fail) => {
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let parsed = 0;
    const onText = (chunk: Buffer): void => {
      const text = pending + decoder.write(chunk);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        try {
          JSON.parse(text.slice(start, nl));
          parsed++;
        } catch {
          // Malformed lines count as read, as in the engine.
        }
        start = nl + 1;
      }
      pending = text.slice(start);
    };
    const file = createReadStream(path, { highWaterMark: MB });
    if (gzip) {
      const gunzip = createGunzip({ chunkSize: 256 * 1024 });
      file.pipe(gunzip);
      gunzip.on('data', onText);
      gunzip.on('end', () => done(parsed));
      gunzip.on('error', fail);
    } else {
      file.on('data', (c) => onText(c as Buffer));
      file.on('end', () => done(parsed));
    }
    file.on('error', fail);
  });
}

async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Peak resident memory while `fn` runs, sampled every 5 ms. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peak };
  } finally {
    clearInterval(timer);
  }
}

async function alternate(label: string, base: () => Promise<unknown>, engine: () => Promise<unknown>, bytes: number): Promise<void> {
  const b: number[] = [];
  const e: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    b.push(await time(base));
    e.push(await time(engine));
  }
  const mb = bytes / MB;
  const bm = median(b);
  const em = median(e);
  console.log(`${label}`);
  console.log(
    `  baseline  median ${fmt(bm).padStart(9)}  ${(mb / (bm / 1000)).toFixed(0).padStart(5)} MB/s   runs ${b.map(fmt).join(', ')}`,
  );
  console.log(
    `  engine    median ${fmt(em).padStart(9)}  ${(mb / (em / 1000)).toFixed(0).padStart(5)} MB/s   runs ${e.map(fmt).join(', ')}`,
  );
  console.log(`  ratio engine/baseline: ${(em / bm).toFixed(2)}x`);
}

async function ensureLog(name: string, bytes: number, gzip: boolean): Promise<string> {
  const path = join(DATA, name);
  if (!existsSync(path)) {
    process.stdout.write(`generating ${name} ...\n`);
    await writeLog(path, bytes, { gzip, malformed: 0.01, seed: 7 });
  }
  return path;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    if (name.isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out.sort();
}

/** jq counting SNIs, the shell one-liner people reach for: `jq -R 'fromjson? | .event.sni' | sort | uniq -c`. */
function jqSniCount(path: string, gzip: boolean): Promise<void> {
  const input = gzip ? `zcat '${path}' | jq` : `jq`;
  const file = gzip ? '' : ` '${path}'`;
  return new Promise((done, fail) => {
    const child = spawn('sh', ['-c', `${input} -R 'fromjson? | .event.sni'${file} | sort | uniq -c > /dev/null`], { stdio: 'ignore' });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`jq exited with ${code}`))));
  });
}

/** Inflating alone, nothing else: the part of a .log.gz check that cannot be split. */
function inflateOnly(path: string): Promise<void> {
  return new Promise((done, fail) => {
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    createReadStream(path, { highWaterMark: MB }).on('error', fail).pipe(gunzip);
    gunzip.on('data', () => undefined);
    gunzip.on('end', done);
    gunzip.on('error', fail);
  });
}

/** One single-file variant, run in a child process of its own: `--memory-child today|pool-N <path>`. */
async function memoryChild(variant: string, path: string): Promise<void> {
  if (variant === 'today') await checkFile(path);
  else await scanFiles([path], { workerPath: WORKER, threads: Number(variant.slice('pool-'.length)), mode: 'summary' });
  // The kernel's high-water mark of the process, worker threads included, in kB.
  process.stdout.write(`${process.resourceUsage().maxRSS}\n`);
}

/** Peak resident memory of a variant run alone in a fresh process. */
function peakOf(variant: string, path: string): number {
  const run = spawnSync(process.execPath, [__filename, '--memory-child', variant, path], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`memory child ${variant}: ${run.stderr}`);
  return (Number(run.stdout.trim()) * 1024) / MB;
}

/**
 * One big file, checked as today (one thread, checkFile) and on the worker pool with each pool size of
 * THREADS (a plain file is split across the workers), against split + JSON.parse on one thread and jq's SNI
 * count, all in rotation on the same file; then each variant's peak memory in a process of its own.
 */
async function singleFile(path: string, gzip: boolean, textBytes: number): Promise<void> {
  const variants: Array<{ name: string; run: () => Promise<unknown>; memory?: string }> = [
    { name: gzip ? 'gunzip + split + JSON.parse' : 'split + JSON.parse', run: () => baseline(path, gzip) },
    { name: `jq SNI count${gzip ? ' (zcat | jq)' : ''}`, run: () => jqSniCount(path, gzip) },
    { name: 'check today (one thread)', run: () => checkFile(path), memory: 'today' },
    ...THREADS.map((threads) => ({
      name: `check on ${threads} worker${threads > 1 ? 's' : ''}${threads === CORES ? ' (all cores)' : ''}`,
      run: () => scanFiles([path], { workerPath: WORKER, threads, mode: 'summary' }),
      memory: `pool-${threads}`,
    })),
  ];
  if (gzip) {
    // Below GZIP_MIN_THREADS a .log.gz is read whole by one worker; this reads it in runs anyway, to show what
    // runs cost where there are not the cores for them.
    if (!THREADS.some((t) => t >= GZIP_MIN_THREADS))
      variants.push({
        name: `in runs on ${GZIP_MIN_THREADS} workers`,
        run: () => scanFiles([path], { workerPath: WORKER, threads: GZIP_MIN_THREADS, mode: 'summary' }),
        memory: `pool-${GZIP_MIN_THREADS}`,
      });
    variants.push({ name: 'inflate only (no lines)', run: () => inflateOnly(path) });
  }
  // A control for what the cores give at all in this run: the file twice, whole, one per worker, per file.
  // With two free cores this takes about the time of one file on one worker; on a machine busy with other
  // work it shows how much parallel work can gain.
  const twice = async (): Promise<void> => {
    await scanFiles([path, path], { workerPath: WORKER, threads: 2, mode: 'summary', splitBytes: Number.POSITIVE_INFINITY });
  };
  variants.push({ name: 'control: file twice on 2 workers', run: twice });
  const times = variants.map(() => [] as number[]);
  // The calling thread (the CLI's, or the extension host's in the editor) for each check: its longest stall,
  // the most time between two turns of its event loop, over all rounds.
  const stalls = variants.map(() => 0);
  for (let i = 0; i < ROUNDS; i++)
    for (const [v, variant] of variants.entries()) {
      const loop = variant.memory ? monitorEventLoopDelay({ resolution: 1 }) : undefined;
      loop?.enable();
      times[v].push(await time(variant.run));
      loop?.disable();
      if (loop) stalls[v] = Math.max(stalls[v], loop.max / 1e6);
    }
  const medians = times.map(median);
  const [base, jq, today] = medians;
  console.log(
    `One ${(textBytes / MB).toFixed(0)} MB log${gzip ? ` as .log.gz (${(statSync(path).size / MB).toFixed(1)} MB)` : ''} on the worker pool; this machine has ${CORES} cores, so "all cores" is ${CORES}` +
      (gzip ? `; a .log.gz is read in runs on ${GZIP_MIN_THREADS} workers or more, whole by one worker on fewer` : ''),
  );
  for (const [v, variant] of variants.entries()) {
    const m = medians[v];
    const peak = variant.memory ? `  peak RSS ${peakOf(variant.memory, path).toFixed(0)} MB  longest stall ${fmt(stalls[v])}` : '';
    console.log(
      `  ${variant.name.padEnd(32)} median ${fmt(m).padStart(9)}  ${(textBytes / MB / (m / 1000)).toFixed(0).padStart(5)} MB/s  ` +
        `${(m / jq).toFixed(2)}x jq  ${(m / base).toFixed(2)}x baseline  ${(m / today).toFixed(2)}x today${peak}   runs ${times[v].map(fmt).join(', ')}`,
    );
  }
  const one = variants.findIndex((v) => v.memory === 'pool-1');
  if (one >= 0) {
    const free = (2 * medians[one]) / medians[medians.length - 1];
    console.log(`  cores this run could use (two files on 2 workers against one on 1): ${free.toFixed(2)} of 2`);
  }
}

async function main(): Promise<void> {
  const child = args.indexOf('--memory-child');
  if (child >= 0) {
    await memoryChild(args[child + 1], args[child + 2]);
    return;
  }
  mkdirSync(DATA, { recursive: true });
  console.log(
    `nfw-tls-logs benchmark: node ${process.version}, ${ROUNDS} rounds, medians; baseline and engine alternate on the same file\n`,
  );

  if (!ONLY || ONLY.has('plain')) {
    const plain = await ensureLog(`plain-${PLAIN_SIZE / MB}MB.log`, PLAIN_SIZE, false);
    const bytes = statSync(plain).size;
    await alternate(
      `Full check of a ${(bytes / MB).toFixed(0)} MB plain log (CLI path: stream, validate, problems, SNI counts) vs split + JSON.parse`,
      () => baseline(plain, false),
      () => checkFile(plain),
      bytes,
    );

    // The editor's path: the document's lines are already in memory; the model parses each.
    const text = await new Promise<string>((done) => {
      const chunks: Buffer[] = [];
      createReadStream(plain)
        .on('data', (c) => chunks.push(c as Buffer))
        .on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    });
    // As the extension host holds a document: its lines arrive in a JSON message, so each is a string of
    // its own. (split() would give slices of one big string, which costs code that reads characters more.)
    const lines = JSON.parse(JSON.stringify(text.split('\n'))) as string[];
    await alternate(
      `Editor path on the same log in memory (${lines.length} lines): LogModel.reset vs JSON.parse of each line`,
      async () => {
        for (const l of lines) {
          try {
            JSON.parse(l);
          } catch {
            // counted as read
          }
        }
      },
      async () => new LogModel().reset(lines.length, (i) => lines[i]),
      bytes,
    );
    console.log('');
  }

  if (!ONLY || ONLY.has('gzip')) {
    const gz = await ensureLog(`plain-${PLAIN_SIZE / MB}MB.log.gz`, PLAIN_SIZE, true);
    const textBytes = PLAIN_SIZE;
    await alternate(
      `Full check of the same log as .log.gz (${(statSync(gz).size / MB).toFixed(1)} MB compressed) vs gunzip + split + JSON.parse`,
      () => baseline(gz, true),
      () => checkFile(gz),
      textBytes,
    );
    console.log('');
  }

  if (!ONLY || ONLY.has('single')) {
    const plain = await ensureLog(`plain-${PLAIN_SIZE / MB}MB.log`, PLAIN_SIZE, false);
    await singleFile(plain, false, statSync(plain).size);
    const gz = await ensureLog(`plain-${PLAIN_SIZE / MB}MB.log.gz`, PLAIN_SIZE, true);
    await singleFile(gz, true, PLAIN_SIZE);
    console.log('');
  }

  if (!ONLY || ONLY.has('folder') || ONLY.has('folder-editor')) {
    const root = join(DATA, `s3-${FOLDER_SIZE / MB}MB`);
    if (!existsSync(root)) {
      process.stdout.write(`generating an S3 folder tree of ${FOLDER_SIZE / MB} MB of logs ...\n`);
      await writeS3Tree(root, FOLDER_SIZE, { malformed: 0.005, seed: 11 });
    }
    const files = listFiles(root).filter((f) => f.endsWith('.log.gz'));
    const compressed = files.reduce((n, f) => n + statSync(f).size, 0);
    for (const threads of ONLY?.has('folder-editor') ? [] : [1, 2]) {
      const start = process.cpuUsage();
      const t0 = performance.now();
      // As the CLI does it: each file's report is consumed as it arrives, none is kept.
      let textBytes = 0;
      let entries = 0;
      const onFile = (f: ScannedFile): void => {
        textBytes += f.report.read.textBytes;
        entries += f.report.entries;
      };
      const { peak } = await peakRss(() => scanFiles(files, { workerPath: WORKER, threads, mode: 'summary', keepReports: false, onFile }));
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(start);
      console.log(
        `Folder scan, ${files.length} .log.gz files (${(compressed / MB).toFixed(0)} MB compressed, ${(textBytes / MB).toFixed(0)} MB of text, ${entries} entries), ${threads} worker thread${threads > 1 ? 's' : ''}: ` +
          `${fmt(wall)}, ${(textBytes / MB / (wall / 1000)).toFixed(0)} MB/s, process CPU ${fmt((cpu.user + cpu.system) / 1000)}, peak RSS of this process ${(peak / MB).toFixed(0)} MB`,
      );
    }
    {
      // The editor's folder scan: entries stream back in packed batches and are merged into one SNI model here.
      const before = held();
      const model = new SniModel();
      const start = process.cpuUsage();
      const t0 = performance.now();
      let textBytes = 0;
      const { peak } = await peakRss(() =>
        scanFiles(files, {
          workerPath: WORKER,
          threads: 2,
          mode: 'entries',
          maxProblems: 1000,
          keepReports: false,
          onFile: (f) => {
            textBytes += f.report.read.textBytes;
          },
          onEntries: (index, path, batch) => model.addBatch(path, batch, { index: String(index) }),
        }),
      );
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(start);
      console.log(
        `Folder scan as the editor does it (2 workers, entries merged into the SNI model on this thread: ${model.totalEntries} entries, ${model.groups().length} SNIs): ` +
          `${fmt(wall)}, ${(textBytes / MB / (wall / 1000)).toFixed(0)} MB/s, process CPU ${fmt((cpu.user + cpu.system) / 1000)}, peak RSS ${(peak / MB).toFixed(0)} MB`,
      );
      // What the model itself holds, and what the tree's queries cost on it.
      const withModel = held();
      const groups = model.groups();
      const biggest = groups[0];
      const timed = (label: string, fn: () => unknown): string => {
        const t = performance.now();
        fn();
        return `${label} ${fmt(performance.now() - t)}`;
      };
      const queries = [
        timed('groups by count', () => model.groups()),
        timed('by latest', () => model.groups({ sort: 'latest' })),
        timed('files with failing SNIs', () => model.containers('source', { kind: 'failing' })),
        timed(`first page of the biggest group (${biggest.entries} entries) by time`, () =>
          model.entriesOf(biggest.sni, biggest.worst, 0, 200, { order: 'time' }),
        ),
        timed('its details', () => model.details(biggest.sni)),
        timed('remove one file', () => model.removeSource(model.sourceKeys()[0])),
        timed('groups by latest after it', () => model.groups({ sort: 'latest' })),
      ];
      console.log(
        `  the SNI model holds ${((withModel - before) / MB).toFixed(0)} MB (heap and array buffers after GC, after the scan minus before it)`,
      );
      console.log(`  queries: ${queries.join(', ')}`);
      measureExplorer(model, held, fmt);
    }
    console.log('');
  }

  if (!ONLY || ONLY.has('edit')) {
    const plain = await ensureLog(`plain-${EDIT_DOC_SIZE / MB}MB-edit.log`, EDIT_DOC_SIZE, false);
    const text = await new Promise<string>((done) => {
      const chunks: Buffer[] = [];
      createReadStream(plain)
        .on('data', (c) => chunks.push(c as Buffer))
        .on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    });
    const lines = text.split('\n');
    const model = new LogModel();
    const full = await time(() => model.reset(lines.length, (i) => lines[i]));
    const samples: number[] = [];
    const publish: number[] = [];
    for (let i = 0; i < 50; i++) {
      const line = Math.floor(((i + 0.5) / 50) * (lines.length - 1));
      const original = lines[line];
      lines[line] = original.replace('"443"', '"4430"');
      samples.push(await time(() => model.applyChanges([{ startLine: line, endLine: line, newLineCount: 1 }], (j) => lines[j])));
      // What the diagnostics publisher does after the debounce: collect the capped list.
      publish.push(await time(() => model.problems(1000)));
      lines[line] = original;
      model.applyChanges([{ startLine: line, endLine: line, newLineCount: 1 }], (j) => lines[j]);
    }
    console.log(`One-line edit in a ${(EDIT_DOC_SIZE / MB).toFixed(0)} MB document (${lines.length} lines; full parse ${fmt(full)}):`);
    console.log(
      `  re-validate the edited line: median ${(median(samples) * 1000).toFixed(0)} µs, max ${(Math.max(...samples) * 1000).toFixed(0)} µs`,
    );
    console.log(`  collect the capped problem list for publishing: median ${fmt(median(publish))}, max ${fmt(Math.max(...publish))}`);
    console.log(`  baseline: a full re-parse would take ${fmt(full)} (${(full / median(samples)).toFixed(0)}x the incremental path)`);
    measureHintRequests(model, (i) => lines[i], `the same ${(EDIT_DOC_SIZE / MB).toFixed(0)} MB document`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
