import { join } from 'node:path';
import { scanFiles } from './core/scanPool';
import { checkFile, collectLogFiles, describeError, formatProblemLine, formatTotals, terminalSafe, toJsonReport, type FileReport } from './core/report';

const USAGE = `Usage: nfw-tls-logs check [--json] [--max-decompressed <MB>] <file-or-directory>...

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
    } else if (a === '--') args.paths.push(...argv.slice(i + 1)), (i = argv.length);
    else if (a.startsWith('--')) return `unknown option "${a}"`;
    else args.paths.push(a);
  }
  if (args.paths.length === 0) return 'no file or directory given';
  return args;
}

async function main(argv: string[]): Promise<number> {
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
  const reports: FileReport[] = [];
  if (files.length > 1) {
    // Several files: check them on worker threads, one file per core at a time.
    const result = await scanFiles(files, { workerPath: join(__dirname, 'worker.js'), mode: 'summary', maxDecompressedBytes: args.maxDecompressedBytes });
    reports.push(...result);
    unreadable.push(...(result.unreadable ?? []));
  } else {
    for (const file of files) {
      try {
        reports.push(await checkFile(file, { maxDecompressedBytes: args.maxDecompressedBytes }));
      } catch (err) {
        unreadable.push({ path: file, reason: describeError(err) });
      }
    }
  }
  if (!args.json) for (const report of reports) for (const p of report.problems) process.stdout.write(`${formatProblemLine(report.path, p)}\n`);
  for (const u of unreadable) process.stderr.write(`nfw-tls-logs: cannot read ${terminalSafe(u.path)}: ${terminalSafe(u.reason)}\n`);
  if (args.json) process.stdout.write(`${JSON.stringify(toJsonReport(reports))}\n`);
  else {
    process.stdout.write(`${formatTotals(reports)}\n`);
    if (skipped > 0) process.stdout.write(`Skipped ${skipped} alert or flow log file${skipped === 1 ? '' : 's'}.\n`);
  }
  if (unreadable.length > 0) return 2;
  return reports.some((r) => r.problems.some((p) => p.severity === 'error')) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`nfw-tls-logs: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
