/**
 * Writes the sample logs under samples/ and their README. Deterministic: running it again gives the same
 * lines, so the committed samples only change when this script or the generator does.
 *
 *   node out/bench/make-samples.js [<samples-dir>]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { analyzeLine } from '../src/core/parse/analyze';
import { parseTlsErrorMessage } from '../src/core/parse/tlsMessage';
import { FirewallProfile, GeneratedLine, LogGenerator, s3LogKey } from './generate';

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const HOSTILE_SNI = 'evil.com](command:workbench.action.files.saveAll)';

const EGRESS: FirewallProfile = {
  name: 'egress-fw',
  availabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1d'],
  revokedAction: 'DROP',
  unknownAction: 'PASS',
  weight: 1,
};
const INSPECTION: FirewallProfile = {
  name: 'inspection-fw',
  availabilityZones: ['us-east-1a', 'us-east-1c'],
  revokedAction: 'REJECT',
  unknownAction: 'DROP',
  weight: 1,
};

/** A line of a sample and, for the README, what is special about it. */
interface SampleLine {
  text: string;
  note?: string;
  malformed?: string;
}

interface Sample {
  key: string;
  gzip: boolean;
  description: string;
  lines: SampleLine[];
}

type Json = { [key: string]: unknown };

/** Re-serialises a generated compact entry after `edit`, keeping its key order. */
function edited(line: GeneratedLine, edit: (entry: Json, event: Json) => void): string {
  const entry = JSON.parse(line.text) as Json;
  edit(entry, entry.event as Json);
  return JSON.stringify(entry);
}

function windowGenerator(seed: number, firewall: FirewallProfile, start: string, lines: number): LogGenerator {
  const generator = new LogGenerator({
    seed,
    firewalls: [firewall],
    start,
    meanGapMs: (5 * 60 * 1000 * 0.9) / lines,
    reorderKeys: 0.05,
    ipv6: 0.03,
  });
  generator.clockLimitUs = (Date.parse(start) + 5 * 60 * 1000) * 1000 - 1;
  return generator;
}

/** The main sample: ordinary traffic with every documented case, a few odd spellings and nine broken entries. */
function egressSample(): Sample {
  const count = 160;
  const generator = windowGenerator(2024, EGRESS, '2024-07-02T18:00:00Z', count);
  // Where the special entries go (0-based); everything else is ordinary generated traffic.
  const special = new Map<number, () => SampleLine>([
    [
      0,
      () => ({
        text: generator.next({ shape: 'no-sni', reorder: false }).text,
        note: 'TLS error, documented form 1: `Server name is not found in client hello.` with `sni` `-`',
      }),
    ],
    [
      1,
      () => ({
        text: generator.next({ shape: 'sni-mismatch', reorder: false }).text,
        note: 'TLS error, documented form 2: `SNI: <sni> Match Failed to server certificate names: <names> ` (trailing space, repeated names)',
      }),
    ],
    [
      2,
      () => ({
        text: generator.next({ shape: 'revocation', status: 'REVOKED', action: 'DROP', reorder: false }).text,
        note: 'revocation check `REVOKED` / `DROP`',
      }),
    ],
    [
      3,
      () => ({
        text: generator.next({ shape: 'revocation', status: 'UNKNOWN', action: 'PASS', reorder: false }).text,
        note: 'revocation check `UNKNOWN` / `PASS`',
      }),
    ],
    [
      4,
      () => ({
        text: generator.next({ shape: 'revocation', status: 'REVOKED', action: 'REJECT', reorder: false }).text,
        note: 'revocation check `REVOKED` / `REJECT`',
      }),
    ],
    [
      17,
      () => ({
        text: generator.next({ shape: 'revocation', ipv6: true, status: 'UNKNOWN', action: 'PASS', reorder: false }).text,
        note: 'IPv6 source and destination',
      }),
    ],
    [
      23,
      () => ({
        text: generator.next({ shape: 'sni-mismatch', pretty: true, reorder: false }).text,
        note: 'pretty-spaced (`{ "a": 1 }`), as the AWS documentation prints entries',
      }),
    ],
    [
      31,
      () => ({
        text: generator.next({ shape: 'sni-mismatch', sni: HOSTILE_SNI, reorder: false }).text,
        note: `hostile SNI \`${HOSTILE_SNI}\` (markdown link to a command), in \`sni\` and in the error message`,
      }),
    ],
    [
      38,
      () => ({ text: generator.next({ shape: 'revocation', reorder: true }).text, note: 'keys in another order than the documentation' }),
    ],
    [
      44,
      () => {
        const text = generator.next({ shape: 'revocation', reorder: false }).text;
        return {
          text: text.slice(0, Math.floor(text.length * 0.6)),
          malformed: 'truncated: the line ends in the middle of the JSON (invalid JSON)',
        };
      },
    ],
    [
      52,
      () => ({
        text: edited(generator.next({ shape: 'no-sni', reorder: false }), (_, e) => (e.src_port = true)),
        malformed: '`src_port` is `true`, not a string of digits (wrong type)',
      }),
    ],
    [
      61,
      () => ({
        text: edited(generator.next({ shape: 'sni-mismatch', reorder: false }), (_, e) => (e.src_ip = '10.0.300.5')),
        malformed: '`src_ip` `10.0.300.5` is not an IP address',
      }),
    ],
    [
      70,
      () => ({
        text: edited(generator.next({ shape: 'revocation', reorder: false }), (_, e) => (e.dest_port = '70000')),
        malformed: '`dest_port` `70000` is above 65535',
      }),
    ],
    [
      83,
      () => ({
        text: edited(
          generator.next({ shape: 'no-sni', reorder: false }),
          (_, e) =>
            (e.timestamp = String(e.timestamp)
              .replace('T', ' ')
              .replace(/\.\d+Z$/, '')),
        ),
        malformed: '`event.timestamp` is not ISO 8601 with `T` and `Z`',
      }),
    ],
    [
      95,
      () => ({
        text: edited(
          generator.next({ shape: 'sni-mismatch', reorder: false }),
          (entry) => (entry.event_timestamp = (entry.event_timestamp as number) + 3600),
        ),
        malformed: '`event_timestamp` is an hour after `event.timestamp`',
      }),
    ],
    [
      108,
      () => ({
        text: edited(generator.next({ shape: 'revocation', reorder: false }), (_, e) => ((e.revocation_check as Json).status = 'GOOD')),
        malformed: 'revocation `status` `GOOD` is not `REVOKED` or `UNKNOWN`',
      }),
    ],
    [
      121,
      () => ({
        text: edited(generator.next({ shape: 'revocation', reorder: false }), (_, e) => ((e.revocation_check as Json).action = 'ALLOW')),
        malformed: 'revocation `action` `ALLOW` is not `PASS`, `DROP` or `REJECT`',
      }),
    ],
    [
      137,
      () => ({
        text: edited(generator.next({ shape: 'revocation', reorder: false }), (_, e) => delete e.sni),
        malformed: '`event.sni` is missing',
      }),
    ],
  ]);
  const lines: SampleLine[] = [];
  for (let i = 0; i < count; i++) lines.push(special.get(i)?.() ?? { text: generator.next().text });
  return {
    key: s3LogKey(ACCOUNT, REGION, EGRESS.name, new Date('2024-07-02T18:05:00Z'), 'a1b2c3d4', { gzip: false }),
    gzip: false,
    description: `\`${EGRESS.name}\` (REVOKED → DROP, UNKNOWN → PASS), 18:00–18:05 UTC, decompressed. Every documented case, a few odd spellings and nine malformed entries.`,
    lines,
  };
}

/** A clean file from another firewall and hour. */
function inspectionSample(): Sample {
  const count = 100;
  const generator = windowGenerator(7, INSPECTION, '2024-07-02T19:05:00Z', count);
  const lines: SampleLine[] = [];
  for (let i = 0; i < count; i++) lines.push({ text: generator.next().text });
  return {
    key: s3LogKey(ACCOUNT, REGION, INSPECTION.name, new Date('2024-07-02T19:10:00Z'), '5e6f7a8b', { gzip: false }),
    gzip: false,
    description: `\`${INSPECTION.name}\` (REVOKED → REJECT, UNKNOWN → DROP), 19:05–19:10 UTC, decompressed. No malformed entries.`,
    lines,
  };
}

/** The next file of the main firewall, compressed as it arrives from S3. */
function egressGzipSample(): Sample {
  const count = 60;
  const generator = windowGenerator(2025, EGRESS, '2024-07-02T18:05:00Z', count);
  const lines: SampleLine[] = [];
  for (let i = 0; i < count; i++) lines.push({ text: generator.next().text });
  return {
    key: s3LogKey(ACCOUNT, REGION, EGRESS.name, new Date('2024-07-02T18:10:00Z'), '9c0d1e2f', { gzip: true }),
    gzip: true,
    description: `\`${EGRESS.name}\`, 18:05–18:10 UTC, gzip-compressed as delivered to S3. No malformed entries.`,
    lines,
  };
}

function summary(lines: SampleLine[]): string {
  return sampleSummary(lines.map((l) => l.text));
}

/**
 * A sample's figures as the engine reads its lines (what the extension and the command line count): every
 * line that holds an entry counts, malformed or not, as long as the engine can tell what it says.
 */
export function sampleSummary(lines: readonly string[]): string {
  let noSni = 0;
  let mismatch = 0;
  const statuses = new Map<string, number>();
  const actions = new Map<string, number>();
  lines.forEach((text, i) => {
    const entry = analyzeLine(text, i).entry;
    if (entry === undefined) return;
    if (entry.kind === 'tlsError') {
      const kind = parseTlsErrorMessage(entry.errorMessage ?? '', { sni: entry.sni }).kind;
      if (kind === 'noSni') noSni++;
      else if (kind === 'certMismatch') mismatch++;
      return;
    }
    if (entry.status !== undefined) statuses.set(entry.status, (statuses.get(entry.status) ?? 0) + 1);
    if (entry.action !== undefined) actions.set(entry.action, (actions.get(entry.action) ?? 0) + 1);
  });
  const statusText = ['REVOKED', 'UNKNOWN'].map((s) => `${statuses.get(s) ?? 0} ${s}`).join(', ');
  const actionText = ['PASS', 'DROP', 'REJECT'].map((a) => `${actions.get(a) ?? 0} ${a}`).join(', ');
  return `${lines.length} lines: ${noSni} no-SNI errors, ${mismatch} certificate-name mismatches, revocation checks ${statusText}; actions ${actionText}.`;
}

function readme(samples: Sample[]): string {
  const out: string[] = [];
  out.push('# Sample logs');
  out.push('');
  out.push('AWS Network Firewall TLS logs as they look after downloading the log bucket (`AWSLogs/...`). Made by');
  out.push('`node out/bench/make-samples.js` (after `node scripts/build.mjs`) from the seeded generator in');
  out.push('`bench/generate.ts`: addresses, names and fingerprints are invented. Regenerating gives the same lines.');
  out.push('');
  for (const sample of samples) {
    out.push(`## \`${basename(sample.key)}\``);
    out.push('');
    out.push(`Path: \`${sample.key}\``);
    out.push('');
    out.push(sample.description);
    out.push(summary(sample.lines));
    const notes = sample.lines.map((l, i) => ({ ...l, line: i + 1 })).filter((l) => l.note || l.malformed);
    const plain = notes.filter((l) => l.note);
    if (plain.length) {
      out.push('');
      out.push('| line | what it shows |');
      out.push('|---:|---|');
      for (const l of plain) out.push(`| ${l.line} | ${l.note} |`);
    }
    const broken = notes.filter((l) => l.malformed);
    if (broken.length) {
      out.push('');
      out.push('Malformed entries:');
      out.push('');
      out.push('| line | what is wrong |');
      out.push('|---:|---|');
      for (const l of broken) out.push(`| ${l.line} | ${l.malformed} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function main(): void {
  const root = process.argv[2] ?? join(__dirname, '..', '..', 'samples');
  const samples = [egressSample(), inspectionSample(), egressGzipSample()];
  for (const sample of samples) {
    const path = join(root, sample.key);
    mkdirSync(dirname(path), { recursive: true });
    const text = sample.lines.map((l) => l.text + '\n').join('');
    writeFileSync(path, sample.gzip ? gzipSync(text, { level: 9 }) : text);
    console.log(`${relative(process.cwd(), path)}: ${sample.lines.length} lines`);
  }
  writeFileSync(join(root, 'README.md'), readme(samples));
}

if (require.main === module && basename(__filename, '.js') === 'make-samples') main();
