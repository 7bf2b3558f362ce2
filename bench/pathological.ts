/**
 * Hostile and broken files at full size: how each one ends, how long it takes and how much memory it costs.
 * Every case runs in a child process of its own, so its peak resident memory (`maxRSS`) is its own; the
 * inputs are written beforehand by this process into a temporary folder that is removed at the end.
 *
 *   node out/bench/pathological.js [--only name,name] [--keep]
 *
 * The unit tests (test/unit/pathological.test.ts) build the same inputs with the exported writers and
 * assert the outcomes; this script only prints figures.
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { analyzeLine } from '../src/core/parse/analyze';
import { formatBytes } from '../src/core/text';
import { LogModel } from '../src/core/document/logModel';
import { checkFile, collectLogFiles, type CheckOptions, type FileReport } from '../src/core/report/report';
import { generateLogLines, LogGenerator, Prng } from './generate';

const MiB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------
// Inputs

/** One valid revocation entry whose SNI is `sni`. */
export function entryWithSni(sni: string): string {
  return `{"firewall_name":"egress-fw","availability_zone":"us-east-1d","event_timestamp":1708361189,"event":{"src_ip":"10.0.2.53","src_port":"55930","revocation_check":{"leaf_cert_fpr":"1234567890EXAMPLE0987654321","status":"REVOKED","action":"DROP"},"dest_ip":"54.92.160.72","dest_port":"443","timestamp":"2024-02-19T16:46:29.441824Z","sni":${JSON.stringify(sni)}}}`;
}

/** A single line of `chars` characters: a valid entry with a huge SNI, or the same entry cut off before its end. */
export function longLine(chars: number, valid: boolean): string {
  const frame = entryWithSni('').length;
  const line = entryWithSni(`${'a'.repeat(Math.max(0, chars - frame - 12))}.example.com`);
  return valid ? line : line.slice(0, chars - 3);
}

/** JSON nested `depth` deep: arrays `[[[...]]]` or objects `{"a":{"a":...}}`, closed or left open. */
export function deepJson(depth: number, kind: 'array' | 'object', closed = true): string {
  const open = kind === 'array' ? '[' : '{"a":';
  const close = kind === 'array' ? ']' : '}';
  return open.repeat(depth) + (kind === 'array' ? '' : '1') + (closed ? close.repeat(depth) : '');
}

/** A valid entry that carries a deeply nested unknown field, which the format allows. */
export function entryWithDeepField(depth: number): string {
  const line = entryWithSni('deep.example.com');
  return `${line.slice(0, -1)},"x_nested":${deepJson(depth, 'array')}}`;
}

/** A small log with the awkward cases: a BOM, CRLF and lone CR, malformed and long lines, invalid UTF-8 before line ends, blank lines, no final break. */
export function awkwardLog(): Buffer {
  const lines = generateLogLines(14, { seed: 4, malformed: 0.2 });
  const long = lines[2].replace('"event":{', `"x":"${'y'.repeat(900)}","event":{`);
  return Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from(`${lines[0]}\r\n${lines[1]}\n${long}\r${lines[3]}\n\n`),
    Buffer.from(lines[4].slice(0, 40)),
    Buffer.from([0xf0, 0x9f, 0x98]),
    Buffer.from(`\n${lines[5]}\r\n\r\n${lines[6]}\n`),
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from(`${lines[7]}\n${lines[8].slice(0, -3)}\n${lines[9]}\r\r\n${lines[10]}\n`),
    Buffer.from([0xc3]),
    Buffer.from(`\n${lines[11]}\n${lines[12]}\n${lines[13]}`),
  ]);
}

/**
 * Generated log lines with invalid UTF-8 put into some of them, inside the SNI string (where it is kept as
 * U+FFFD) and between tokens (where it breaks the JSON). Returns the bytes and how many lines they hold.
 */
export function invalidUtf8Log(lines: number, seed = 5): { bytes: Buffer; lines: number; insideString: number; betweenTokens: number } {
  const bad = [
    Buffer.from([0xff]),
    Buffer.from([0xc3, 0x28]),
    Buffer.from([0xc0, 0xaf]),
    Buffer.from([0x80]),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from([0xf0, 0x9f, 0x98]),
  ];
  const rng = new Prng(seed);
  const parts: Buffer[] = [];
  let insideString = 0;
  let betweenTokens = 0;
  const generated = generateLogLines(lines, { seed });
  for (const [i, text] of generated.entries()) {
    const sequence = bad[i % bad.length];
    if (i % 10 === 1 && text.includes('"sni":"') && text.includes('revocation_check')) {
      const at = text.indexOf('"sni":"') + 7;
      parts.push(Buffer.from(text.slice(0, at)), sequence, Buffer.from(text.slice(at)));
      insideString++;
    } else if (i % 10 === 2) {
      const at = text.indexOf(',"event"');
      parts.push(Buffer.from(text.slice(0, at)), sequence, Buffer.from(text.slice(at)));
      betweenTokens++;
    } else parts.push(Buffer.from(text));
    parts.push(Buffer.from(rng.chance(0.5) ? '\n' : '\r\n'));
  }
  return { bytes: Buffer.concat(parts), lines, insideString, betweenTokens };
}

/** Random bytes, optionally behind a PNG signature and header, as a binary file with a `.log` name holds. */
export function binaryBytes(size: number, png: boolean, seed = 9): Buffer {
  const rng = new Prng(seed);
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i += 4) bytes.writeUInt32LE(rng.nextUint32(), Math.min(i, size - 4));
  if (png) Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]).copy(bytes);
  // Not a gzip or UTF-16 file by accident of the seed.
  if (!png && ((bytes[0] === 0x1f && bytes[1] === 0x8b) || bytes[0] === 0xff || bytes[0] === 0xfe)) bytes[0] = 0x42;
  return bytes;
}

/**
 * A gzip file that inflates to `total` bytes of `fill` (zeros by default) from a small input: one member
 * compressing `memberBytes` of them, repeated (a reader must read every member of a multi-member file).
 */
export function gzipBomb(total: number, fill = 0, memberBytes = 64 * MiB): Buffer {
  const member = gzipSync(Buffer.alloc(Math.min(total, memberBytes), fill), { level: 9 });
  const count = Math.ceil(total / memberBytes);
  return Buffer.concat(Array.from({ length: count }, () => member));
}

/** Writes a generated log of about `bytes` to `path` synchronously; returns its line count. */
export function writeGeneratedLog(path: string, bytes: number, seed = 3): number {
  const generator = new LogGenerator({ seed });
  const fd = openSync(path, 'w');
  let lines = 0;
  let chunk = '';
  try {
    for (const line of generator.linesUpTo(bytes)) {
      chunk += line.text + '\n';
      lines++;
      if (chunk.length > MiB) {
        writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------------------
// Outcomes in words

/** `lines, entries, problems by code`, and why the read stopped early if it did. */
export function describeReport(report: FileReport): string {
  const counts = new Map<string, number>();
  for (const p of report.problems) counts.set(p.code, (counts.get(p.code) ?? 0) + 1);
  const problems = [...counts].map(([code, n]) => `${n} ${code}`).join(', ') || 'no problems';
  const encoding = report.read.encoding === 'utf8' ? '' : `, read as ${report.read.encoding}`;
  return `${report.read.lines} lines, ${report.entries} entries, ${problems}${encoding}${report.read.incomplete ? `; stopped: ${report.read.incomplete}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------
// The cases

interface Case {
  name: string;
  /** Writes the input; runs in the parent so that its memory is not counted. Returns what `run` needs. */
  prepare(dir: string): string;
  /** Runs in the child; returns the outcome in words. */
  run(input: string): Promise<string>;
}

async function check(path: string, options: CheckOptions = {}): Promise<string> {
  return describeReport(await checkFile(path, options));
}

function logFile(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The editor's path: a LogModel over the lines of a text, as VS Code hands them over. */
function modelOutcome(text: string): string {
  const lines = text.split(/\r\n|\r|\n/);
  const model = new LogModel();
  model.reset(lines.length, (i) => lines[i]);
  const { problems, total } = model.problems(1000);
  const codes = new Map<string, number>();
  for (const p of problems) codes.set(p.code, (codes.get(p.code) ?? 0) + 1);
  return `${lines.length} lines, ${[...model.entries()].length} entries, ${total} problems${total ? ` (${[...codes].map(([c, n]) => `${n} ${c}`).join(', ')}${total > 1000 ? ' in the first 1000' : ''})` : ''}`;
}

const LONG = 20 * MiB;
const DEPTH = 1_000_000;

const CASES: Case[] = [
  { name: '20 MiB line, valid entry (CLI)', prepare: (d) => logFile(d, 'long-valid.log', longLine(LONG, true)), run: (p) => check(p) },
  {
    name: '20 MiB line, valid entry (CLI path, maxLineLength 32 Mi)',
    prepare: (d) => logFile(d, 'long-valid.log', longLine(LONG, true)),
    run: (p) => check(p, { maxLineLength: 32 * MiB }),
  },
  {
    name: '20 MiB line, cut off (CLI path, maxLineLength 32 Mi)',
    prepare: (d) => logFile(d, 'long-cut.log', longLine(LONG, false)),
    run: (p) => check(p, { maxLineLength: 32 * MiB }),
  },
  { name: '20 MiB line, valid entry (editor model)', prepare: () => '', run: async () => modelOutcome(longLine(LONG, true)) },
  { name: '20 MiB line, cut off (editor model)', prepare: () => '', run: async () => modelOutcome(longLine(LONG, false)) },
  { name: 'arrays nested 1e6 deep (CLI)', prepare: (d) => logFile(d, 'deep-array.log', deepJson(DEPTH, 'array')), run: (p) => check(p) },
  { name: 'objects nested 1e6 deep (CLI)', prepare: (d) => logFile(d, 'deep-object.log', deepJson(DEPTH, 'object')), run: (p) => check(p) },
  {
    name: 'arrays opened 1e6 deep, never closed (CLI)',
    prepare: (d) => logFile(d, 'deep-open.log', deepJson(DEPTH, 'array', false)),
    run: (p) => check(p),
  },
  {
    name: 'valid entry with a field nested 1e6 deep (editor model)',
    prepare: () => '',
    run: async () => modelOutcome(entryWithDeepField(DEPTH)),
  },
  { name: '1e6 empty lines (CLI)', prepare: (d) => logFile(d, 'empty.log', '\n'.repeat(1_000_000)), run: (p) => check(p) },
  { name: '1e6 empty CRLF lines (editor model)', prepare: () => '', run: async () => modelOutcome('\r\n'.repeat(1_000_000)) },
  { name: '16 MiB of NUL bytes (CLI)', prepare: (d) => logFile(d, 'nul.log', Buffer.alloc(16 * MiB)), run: (p) => check(p) },
  {
    name: '100k lines with NUL bytes in them (CLI)',
    prepare: (d) =>
      logFile(
        d,
        'nul-lines.log',
        generateLogLines(100_000, { seed: 4 })
          .map((l, i) => (i % 10 === 0 ? `${l.slice(0, 30)}\0${l.slice(30)}` : l))
          .join('\n'),
      ),
    run: (p) => check(p),
  },
  {
    name: '100k lines, 20% with invalid UTF-8 (CLI)',
    prepare: (d) => logFile(d, 'bad-utf8.log', invalidUtf8Log(100_000).bytes),
    run: (p) => check(p),
  },
  {
    name: '100k lines behind a UTF-8 BOM (CLI)',
    prepare: (d) => logFile(d, 'bom.log', '\uFEFF' + generateLogLines(100_000).join('\n')),
    run: (p) => check(p),
  },
  {
    name: '100k lines, UTF-16LE with BOM (CLI)',
    prepare: (d) => logFile(d, 'utf16le.log', Buffer.from('\uFEFF' + generateLogLines(100_000).join('\r\n'), 'utf16le')),
    run: (p) => check(p),
  },
  {
    name: '100k lines, UTF-16BE with BOM (CLI)',
    prepare: (d) => logFile(d, 'utf16be.log', Buffer.from('\uFEFF' + generateLogLines(100_000).join('\n'), 'utf16le').swap16()),
    run: (p) => check(p),
  },
  {
    name: '100k lines, UTF-16LE without BOM (CLI)',
    prepare: (d) => logFile(d, 'utf16-nobom.log', Buffer.from(generateLogLines(100_000).join('\n'), 'utf16le')),
    run: (p) => check(p),
  },
  {
    name: '16 MiB of random bytes named .log (CLI)',
    prepare: (d) => logFile(d, 'random.log', binaryBytes(16 * MiB, false)),
    run: (p) => check(p),
  },
  { name: '16 MiB PNG named .log (CLI)', prepare: (d) => logFile(d, 'image.log', binaryBytes(16 * MiB, true)), run: (p) => check(p) },
  {
    name: 'gzip bomb, 1 GiB of zeros, default 4 GiB limit (CLI)',
    prepare: (d) => logFile(d, 'bomb.log.gz', gzipBomb(1024 * MiB)),
    run: (p) => check(p),
  },
  {
    name: 'gzip bomb, 1 GiB of zeros, 100 MiB limit (CLI)',
    prepare: (d) => logFile(d, 'bomb.log.gz', gzipBomb(1024 * MiB)),
    run: (p) => check(p, { maxDecompressedBytes: 100 * MiB }),
  },
  {
    name: 'gzip bomb, 1 GiB of line breaks, default limit (CLI)',
    prepare: (d) => logFile(d, 'bomb-lines.log.gz', gzipBomb(1024 * MiB, 0x0a)),
    run: (p) => check(p),
  },
  {
    name: 'gzip cut in half, 20 MiB of text (CLI)',
    prepare: (d) => {
      const gz = gzipSync(generateLogLines(60_000, { seed: 6 }).join('\n'));
      return logFile(d, 'cut.log.gz', gz.subarray(0, gz.length >> 1));
    },
    run: (p) => check(p),
  },
  {
    name: '100 MiB file deleted after the first read (CLI)',
    prepare: (d) => {
      const path = join(d, 'deleted.log');
      writeGeneratedLog(path, 100 * MiB);
      return path;
    },
    run: async (p) => {
      let deleted = false;
      const out = await check(p, { onProgress: () => (deleted ||= (unlinkSync(p), true)) });
      return `${out}${deleted ? '' : ' (not deleted)'}`;
    },
  },
  {
    name: '100 MiB file growing by 50 MiB while read (CLI)',
    prepare: (d) => {
      const path = join(d, 'growing.log');
      writeGeneratedLog(path, 100 * MiB);
      return path;
    },
    run: async (p) => {
      const extra = generateLogLines(1000, { seed: 8 }).join('\n') + '\n';
      let appended = 0;
      const out = await check(p, {
        onProgress: () => {
          // About 50 MiB appended over the first part of the read, one write per chunk.
          if (appended < 150) (appended++, appendFileSync(p, extra));
        },
      });
      return `${out} (${appended} appends of 1000 lines)`;
    },
  },
  {
    name: '100 MiB file truncated to 1 MiB while read (CLI)',
    prepare: (d) => {
      const path = join(d, 'truncated.log');
      writeGeneratedLog(path, 100 * MiB);
      return path;
    },
    run: async (p) => {
      let cut = false;
      const out = await check(p, { onProgress: () => (cut ||= (writeFileSync(p, ''), true)) });
      return out;
    },
  },
  {
    name: 'folder without read permission (file collection)',
    prepare: (d) => {
      const locked = join(d, 'locked');
      mkdirSync(locked);
      writeFileSync(join(locked, 'a.log'), generateLogLines(10).join('\n'));
      chmodSync(locked, 0o000);
      // An unprivileged user must be able to reach the folder, so that only the folder itself is locked.
      chmodSync(d, 0o755);
      chmodSync(join(d, '..'), 0o755);
      return locked;
    },
    run: async (p) => {
      // Root reads every folder; drop to an unprivileged user, as most people run the CLI.
      if (process.getuid?.() === 0 && process.setgid && process.setuid) {
        process.setgid(65534);
        process.setuid(65534);
      }
      const { files, unreadable } = await collectLogFiles([p]);
      return `${files.length} files, unreadable: ${unreadable.map((u) => `${basename(u.path)} (${u.reason})`).join(', ') || 'none'}`;
    },
  },
  {
    name: 'path that does not exist (file collection)',
    prepare: (d) => join(d, 'no-such-file.log'),
    run: async (p) => {
      const { files, unreadable } = await collectLogFiles([p]);
      return `${files.length} files, unreadable: ${unreadable.map((u) => `${basename(u.path)} (${u.reason})`).join(', ')}`;
    },
  },
  {
    name: 'analyzeLine on a 20 MiB line of NUL characters',
    prepare: () => '',
    run: async () => {
      const r = analyzeLine('\0'.repeat(LONG), 0);
      return r.problems.map((p) => `${p.code} at ${p.startColumn}-${p.endColumn}: ${p.message}`).join('; ');
    },
  },
];

// ---------------------------------------------------------------------------------------------------------
// Running

interface Measured {
  outcome: string;
  ms: number;
  peakGrowth: number;
}

async function child(index: number, input: string): Promise<void> {
  const c = CASES[index];
  // ru_maxrss is the process's peak (in KiB), which catches a peak inside synchronous work that no timer
  // sees; when the case stays under the start-up peak, the samples of a 10 ms timer stand in for it.
  const startPeak = process.resourceUsage().maxRSS * 1024;
  const before = process.memoryUsage().rss;
  let sampled = before;
  const timer = setInterval(() => {
    sampled = Math.max(sampled, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  const outcome = await c.run(input);
  const ms = performance.now() - started;
  clearInterval(timer);
  const endPeak = process.resourceUsage().maxRSS * 1024;
  const peak = endPeak > startPeak ? endPeak : Math.max(sampled, process.memoryUsage().rss);
  const result: Measured = { outcome, ms, peakGrowth: Math.max(0, peak - before) };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '--child') return child(Number(argv[1]), argv[2]);
  const onlyArg = argv.indexOf('--only');
  const only = onlyArg >= 0 ? argv[onlyArg + 1].split(',') : undefined;
  const keep = argv.includes('--keep');
  const dir = mkdtempSync(join(tmpdir(), 'nfw-pathological-'));
  const rows: string[][] = [];
  try {
    for (const [i, c] of CASES.entries()) {
      if (only && !only.some((o) => c.name.toLowerCase().includes(o.toLowerCase()))) continue;
      const caseDir = join(dir, String(i));
      mkdirSync(caseDir);
      const input = c.prepare(caseDir);
      const run = spawnSync(process.execPath, [__filename, '--child', String(i), input], {
        encoding: 'utf8',
        maxBuffer: 16 * MiB,
        timeout: 600_000,
      });
      let row: string[];
      try {
        const m = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as Measured;
        row = [c.name, m.outcome, fmtMs(m.ms), formatBytes(m.peakGrowth)];
      } catch {
        row = [
          c.name,
          `FAILED (exit ${run.status}, ${run.signal ?? 'no signal'}): ${(run.stderr || run.stdout).trim().slice(0, 300)}`,
          '-',
          '-',
        ];
      }
      rows.push(row);
      process.stderr.write(`${row.join(' | ')}\n`);
      try {
        chmodSync(join(caseDir, 'locked'), 0o755);
      } catch {
        // Only the permission case locks a folder.
      }
      rmSync(caseDir, { recursive: true, force: true });
    }
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  const cell = (s: string): string => s.replace(/\|/g, '\\|');
  console.log('| case | outcome | time | peak RSS growth |\n| --- | --- | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.map(cell).join(' | ')} |`);
}

// The unit tests bundle this module for its input writers; run the cases only when this file is the script.
if (require.main === module && basename(__filename, '.js') === 'pathological') {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
}
