import { describeKindCounts } from './navigation';
import { addressText, endpointText, entryEndpoints, entryOutcome, entryTimeMs, formatEntryTime, sniText, thousands } from '../text';
import { kindOf, type GroupKind } from '../parse/entryKind';
import type { TlsEntry } from '../parse/types';
import { runToEnd } from '../threads/steps';

/**
 * A log's outline for the editor's Outline view, breadcrumbs and "Go to Symbol": one node per SNI, in the
 * order the SNIs first appear, with that SNI's entries beneath in line order. Names are one line of plain
 * text. The editor turns every node into an object and sends it to the workbench in one message, so a big
 * log's outline is bounded: so many SNIs, so many entries under one SNI and in all.
 */

export interface OutlineEntry {
  line: number;
  /** The entry's time, `2024-07-02 18:01:44.412`. */
  name: string;
  /** `REVOKED → DROP · 10.0.2.60 → 104.18.30.5:443` */
  detail: string;
}

export interface OutlineGroup {
  /** The raw `event.sni` (undefined when the field is missing). */
  sni: string | undefined;
  name: string;
  /** `5 entries: 4 TLS errors, 1 unknown`, and how many are listed when not all are. */
  detail: string;
  firstLine: number;
  lastLine: number;
  /** The entries listed (all of them, unless the limits cut the list). */
  entries: OutlineEntry[];
  total: number;
}

export interface OutlineLimits {
  /** SNIs listed at most; later ones are left out. */
  snis: number;
  /** Entries listed under one SNI at most. */
  perSni: number;
  /** Entries listed in the whole document at most, given to the SNIs in order. */
  entries: number;
}

export const OUTLINE_LIMITS: Readonly<OutlineLimits> = { snis: 500, perSni: 100, entries: 500 };

interface Pending {
  group: OutlineGroup;
  /** Entries to list; an entry not given is read with the builder's `entryAt` when it is described. */
  listed: { line: number; entry: TlsEntry | undefined }[];
  kinds: Record<GroupKind, number>;
}

/**
 * Collects a document's entries (in line order) one at a time, so that a caller can spread a big document
 * over several turns of the event loop; {@link finish} describes what is listed.
 */
export class OutlineBuilder {
  private readonly groups = new Map<string | undefined, Pending>();
  /** Distinct SNIs past the limit. */
  private readonly left = new Set<string | undefined>();

  /**
   * `entryAt` reads a line's entry for the entries that {@link addLine} was not given and that end up
   * listed (a few thousand at most, however long the log).
   */
  constructor(
    private readonly limits: Readonly<OutlineLimits> = OUTLINE_LIMITS,
    private readonly entryAt: (line: number) => TlsEntry | undefined = () => undefined,
  ) {}

  add(line: number, entry: TlsEntry): void {
    this.addLine(line, entry.sni, kindOf(entry), entry);
  }

  /** {@link add} from what a model knows of a line without reading it: its SNI and kind. */
  addLine(line: number, sni: string | undefined, kind: GroupKind, entry?: TlsEntry): void {
    let g = this.groups.get(sni);
    if (!g) {
      if (this.groups.size >= this.limits.snis) {
        this.left.add(sni);
        return;
      }
      g = {
        group: { sni, name: sniText(sni), detail: '', firstLine: line, lastLine: line, entries: [], total: 0 },
        listed: [],
        kinds: { tlsError: 0, revoked: 0, unknown: 0, other: 0 },
      };
      this.groups.set(sni, g);
    }
    g.group.lastLine = line;
    g.group.total++;
    g.kinds[kind]++;
    if (g.listed.length < this.limits.perSni) g.listed.push({ line, entry });
  }

  /** The SNIs listed, and how many distinct SNIs were left out. */
  finish(): OutlineResult {
    return runToEnd(this.finishInSteps());
  }

  /**
   * {@link finish} a step at a time: each `next()` describes a few SNIs and their listed entries, at most
   * `itemsPerStep` work items (an SNI counts {@link GROUP_ITEMS}, a listed entry one), yields how many it
   * did, and the last one returns what `finish` returns.
   */
  *finishInSteps(itemsPerStep = FINISH_ITEMS_PER_STEP): Generator<number, OutlineResult, void> {
    const stepItems = Math.max(itemsPerStep, GROUP_ITEMS);
    const format = new EntryFormatter();
    const counts = new Map<string, string>();
    let budget = this.limits.entries;
    const groups: OutlineGroup[] = [];
    let done = 0;
    for (const { group, listed, kinds } of this.groups.values()) {
      if (done + GROUP_ITEMS > stepItems) {
        yield done;
        done = 0;
      }
      const shown = Math.min(listed.length, Math.max(0, budget));
      budget -= shown;
      const entries: OutlineEntry[] = [];
      format.startGroup();
      done += GROUP_ITEMS;
      for (let i = 0; i < shown; i++) {
        if (done >= stepItems) {
          yield done;
          done = 0;
        }
        const { line } = listed[i];
        const entry = listed[i].entry ?? this.entryAt(line);
        done++;
        if (entry === undefined) continue;
        entries.push({ line, name: format.time(entryTimeMs(entry)), detail: `${format.outcome(entry)} · ${format.endpoints(entry)}` });
      }
      group.entries = entries;
      const key = `${kinds.tlsError},${kinds.revoked},${kinds.unknown},${kinds.other},${group.total}`;
      let described = counts.get(key);
      if (described === undefined) {
        described = describeKindCounts(kinds, group.total);
        counts.set(key, described);
      }
      group.detail = shown < group.total ? `${described} (first ${thousands(shown)} listed)` : described;
      groups.push(group);
    }
    return { groups, omittedSnis: this.left.size };
  }
}

export interface OutlineResult {
  /** The SNIs listed, in order of first appearance. */
  groups: OutlineGroup[];
  /** How many distinct SNIs were left out. */
  omittedSnis: number;
}

/** What one SNI costs in a step of {@link OutlineBuilder.finishInSteps}, in listed entries. */
export const GROUP_ITEMS = 2;
/** Work items per step of {@link OutlineBuilder.finishInSteps}: about 50 SNIs, or 100 listed entries (each read again from its line). */
export const FINISH_ITEMS_PER_STEP = 100;

const DAY_MS = 86_400_000;
/** 0000-01-01T00:00:00Z and 10000-01-01T00:00:00Z: outside them `toISOString` writes six-digit years. */
const FOUR_DIGIT_YEARS_FROM = -62_167_219_200_000;
const FOUR_DIGIT_YEARS_TO = 253_402_300_800_000;

/**
 * The outline's words for entries, as text.ts writes them ({@link formatEntryTime}, {@link entryOutcome},
 * {@link entryEndpoints}), with what repeats worked out once: the day of a time, an address, a revocation
 * status and action, a TLS error message of one SNI.
 */
class EntryFormatter {
  private day = NaN;
  private dayText = '';
  private readonly hosts = new Map<string, string>();
  private readonly revocations = new Map<string | undefined, Map<string | undefined, string>>();
  /** TLS error outcomes by message, for the current SNI only (the SNI takes part in reading the message). */
  private tlsErrors: Map<string | undefined, string> | undefined;

  /** Starts on the entries of another SNI. */
  startGroup(): void {
    this.tlsErrors = undefined;
  }

  time(ms: number | undefined): string {
    if (ms === undefined || !Number.isFinite(ms)) return '(no time)';
    // A Date keeps whole milliseconds, cutting towards zero.
    const t = Math.trunc(ms);
    if (t < FOUR_DIGIT_YEARS_FROM || t >= FOUR_DIGIT_YEARS_TO) return formatEntryTime(ms);
    const day = Math.floor(t / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.dayText = formatEntryTime(day * DAY_MS).slice(0, 10);
    }
    let rest = t - day * DAY_MS;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    rest -= seconds * 1000;
    return `${this.dayText} ${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${rest < 10 ? '00' : rest < 100 ? '0' : ''}${rest}`;
  }

  outcome(entry: TlsEntry): string {
    if (entry.kind === 'revocation') {
      let byAction = this.revocations.get(entry.status);
      if (!byAction) this.revocations.set(entry.status, (byAction = new Map()));
      let text = byAction.get(entry.action);
      if (text === undefined) byAction.set(entry.action, (text = entryOutcome(entry)));
      return text;
    }
    this.tlsErrors ??= new Map();
    let text = this.tlsErrors.get(entry.errorMessage);
    if (text === undefined) this.tlsErrors.set(entry.errorMessage, (text = entryOutcome(entry)));
    return text;
  }

  endpoints(entry: TlsEntry): string {
    return `${this.host(entry.srcIp, entry.srcPort)} → ${this.host(entry.destIp, entry.destPort)}`;
  }

  /** {@link entryEndpoints}'s words for one end. */
  private host(ip: string | undefined, port: number | undefined): string {
    let shown = '?';
    if (ip !== undefined) {
      const cached = this.hosts.get(ip);
      if (cached === undefined) this.hosts.set(ip, (shown = addressText(ip)));
      else shown = cached;
    }
    return endpointText(shown, port);
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** The outline of a document's entries (given in line order), at once. */
export function buildOutline(
  entries: Iterable<{ line: number; entry: TlsEntry }>,
  limits: Readonly<OutlineLimits> = OUTLINE_LIMITS,
): OutlineGroup[] {
  const builder = new OutlineBuilder(limits);
  for (const { line, entry } of entries) builder.add(line, entry);
  return builder.finish().groups;
}
