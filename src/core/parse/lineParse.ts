import { analyzeLine } from './analyze';
import { EntryBatchBuilder, type EntryBatch } from './entryBatch';
import { kindIndex } from './entryKind';
import type { AnalyzeOptions, Problem } from './types';

/** What kind of entry a line holds: {@link NO_ENTRY}, or 1 + the entry's index in GROUP_KINDS. */
export const NO_ENTRY = 0;

/**
 * The parse of a run of consecutive lines in the compact form a document's model keeps: small numbers per
 * line and the problems of the lines that have any. It is plain data of typed arrays, so that a worker
 * thread can post it to the thread that keeps the model at the cost of copying a few buffers.
 */
export interface ParsedLines {
  /** The first line's number. */
  start: number;
  count: number;
  /** Per line: {@link NO_ENTRY} or 1 + the index of the entry's group kind. */
  kinds: Uint8Array;
  /** Per line with an entry: the id of its SNI among the parse's SNIs; -1 for the others. */
  sniIds: Int32Array;
  /**
   * The SNIs this run met first, in the order of their ids: the parse's ids start at 0 and go up by one
   * per new SNI (undefined: entries without `event.sni`).
   */
  newSnis: Array<string | undefined>;
  /** The lines that have problems (numbers relative to {@link start}), and their problems. */
  problemLines: number[];
  problems: Problem[][];
}

/**
 * Turns lines of log into {@link ParsedLines}, run after run, keeping one table of SNI ids across the
 * runs of one parse. The editor's model is filled from what this returns, whether the lines were parsed on
 * the editor's thread or on a worker.
 */
export class LineParser {
  private readonly sniIdOf = new Map<string | undefined, number>();
  private lastSni: string | undefined;
  private lastSniId = -1;
  /** The entries parsed so far and not yet taken, when the parse gathers them (see {@link takeEntries}). */
  private readonly entries: EntryBatchBuilder | undefined;

  /** @param gatherEntries whether to keep each entry's fields for the SNI view, until {@link takeEntries}. */
  constructor(
    private readonly options: AnalyzeOptions = {},
    gatherEntries = false,
  ) {
    this.entries = gatherEntries ? new EntryBatchBuilder(1024) : undefined;
  }

  /** Parses lines `start..start+count-1`, read one at a time by `read`. */
  parse(start: number, count: number, read: (line: number) => string): ParsedLines {
    const out: ParsedLines = {
      start,
      count,
      kinds: new Uint8Array(count),
      sniIds: new Int32Array(count).fill(-1),
      newSnis: [],
      problemLines: [],
      problems: [],
    };
    for (let k = 0; k < count; k++) {
      const line = start + k;
      const r = analyzeLine(read(line), line, this.options);
      if (r.problems.length > 0) {
        out.problemLines.push(k);
        out.problems.push(r.problems);
      }
      const entry = r.entry;
      if (entry === undefined) continue;
      out.kinds[k] = 1 + kindIndex(entry);
      const sni = entry.sni;
      let id = this.lastSniId >= 0 && sni === this.lastSni ? this.lastSniId : this.sniIdOf.get(sni);
      if (id === undefined) {
        id = this.sniIdOf.size;
        this.sniIdOf.set(sni, id);
        out.newSnis.push(sni);
      }
      out.sniIds[k] = id;
      this.lastSni = sni;
      this.lastSniId = id;
      this.entries?.add(line, entry);
    }
    return out;
  }

  /** Parses the lines of `text`, which holds `count` lines from `start` joined by `eol`. */
  parseText(start: number, count: number, text: string, eol: string): ParsedLines {
    const lines = text.split(eol);
    if (lines.length !== count) throw new Error(`expected ${count} lines from line ${start + 1}, got ${lines.length}`);
    return this.parse(start, count, (line) => lines[line - start]);
  }

  /** How many entries were parsed and not yet taken. */
  get pendingEntries(): number {
    return this.entries?.size ?? 0;
  }

  /** The entries parsed since the last call, packed for the SNI view (none unless the parse gathers them). */
  takeEntries(): EntryBatch | undefined {
    return this.entries?.take();
  }
}
