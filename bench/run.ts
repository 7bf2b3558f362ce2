/**
 * `npm run bench`: the engine's speed and memory against baselines measured in the same run on the same
 * files. Generates its inputs under bench/data/ (ignored by git) with the project's generator, runs baseline
 * and engine alternately, and prints medians and ratios.
 *
 *   node out/bench/run.js [--quick] [--rounds N] [--only plain,gzip,folder,folder-editor,edit]
 *   (edit: a one-line edit and the entry hints of a screen, on a 40 MB document)
 *   (folder-editor: only the editor's folder scan, not the command line's)
 */
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createGunzip } from 'node:zlib';
import { LogModel } from '../src/core/document/logModel';
import { checkFile } from '../src/core/report/report';
import { scanFiles, type ScannedFile } from '../src/core/threads/scanPool';
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

async function main(): Promise<void> {
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
