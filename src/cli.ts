import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { scanFiles } from './core/threads/scanPool';
import { gzipSplittable, splittable } from './core/read/byteRanges';
import { GZIP_MIN_THREADS, GZIP_RATIO, SPLIT_MIN_BYTES } from './core/threads/splitFile';
import { formatBytes } from './core/text';
import type { SeverityCounts } from './core/parse/types';
import { runQuery } from './cliQuery';
import {
  checkFile,
  collectLogFiles,
  describeError,
  formatProblemLine,
  terminalSafe,
  toJsonReport,
  type FileReport,
} from './core/report/report';

const USAGE = `Usage: nfw-tls-logs check [--json] [--max-decompressed <MB>] <file-or-directory>...
       nfw-tls-logs query athena-ddl|athena|logs-insights <options>   (nfw-tls-logs query --help)

Checks AWS Network Firewall TLS log files (.log, .ndjson, .jsonl, and the same gzip-compressed as .gz).
Directories are walked for log files; the firewall's alert and flow logs in them are skipped.

  --json                   print one JSON report with every problem and the SNI summary of each file
  --max-decompressed <MB>  stop decompressing a gzip file after this many megabytes (default 4096)

Exit status: 0 no errors, 1 errors found, 2 usage error or a file that could not be read.`;

interface Args {
  json: boolean;
  maxDecompressedBytes?: number;
  paths: string[];
}

function parseArgs(argv: string[]): Args | string {
  if (argv[0] !== 'check') return argv.length === 0 ? 'no command given' : `unknown command "${argv[0]}"`;
  const args: Args = { json: false, paths: [] };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--max-decompressed') {
      const mb = Number(argv[++i]);
      if (!Number.isFinite(mb) || mb <= 0) return '--max-decompressed takes a positive number of megabytes';
      args.maxDecompressedBytes = Math.floor(mb * 1024 * 1024);
    } else if (a === '--') (args.paths.push(...argv.slice(i + 1)), (i = argv.length));
    else if (a.startsWith('--')) return `unknown option "${a}"`;
    else args.paths.push(a);
  }
  if (args.paths.length === 0) return 'no file or directory given';
  return args;
}

/** The totals of a run, counted as the reports go by so that none has to be kept. */
interface RunTotals {
  files: number;
  entries: number;
  textBytes: number;
  counts: SeverityCounts;
}

/** The closing line of a run: the wording of `formatTotals`, from totals instead of the reports. */
function totalsLine(t: RunTotals): string {
  return `${t.files} file${t.files === 1 ? '' : 's'} (${formatBytes(t.textBytes)}), ${t.entries} ${t.entries === 1 ? 'entry' : 'entries'}: ${t.counts.error} errors, ${t.counts.warning} warnings, ${t.counts.information} information`;
}

/**
 * Writes each file's part of the output as soon as it and every file before it are done, in the order of
 * the input, so that the run keeps only the files finished ahead of their turn (rendered, not their
 * reports). `--json` output is the report of `toJsonReport` written piece by piece: the same bytes as
 * `JSON.stringify` of the whole.
 */
class OrderedOutput {
  private next = 0;
  private readonly ahead = new Map<number, string[]>();
  /** Whether a file's JSON has been written, and the next one needs a comma before it. */
  private separate = false;
  readonly totals: RunTotals = { files: 0, entries: 0, textBytes: 0, counts: { error: 0, warning: 0, information: 0 } };

  constructor(
    private readonly json: boolean,
    private readonly write: (text: string) => void,
  ) {
    if (json) write('{"files":[');
  }

  /** A file's report; `index` is its place in the input. */
  report(index: number, report: FileReport): void {
    const t = this.totals;
    t.files++;
    t.entries += report.entries;
    t.textBytes += report.read.textBytes;
    for (const p of report.problems) t.counts[p.severity]++;
    this.place(index, this.render(report));
  }

  /** A file that could not be read: it has no part in the output, but the files after it wait for its turn. */
  skip(index: number): void {
    this.place(index, []);
  }

  /** Ends the output, once every file has been given. */
  end(): void {
    if (this.json) this.write(']}\n');
  }

  private render(report: FileReport): string[] {
    if (this.json) {
      return [JSON.stringify(toJsonReport([report]).files[0])];
    }
    // Pieces of about 64 kB: a file with a million problems is not one huge string.
    const pieces: string[] = [];
    let piece = '';
    for (const p of report.problems) {
      piece += `${formatProblemLine(report.path, p)}\n`;
      if (piece.length >= 65536) (pieces.push(piece), (piece = ''));
    }
    if (piece.length > 0) pieces.push(piece);
    return pieces;
  }

  private place(index: number, pieces: string[]): void {
    if (index !== this.next) {
      this.ahead.set(index, pieces);
      return;
    }
    this.flush(pieces);
    for (let held = this.ahead.get(this.next); held !== undefined; held = this.ahead.get(this.next)) {
      this.ahead.delete(this.next);
      this.flush(held);
    }
  }

  private flush(pieces: readonly string[]): void {
    if (this.json && pieces.length > 0) {
      if (this.separate) this.write(',');
      this.separate = true;
    }
    for (const piece of pieces) this.write(piece);
    this.next++;
  }
}

/**
 * Whether a single file is worth the worker threads: a plain log big enough to be read in parts on every
 * core, or, on {@link GZIP_MIN_THREADS} cores or more, a `.log.gz` big enough to be inflated here and read
 * in runs of lines on every core. Read whole, a file is checked on this thread: one worker would only add its start.
 */
async function isBig(path: string | undefined): Promise<boolean> {
  if (path === undefined || availableParallelism() < 2) return false;
  const size = (await stat(path).catch(() => undefined))?.size ?? 0;
  if (availableParallelism() >= GZIP_MIN_THREADS && size >= SPLIT_MIN_BYTES / GZIP_RATIO && (await gzipSplittable(path).catch(() => false)))
    return true;
  return size >= SPLIT_MIN_BYTES && (await splittable(path).catch(() => false));
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'query')
    return runQuery(
      argv.slice(1),
      (text) => process.stdout.write(text),
      (text) => process.stderr.write(text),
    );
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`nfw-tls-logs: ${args}\n\n${USAGE}\n`);
    return 2;
  }
  const { files, unreadable, skipped } = await collectLogFiles(args.paths);
  const out = new OrderedOutput(args.json, (text) => process.stdout.write(text));
  if (files.length > 1 || (await isBig(files[0]))) {
    // Several files, or one big enough to be split: check them on worker threads, one file or part of a
    // big file per core at a time; each report is written out (in the order of the input) and dropped as it comes.
    const result = await scanFiles(files, {
      workerPath: join(__dirname, 'worker.js'),
      mode: 'summary',
      maxDecompressedBytes: args.maxDecompressedBytes,
      keepReports: false,
      onFile: (file) => out.report(file.index, file.report),
      onUnreadable: (file) => out.skip(file.index),
    });
    unreadable.push(...(result.unreadable ?? []));
  } else {
    for (const [index, file] of files.entries()) {
      try {
        out.report(index, await checkFile(file, { maxDecompressedBytes: args.maxDecompressedBytes }));
      } catch (err) {
        unreadable.push({ path: file, reason: describeError(err) });
        out.skip(index);
      }
    }
  }
  out.end();
  for (const u of unreadable) process.stderr.write(`nfw-tls-logs: cannot read ${terminalSafe(u.path)}: ${terminalSafe(u.reason)}\n`);
  if (!args.json) {
    process.stdout.write(`${totalsLine(out.totals)}\n`);
    if (skipped > 0) process.stdout.write(`Skipped ${skipped} alert or flow log file${skipped === 1 ? '' : 's'}.\n`);
  }
  if (unreadable.length > 0) return 2;
  return out.totals.counts.error > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`nfw-tls-logs: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
