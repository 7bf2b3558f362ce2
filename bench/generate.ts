/**
 * Deterministic generator of AWS Network Firewall TLS log lines.
 *
 * Used by the benchmarks, the sample files and tests: the same seed and options always give the same
 * bytes. Lines are compact one-object-per-line JSON as AWS delivers them; a chosen fraction can be
 * broken on purpose, and every broken line says which defect it carries.
 *
 * As a script:
 *   node out/bench/generate.js <out-file> <size, e.g. 100MB> [--malformed 0.01] [--seed N] [--gzip]
 *   node out/bench/generate.js <out-dir> <size> --tree [--file-size 512KB] [--malformed 0.01] [--seed N]
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { NO_SNI_MESSAGE } from '../src/core/parse/format';
import type { ProblemCode } from '../src/core/parse/types';

/**
 * What is wrong with a deliberately broken line. The names follow the problem codes the validator
 * reports, so a test can expect the code from the defect.
 */
export type DefectKind =
  | Exclude<ProblemCode, 'sni-disagrees' | 'line-too-long' | 'file-incomplete' | 'unusual-format'>
  // A TLS error whose message disagrees with the entry's sni (reported as 'sni-disagrees').
  | 'no-sni-mismatch';

/** Every defect the generator can produce, in a fixed order. */
export const DEFECT_KINDS: readonly DefectKind[] = [
  'invalid-json',
  'not-an-object',
  'missing-field',
  'wrong-type',
  'unknown-entry-kind',
  'both-entry-kinds',
  'not-a-tls-entry',
  'invalid-ip',
  'invalid-port',
  'invalid-timestamp',
  'timestamp-mismatch',
  'unknown-status',
  'unknown-action',
  'no-sni-mismatch',
  'unknown-error-message',
  'empty-value',
];

/** The three kinds of well-formed TLS entry: the two documented error messages and a revocation check. */
export type EntryShape = 'no-sni' | 'sni-mismatch' | 'revocation';

/** One firewall and how its TLS inspection configuration treats revocation-check failures. */
export interface FirewallProfile {
  name: string;
  /** Availability zones of its endpoints, e.g. `us-east-1a`. */
  availabilityZones: string[];
  /** `RevokedStatusAction` of its TLS inspection configuration. */
  revokedAction: 'PASS' | 'DROP' | 'REJECT';
  /** `UnknownStatusAction` of its TLS inspection configuration. */
  unknownAction: 'PASS' | 'DROP' | 'REJECT';
  /** Relative share of the traffic. */
  weight: number;
}

export interface GenerateOptions {
  /** PRNG seed; the same seed and options give the same output. Default 1. */
  seed?: number;
  /** Fraction (0..1) of lines that carry a defect. Default 0. */
  malformed?: number;
  /** Time of the first entry (Date, ISO string or epoch ms). Default 2024-07-02T18:00:00Z. */
  start?: Date | string | number;
  /** Mean gap between consecutive entries in milliseconds. Default 40. */
  meanGapMs?: number;
  /** Region used for availability zone names of the default firewalls. Default `us-east-1`. */
  region?: string;
  /** The firewalls that log. Default: three firewalls with different revocation actions. */
  firewalls?: FirewallProfile[];
  /** Fraction of entries whose keys are not in the documented order. Default 0.05. */
  reorderKeys?: number;
  /** Fraction of entries written pretty-spaced on one line (`{ "a": 1 }`). Default 0. */
  pretty?: number;
  /** Fraction of flows over IPv6. Default 0.05. */
  ipv6?: number;
}

/** Choices for one entry; anything left out is drawn at random. */
export interface EntryOverrides {
  shape?: EntryShape;
  firewall?: string;
  sni?: string;
  status?: string;
  action?: string;
  ipv6?: boolean;
  pretty?: boolean;
  reorder?: boolean;
  /** Break the entry in this way. */
  defect?: DefectKind;
}

/** One generated line (without its newline) and the defect it carries, if any. */
export interface GeneratedLine {
  text: string;
  shape: EntryShape;
  defect?: DefectKind;
}

const DEFAULT_START = Date.UTC(2024, 6, 2, 18, 0, 0);

// ---------------------------------------------------------------------------------------------------
// Randomness

/** mulberry32: small, fast and good enough for test data; the state is one 32-bit integer. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    // Warm up so that nearby seeds diverge at once.
    for (let i = 0; i < 4; i++) this.nextUint32();
  }

  nextUint32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  hex(length: number, upper = false): string {
    const digits = upper ? '0123456789ABCDEF' : '0123456789abcdef';
    let out = '';
    for (let i = 0; i < length; i++) out += digits[this.nextUint32() & 15];
    return out;
  }
}

function fnv1a(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Samples indices 0..n-1 with probability proportional to 1 / (i + 1)^s: a few hot items, a long tail. */
class Zipf {
  private readonly cumulative: Float64Array;

  constructor(n: number, s: number) {
    this.cumulative = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      total += 1 / Math.pow(i + 1, s);
      this.cumulative[i] = total;
    }
    for (let i = 0; i < n; i++) this.cumulative[i] /= total;
  }

  sample(rng: Prng): number {
    const u = rng.next();
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

// ---------------------------------------------------------------------------------------------------
// The population: server names, clients, servers, certificates

const HOT_SNIS = [
  'api.github.com',
  's3.us-east-1.amazonaws.com',
  'sts.us-east-1.amazonaws.com',
  'registry.npmjs.org',
  'www.google.com',
  'login.microsoftonline.com',
  'pypi.org',
  'files.pythonhosted.org',
  'ssm.us-east-1.amazonaws.com',
  'objects.githubusercontent.com',
  'registry-1.docker.io',
  'auth.docker.io',
];

const REVOKED_SNIS = [
  'revoked-rsa-dv.ssl.com',
  'revoked-ecc-dv.ssl.com',
  'revoked.badssl.com',
  'revoked-rsa-ev.ssl.com',
  'revoked.grc.com',
];

const SUBDOMAINS = [
  'www',
  'api',
  'cdn',
  'static',
  'img',
  'auth',
  'login',
  'telemetry',
  'edge',
  'app',
  'assets',
  'updates',
  'eu',
  'us-west',
  'v2',
  'ws',
  'm',
  'metrics',
  'download',
  'media',
];
const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ra',
  'ven',
  'tor',
  'zu',
  'bel',
  'qua',
  'nix',
  'dor',
  'sa',
  'fi',
  'gor',
  'pel',
  'tri',
  'on',
  'ex',
  'ly',
  'mar',
  'co',
  'net',
  'sol',
  'vi',
];
const TLDS = ['com', 'com', 'com', 'net', 'io', 'org', 'co.uk', 'de', 'dev', 'cloud', 'app', 'fr', 'jp'];

/** Hosting certificates a client with a false or stale SNI often lands on. */
const HOSTING_CERTS: readonly string[][] = [
  ['*.cloudfront.net', '*.cloudfront.net', 'cloudfront.net'],
  ['*.akamaized.net', '*.akamaized.net', 'a248.e.akamai.net', '*.akamaihd.net'],
  ['*.azureedge.net', '*.azureedge.net', '*.azurefd.net'],
  ['*.herokuapp.com', '*.herokuapp.com', 'herokuapp.com'],
  ['default.ssl.fastly.net', 'default.ssl.fastly.net', '*.fastly.net', 'fastly.net'],
  ['localhost', 'localhost'],
  ['*.elb.amazonaws.com', '*.elb.amazonaws.com', '*.us-east-1.elb.amazonaws.com'],
  ['traefik.default', 'traefik.default'],
];

const PUBLIC_FIRST_OCTETS = [3, 13, 18, 20, 23, 34, 35, 44, 52, 54, 99, 104, 140, 142, 151, 157, 185, 199, 204];
const IPV6_SERVER_PREFIXES = ['2600:1f18:', '2606:4700:', '2a04:4e42:', '2607:f8b0:', '2620:1ec:'];
const VPC_IPV6_PREFIX = '2600:1f18:4a3b:6c';

interface ServerProfile {
  ipv4: string[];
  ipv6: string[];
  fingerprint: string;
  /** Names in the server's certificate: subject first, then the alternative names (subject repeated). */
  certNames: string[];
}

function defaultFirewalls(region: string): FirewallProfile[] {
  return [
    {
      name: 'egress-fw',
      availabilityZones: [`${region}a`, `${region}b`, `${region}d`],
      revokedAction: 'DROP',
      unknownAction: 'PASS',
      weight: 6,
    },
    { name: 'inspection-fw', availabilityZones: [`${region}a`, `${region}c`], revokedAction: 'REJECT', unknownAction: 'DROP', weight: 3 },
    { name: 'dev-tls-fw', availabilityZones: [`${region}b`], revokedAction: 'PASS', unknownAction: 'PASS', weight: 1 },
  ];
}

function toEpochMs(value: Date | string | number | undefined): number {
  if (value === undefined) return DEFAULT_START;
  if (typeof value === 'number') return value;
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
  if (Number.isNaN(ms)) throw new Error(`Not a time: ${String(value)}`);
  return ms;
}

/** One IPv6 group as written in compressed form: lower-case, no leading zeros, never 0. */
function hexGroup(rng: Prng): string {
  return rng.int(1, 0xffff).toString(16);
}

/** The registrable domain, near enough for test data: `a.b.example.co.uk` -> `example.co.uk`. */
function apexOf(host: string): string {
  const parts = host.split('.');
  const keep = parts.length > 2 && parts[parts.length - 2].length <= 3 && parts[parts.length - 1].length === 2 ? 3 : 2;
  return parts.slice(-keep).join('.');
}

/** `2024-07-02T18:01:44.412778Z` from epoch microseconds. */
export function isoMicros(us: number): string {
  const seconds = Math.floor(us / 1e6);
  const micros = us - seconds * 1e6;
  return new Date(seconds * 1000).toISOString().slice(0, 19) + '.' + String(micros).padStart(6, '0') + 'Z';
}

// ---------------------------------------------------------------------------------------------------
// Serialisation

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
type JsonObject = { [key: string]: JsonValue };

/** JSON on one line; `spaced` gives the documentation's `{ "a": 1 }` spelling. */
function toJsonLine(value: JsonValue, spaced: boolean): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => toJsonLine(v, spaced));
    return spaced ? `[ ${items.join(', ')} ]` : `[${items.join(',')}]`;
  }
  const pairs = Object.keys(value).map((k) => JSON.stringify(k) + (spaced ? ': ' : ':') + toJsonLine(value[k], spaced));
  if (pairs.length === 0) return '{}';
  return spaced ? `{ ${pairs.join(', ')} }` : `{${pairs.join(',')}}`;
}

function shuffled<T>(rng: Prng, items: T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function reordered(rng: Prng, obj: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of shuffled(rng, Object.keys(obj))) out[key] = obj[key];
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The generator

/**
 * Produces log lines one at a time with a clock that only moves forward. Keeps per-server data (addresses,
 * certificate) stable, so the same SNI always resolves to the same servers and fingerprint.
 */
export class LogGenerator {
  /** Current time in epoch microseconds; the next entry is stamped at or after it. */
  clockUs: number;
  /** Mean gap between entries in microseconds. */
  meanGapUs: number;
  /** The clock never passes this time (epoch microseconds); entries pile up at it instead. */
  clockLimitUs = Number.POSITIVE_INFINITY;

  private readonly rng: Prng;
  private readonly seed: number;
  private readonly malformed: number;
  private readonly reorderKeys: number;
  private readonly pretty: number;
  private readonly ipv6: number;
  private readonly firewalls: FirewallProfile[];
  private readonly firewallWeights: number[];
  private readonly snis: string[];
  private readonly sniZipf: Zipf;
  private readonly clients: string[];
  private readonly clientZipf: Zipf;
  private readonly servers = new Map<string, ServerProfile>();

  constructor(options: GenerateOptions = {}) {
    this.seed = options.seed ?? 1;
    this.rng = new Prng(this.seed);
    this.malformed = options.malformed ?? 0;
    this.reorderKeys = options.reorderKeys ?? 0.05;
    this.pretty = options.pretty ?? 0;
    this.ipv6 = options.ipv6 ?? 0.05;
    this.firewalls = options.firewalls ?? defaultFirewalls(options.region ?? 'us-east-1');
    if (this.firewalls.length === 0) throw new Error('At least one firewall is needed.');
    let total = 0;
    this.firewallWeights = this.firewalls.map((f) => (total += f.weight));
    this.clockUs = toEpochMs(options.start) * 1000;
    this.meanGapUs = (options.meanGapMs ?? 40) * 1000;

    // The name population is drawn from its own stream so that it does not depend on other options.
    const names = new Prng(this.seed * 7919 + 17);
    const tail = new Set<string>();
    while (tail.size < 4000) {
      const word = names.pick(SYLLABLES) + names.pick(SYLLABLES) + (names.chance(0.5) ? names.pick(SYLLABLES) : '');
      const host = names.chance(0.8) ? `${names.pick(SUBDOMAINS)}.${word}.${names.pick(TLDS)}` : `${word}.${names.pick(TLDS)}`;
      if (!HOT_SNIS.includes(host)) tail.add(host);
    }
    this.snis = [...HOT_SNIS, ...tail];
    this.sniZipf = new Zipf(this.snis.length, 1.05);

    const clients: string[] = [];
    for (let i = 0; i < 300; i++) {
      clients.push(`10.${names.pick([0, 0, 1, 20, 42, 100])}.${names.int(0, 15)}.${names.int(4, 250)}`);
    }
    this.clients = clients;
    this.clientZipf = new Zipf(clients.length, 0.9);
  }

  /** The next line, advancing the clock. */
  next(overrides: EntryOverrides = {}): GeneratedLine {
    this.clockUs = Math.min(this.clockLimitUs, this.clockUs + Math.max(1, Math.round(this.rng.exponential(this.meanGapUs))));
    const rng = this.rng;
    const defect = overrides.defect ?? (this.malformed > 0 && rng.chance(this.malformed) ? rng.pick(DEFECT_KINDS) : undefined);
    const shape = overrides.shape ?? this.pickShape(defect);
    const entry = this.buildEntry(shape, overrides);
    let text: string;
    if (defect) {
      text = this.breakEntry(entry, shape, defect, overrides);
    } else {
      const reorder = overrides.reorder ?? rng.chance(this.reorderKeys);
      const pretty = overrides.pretty ?? rng.chance(this.pretty);
      text = toJsonLine(reorder ? this.reorderEntry(entry) : entry, pretty);
    }
    return defect ? { text, shape, defect } : { text, shape };
  }

  /** Lines until their total length (with newlines, in UTF-8 bytes) reaches `bytes`. */
  *linesUpTo(bytes: number): Generator<GeneratedLine> {
    let written = 0;
    while (written < bytes) {
      const line = this.next();
      written += Buffer.byteLength(line.text) + 1;
      yield line;
    }
  }

  private pickShape(defect: DefectKind | undefined): EntryShape {
    if (defect === 'unknown-status' || defect === 'unknown-action') return 'revocation';
    if (defect === 'no-sni-mismatch' || defect === 'unknown-error-message') return this.rng.chance(0.5) ? 'no-sni' : 'sni-mismatch';
    const u = this.rng.next();
    return u < 0.22 ? 'no-sni' : u < 0.6 ? 'sni-mismatch' : 'revocation';
  }

  private pickFirewall(name: string | undefined): FirewallProfile {
    if (name !== undefined) {
      const found = this.firewalls.find((f) => f.name === name);
      if (found) return found;
      return { name, availabilityZones: this.firewalls[0].availabilityZones, revokedAction: 'DROP', unknownAction: 'PASS', weight: 1 };
    }
    const u = this.rng.next() * this.firewallWeights[this.firewallWeights.length - 1];
    let i = 0;
    while (this.firewallWeights[i] <= u) i++;
    return this.firewalls[i];
  }

  private server(sni: string): ServerProfile {
    let profile = this.servers.get(sni);
    if (profile) return profile;
    const r = new Prng(fnv1a(sni, this.seed));
    const ipv4: string[] = [];
    for (let i = r.int(1, 4); i > 0; i--) ipv4.push(`${r.pick(PUBLIC_FIRST_OCTETS)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`);
    const ipv6: string[] = [];
    for (let i = r.int(1, 2); i > 0; i--) ipv6.push(`${r.pick(IPV6_SERVER_PREFIXES)}${hexGroup(r)}::${hexGroup(r)}`);
    // A mismatch means the certificate is for some other name: a shared hosting default, or another site.
    let certNames: string[];
    if (r.chance(0.55)) certNames = [...r.pick(HOSTING_CERTS)];
    else {
      const other = apexOf(this.snis[r.int(HOT_SNIS.length, this.snis.length - 1)]);
      certNames =
        other === apexOf(sni) ? ['localhost', 'localhost'] : [`www.${other}`, `www.${other}`, other, `*.${other}`].slice(0, r.int(2, 4));
    }
    profile = { ipv4, ipv6, fingerprint: r.hex(64, true), certNames };
    this.servers.set(sni, profile);
    return profile;
  }

  private buildEntry(shape: EntryShape, o: EntryOverrides): JsonObject {
    const rng = this.rng;
    const firewall = this.pickFirewall(o.firewall);
    const us = this.clockUs;
    const v6 = o.ipv6 ?? rng.chance(this.ipv6);
    const srcIp = v6
      ? `${VPC_IPV6_PREFIX}${rng.hex(2)}:${hexGroup(rng)}:${hexGroup(rng)}:${hexGroup(rng)}:${hexGroup(rng)}`
      : this.clients[this.clientZipf.sample(rng)];
    const srcPort = String(rng.chance(0.85) ? rng.int(32768, 60999) : rng.int(49152, 65535));
    const u = rng.next();
    const destPort = u < 0.92 ? '443' : u < 0.96 ? '8443' : rng.pick(['993', '465', '5223', '9443']);

    const base: JsonObject = {
      firewall_name: firewall.name,
      availability_zone: rng.pick(firewall.availabilityZones),
      event_timestamp: Math.floor(us / 1e6),
    };

    if (shape === 'no-sni') {
      // Clients without SNI are mostly scripts and agents that connect by IP, often to internal hosts.
      const destIp = v6
        ? this.server(rng.pick(HOT_SNIS)).ipv6[0]
        : rng.chance(0.4)
          ? `10.${rng.int(0, 1)}.${rng.int(0, 15)}.${rng.int(4, 250)}`
          : rng.pick(this.server(this.snis[this.sniZipf.sample(rng)]).ipv4);
      base.event = {
        timestamp: isoMicros(us),
        src_ip: srcIp,
        src_port: srcPort,
        dest_ip: destIp,
        dest_port: destPort,
        sni: o.sni ?? '-',
        tls_error: { error_message: NO_SNI_MESSAGE },
      };
      return base;
    }

    if (shape === 'sni-mismatch') {
      const sni = o.sni ?? this.snis[this.sniZipf.sample(rng)];
      const server = this.server(sni);
      const destIp = v6 ? rng.pick(server.ipv6) : rng.pick(server.ipv4);
      base.event = {
        timestamp: isoMicros(us),
        src_ip: srcIp,
        src_port: srcPort,
        dest_ip: destIp,
        dest_port: destPort,
        sni,
        tls_error: { error_message: `SNI: ${sni} Match Failed to server certificate names: ${server.certNames.join('/')} ` },
      };
      return base;
    }

    const status = o.status ?? (rng.chance(0.35) ? 'REVOKED' : 'UNKNOWN');
    const sni = o.sni ?? (status === 'REVOKED' && rng.chance(0.6) ? rng.pick(REVOKED_SNIS) : this.snis[this.sniZipf.sample(rng)]);
    const server = this.server(sni);
    // Mostly the firewall's configured action; now and then the configuration was different at the time.
    const configured = status === 'REVOKED' ? firewall.revokedAction : firewall.unknownAction;
    const action = o.action ?? (rng.chance(0.04) ? rng.pick(['PASS', 'DROP', 'REJECT']) : configured);
    base.event = {
      src_ip: srcIp,
      src_port: srcPort,
      revocation_check: { leaf_cert_fpr: server.fingerprint, status, action },
      dest_ip: v6 ? rng.pick(server.ipv6) : rng.pick(server.ipv4),
      dest_port: destPort,
      timestamp: isoMicros(us),
      sni,
    };
    return base;
  }

  private reorderEntry(entry: JsonObject): JsonObject {
    const out = this.rng.chance(0.5) ? reordered(this.rng, entry) : { ...entry };
    out.event = reordered(this.rng, entry.event as JsonObject);
    return out;
  }

  private breakEntry(entry: JsonObject, shape: EntryShape, defect: DefectKind, o: EntryOverrides): string {
    const rng = this.rng;
    const event = entry.event as JsonObject;
    const spaced = o.pretty ?? false;
    switch (defect) {
      case 'invalid-json': {
        const text = toJsonLine(entry, spaced);
        const variant = rng.int(0, 3);
        let broken = text;
        if (variant === 1)
          broken = isoMicros(this.clockUs).slice(0, 23) + 'Z ' + text; // pasted from a console with its time column
        else if (variant === 2)
          broken = text.replace(/,( ?)"dest_port"/, '$1"dest_port"'); // a comma lost
        else if (variant === 3) broken = text.replace(/"sni":( ?)"([^"\\]*)"/, `"sni":$1'$2'`); // single quotes
        return broken !== text ? broken : text.slice(0, rng.int(12, text.length - 2)); // cut off mid-write
      }
      case 'not-an-object':
        return rng.pick([
          JSON.stringify([entry.firewall_name, entry.availability_zone, entry.event_timestamp]),
          JSON.stringify(`${String(entry.firewall_name)} ${String(event.src_ip)} -> ${String(event.dest_ip)}`),
          'null',
        ]);
      case 'missing-field': {
        const choice = rng.int(0, 4);
        if (choice === 0) delete entry.firewall_name;
        else if (choice === 1) delete event.sni;
        else if (choice === 2) delete event.src_ip;
        else if (choice === 3) delete event.dest_port;
        else delete event.timestamp;
        break;
      }
      case 'wrong-type': {
        const choice = rng.int(0, 3);
        if (choice === 0) entry.event_timestamp = 'soon';
        else if (choice === 1) event.src_port = true;
        else if (choice === 2) event.sni = 42;
        else entry.availability_zone = ['us-east-1a'];
        break;
      }
      case 'unknown-entry-kind':
        delete event.tls_error;
        delete event.revocation_check;
        break;
      case 'both-entry-kinds':
        if (shape === 'revocation') event.tls_error = { error_message: NO_SNI_MESSAGE };
        else event.revocation_check = { leaf_cert_fpr: rng.hex(64, true), status: 'UNKNOWN', action: 'PASS' };
        break;
      case 'not-a-tls-entry':
        // An alert log entry from the same firewall: Suricata EVE JSON in the same envelope.
        return toJsonLine(
          {
            firewall_name: entry.firewall_name,
            availability_zone: entry.availability_zone,
            event_timestamp: String(entry.event_timestamp),
            event: {
              timestamp: isoMicros(this.clockUs).replace('Z', '+0000'),
              flow_id: rng.int(1e14, 9e14),
              event_type: 'alert',
              src_ip: event.src_ip,
              src_port: Number(event.src_port),
              dest_ip: event.dest_ip,
              dest_port: Number(event.dest_port),
              proto: 'TCP',
              alert: {
                action: 'blocked',
                signature_id: rng.int(1, 999),
                rev: 1,
                signature: 'Block disallowed domains',
                category: '',
                severity: 3,
              },
              tls: { sni: typeof event.sni === 'string' && event.sni !== '-' ? event.sni : 'example.com', version: 'TLS 1.2' },
              app_proto: 'tls',
              tls_inspected: true,
            },
          },
          spaced,
        );
      case 'invalid-ip':
        if (rng.chance(0.5)) event.src_ip = rng.pick(['10.0.300.5', '10.0.2', 'localhost', '2600:1f18::zz::1']);
        else event.dest_ip = rng.pick(['256.12.8.1', 'not-an-ip', '54.92.160.72.1', '2606:4700:::1']);
        break;
      case 'invalid-port':
        if (rng.chance(0.5)) event.dest_port = rng.pick(['70000', '-1', 'https']);
        else event.src_port = rng.pick(['65536', '99999', '']);
        break;
      case 'invalid-timestamp':
        event.timestamp = rng.pick([
          isoMicros(this.clockUs).replace('T', ' ').replace('Z', ''),
          isoMicros(this.clockUs).replace(/^(\d{4})-\d\d/, '$1-13'),
          'yesterday',
          isoMicros(this.clockUs).replace(/T\d\d/, 'T25'),
        ]);
        break;
      case 'timestamp-mismatch':
        entry.event_timestamp = (entry.event_timestamp as number) + rng.pick([3600, -3600, -42, 7, 86400]);
        break;
      case 'unknown-status':
        (event.revocation_check as JsonObject).status = rng.pick(['GOOD', 'revoked', 'EXPIRED', '']);
        break;
      case 'unknown-action':
        (event.revocation_check as JsonObject).action = rng.pick(['ALLOW', 'drop', 'ALERT', 'BLOCK']);
        break;
      case 'no-sni-mismatch':
        if (shape === 'no-sni') event.sni = this.snis[this.sniZipf.sample(rng)];
        else {
          event.sni = '-';
        }
        break;
      case 'unknown-error-message':
        (event.tls_error as JsonObject).error_message = rng.pick([
          'Certificate has expired.',
          'TLS handshake timed out.',
          'Unsupported TLS version in client hello.',
        ]);
        break;
      case 'empty-value':
        if (rng.chance(0.5)) entry.firewall_name = '';
        else entry.availability_zone = '';
        break;
    }
    return toJsonLine(entry, spaced);
  }
}

// ---------------------------------------------------------------------------------------------------
// Convenience functions

/** `count` lines (without newlines). */
export function generateLogLines(count: number, options: GenerateOptions = {}): string[] {
  const generator = new LogGenerator(options);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(generator.next().text);
  return lines;
}

/** A whole log in memory, newline-terminated lines, at least `bytes` long (UTF-8). For benchmarks of a few MB. */
export function generateLogText(bytes: number, options: GenerateOptions = {}): string {
  const generator = new LogGenerator(options);
  const lines: string[] = [];
  for (const line of generator.linesUpTo(bytes)) lines.push(line.text);
  return lines.join('\n') + '\n';
}

/** `12MB`, `1.5GB`, `512KB`, `1000` (bytes); binary units (1 MB = 1024 * 1024 bytes). */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|K|KB|KIB|M|MB|MIB|G|GB|GIB)?\s*$/i.exec(text);
  if (!m) throw new Error(`Not a size: ${text} (try 100MB or 1GB)`);
  const unit = (m[2] ?? 'B').toUpperCase()[0];
  const factor = unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : unit === 'G' ? 1024 ** 3 : 1;
  return Math.round(Number(m[1]) * factor);
}

export interface WriteLogResult {
  path: string;
  /** Uncompressed bytes written (newlines included). */
  bytes: number;
  lines: number;
  malformedLines: number;
}

async function writeLines(path: string, lines: Iterable<GeneratedLine>, gzip: boolean): Promise<WriteLogResult> {
  const result: WriteLogResult = { path, bytes: 0, lines: 0, malformedLines: 0 };
  function* chunks(): Generator<string> {
    let chunk = '';
    for (const line of lines) {
      chunk += line.text + '\n';
      result.lines++;
      if (line.defect) result.malformedLines++;
      if (chunk.length >= 1 << 16) {
        result.bytes += Buffer.byteLength(chunk);
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) {
      result.bytes += Buffer.byteLength(chunk);
      yield chunk;
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  const source = Readable.from(chunks(), { objectMode: false });
  if (gzip) await pipeline(source, createGzip(), createWriteStream(path));
  else await pipeline(source, createWriteStream(path));
  return result;
}

/**
 * Streams a log of about `bytes` uncompressed bytes (it stops after the line that reaches the size) to
 * `path`, gzip-compressed when `gzip` is set. Memory use does not grow with the size.
 */
export function writeLog(path: string, bytes: number, options: GenerateOptions & { gzip?: boolean } = {}): Promise<WriteLogResult> {
  return writeLines(path, new LogGenerator(options).linesUpTo(bytes), options.gzip ?? false);
}

export interface S3TreeOptions extends GenerateOptions {
  /** AWS account id in the key. Default `111122223333`. */
  account?: string;
  /** Mean uncompressed size of one file. Default 512 KB. */
  fileBytes?: number;
  /** Write `.log.gz` (default) or plain `.log` files. */
  gzip?: boolean;
  /** Fraction of files named with the `YYYYMMDDHHmm` time form instead of `YYYYMMDDTHHmmZ`. Default 0. */
  compactTimeNames?: number;
}

export interface S3TreeResult {
  root: string;
  files: WriteLogResult[];
  /** Uncompressed bytes over all files. */
  bytes: number;
  lines: number;
  malformedLines: number;
}

const FIVE_MINUTES_US = 5 * 60 * 1e6;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * The S3 key of one TLS log object:
 * `AWSLogs/<account>/network-firewall/tls/<region>/<firewall>/YYYY/MM/DD/HH/<account>_network-firewall_tls_<region>_<firewall>_<YYYYMMDDTHHmmZ>_<hash>.log.gz`.
 */
export function s3LogKey(
  account: string,
  region: string,
  firewall: string,
  time: Date,
  hash: string,
  options: { compactTime?: boolean; gzip?: boolean } = {},
): string {
  const y = String(time.getUTCFullYear());
  const mo = pad2(time.getUTCMonth() + 1);
  const d = pad2(time.getUTCDate());
  const h = pad2(time.getUTCHours());
  const mi = pad2(time.getUTCMinutes());
  const stamp = options.compactTime ? `${y}${mo}${d}${h}${mi}` : `${y}${mo}${d}T${h}${mi}Z`;
  const ext = options.gzip === false ? '.log' : '.log.gz';
  return `AWSLogs/${account}/network-firewall/tls/${region}/${firewall}/${y}/${mo}/${d}/${h}/${account}_network-firewall_tls_${region}_${firewall}_${stamp}_${hash}${ext}`;
}

/**
 * Writes an S3-style folder tree of TLS log objects under `root`, as a download of the log bucket looks:
 * every firewall publishes one or more files per five-minute window, each holding that window's entries.
 * Stops when `totalBytes` uncompressed bytes are written (the last file is cut short to fit).
 */
export async function writeS3Tree(root: string, totalBytes: number, options: S3TreeOptions = {}): Promise<S3TreeResult> {
  const seed = options.seed ?? 1;
  const account = options.account ?? '111122223333';
  const region = options.region ?? 'us-east-1';
  const firewalls = options.firewalls ?? defaultFirewalls(region);
  const fileBytes = options.fileBytes ?? 512 * 1024;
  const gzip = options.gzip ?? true;
  const rng = new Prng(seed + 1013);
  const startUs = Math.floor(toEpochMs(options.start) / 300000) * 300000 * 1000;

  // One generator per firewall, each with its own clock that is set to the window being written.
  const generators = firewalls.map((f, i) => new LogGenerator({ ...options, seed: seed * 31 + i, firewalls: [f] }));
  const averageLine = averageLineLength({ ...options, seed });
  const totalWeight = firewalls.reduce((sum, f) => sum + f.weight, 0);

  const result: S3TreeResult = { root, files: [], bytes: 0, lines: 0, malformedLines: 0 };
  for (let windowUs = startUs; result.bytes < totalBytes; windowUs += FIVE_MINUTES_US) {
    for (let f = 0; f < firewalls.length && result.bytes < totalBytes; f++) {
      const fileCount = rng.chance(0.8) ? 1 : rng.int(2, 3);
      const generator = generators[f];
      generator.clockUs = windowUs;
      for (let n = 0; n < fileCount && result.bytes < totalBytes; n++) {
        // Busier firewalls write bigger files; the mean over all files stays near `fileBytes`.
        const share = (firewalls[f].weight * firewalls.length) / totalWeight;
        const target = Math.min(
          totalBytes - result.bytes,
          Math.max(1, Math.round((fileBytes * share * (0.3 + 1.4 * rng.next())) / fileCount)),
        );
        const windowEnd = windowUs + FIVE_MINUTES_US;
        generator.clockLimitUs = windowEnd - 1;
        generator.meanGapUs = (0.9 * (windowEnd - generator.clockUs)) / Math.max(1, target / averageLine);
        const lines = generator.linesUpTo(target);
        const delivered = new Date((windowUs + FIVE_MINUTES_US) / 1000);
        const key = s3LogKey(account, region, firewalls[f].name, delivered, rng.hex(8), {
          compactTime: rng.chance(options.compactTimeNames ?? 0),
          gzip,
        });
        const written = await writeLines(join(root, key), lines, gzip);
        result.files.push(written);
        result.bytes += written.bytes;
        result.lines += written.lines;
        result.malformedLines += written.malformedLines;
      }
    }
  }
  return result;
}

function averageLineLength(options: GenerateOptions): number {
  const lines = generateLogLines(400, options);
  return lines.reduce((sum, l) => sum + l.length + 1, 0) / lines.length;
}

// ---------------------------------------------------------------------------------------------------
// Command line

function usage(): never {
  console.error(
    'usage: node out/bench/generate.js <out-file> <size e.g. 100MB> [--malformed 0.01] [--seed N] [--gzip]\n' +
      '       node out/bench/generate.js <out-dir> <size> --tree [--file-size 512KB] [--malformed 0.01] [--seed N] [--plain]',
  );
  process.exit(2);
}

async function main(argv: string[]): Promise<void> {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) positional.push(arg);
    else if (['--gzip', '--tree', '--plain'].includes(arg)) flags.set(arg, true);
    else if (i + 1 < argv.length) flags.set(arg, argv[++i]);
    else usage();
  }
  if (positional.length !== 2) usage();
  const [out, sizeText] = positional;
  const bytes = parseSize(sizeText);
  const number = (name: string): number | undefined => {
    const v = flags.get(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (typeof v !== 'string' || !Number.isFinite(n)) usage();
    return n;
  };
  const options: S3TreeOptions = { seed: number('--seed') ?? 1, malformed: number('--malformed') ?? 0 };
  const started = Date.now();
  if (flags.has('--tree')) {
    const fileSize = flags.get('--file-size');
    const result = await writeS3Tree(out, bytes, {
      ...options,
      gzip: !flags.has('--plain'),
      fileBytes: typeof fileSize === 'string' ? parseSize(fileSize) : undefined,
    });
    console.log(
      `${result.files.length} files, ${result.lines} lines (${result.malformedLines} malformed), ${(result.bytes / 1048576).toFixed(1)} MB uncompressed under ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } else {
    const result = await writeLog(out, bytes, { ...options, gzip: flags.has('--gzip') || out.endsWith('.gz') });
    console.log(
      `${result.lines} lines (${result.malformedLines} malformed), ${(result.bytes / 1048576).toFixed(1)} MB uncompressed to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}

// Benchmarks bundle this module into their own scripts; only run the command line when this file is the script.
if (require.main === module && basename(__filename, '.js') === 'generate') {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
