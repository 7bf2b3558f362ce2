import { analyzeLine, type AnalyzeOptions } from './analyze';
import type { LineResult, Problem, Severity, TlsEntry } from './types';

/** Reads line `i` of the current text. */
export type LineReader = (line: number) => string;

/** Counts over a whole document, kept up to date as lines change. */
export interface ProblemCounts {
  error: number;
  warning: number;
  information: number;
}

/** A text change in line terms: lines `startLine..endLine` (inclusive, old numbering) became `newLineCount` lines. */
export interface LineChange {
  startLine: number;
  endLine: number;
  newLineCount: number;
}

/**
 * The parsed form of one log document: a LineResult per line, parsed once and then kept in step with
 * edits by re-reading only the lines an edit touched. Hovers, diagnostics and the SNI tree all read it.
 */
export class LogModel {
  private results: LineResult[] = [];
  private counts: ProblemCounts = { error: 0, warning: 0, information: 0 };

  constructor(private readonly options: AnalyzeOptions = {}) {}

  /** Parses every line. */
  reset(lineCount: number, read: LineReader): void {
    // The loop of resetInSteps without the generator's pause every block of lines.
    const results = new Array<LineResult>(lineCount);
    const counts: ProblemCounts = { error: 0, warning: 0, information: 0 };
    for (let i = 0; i < lineCount; i++) {
      const r = analyzeLine(read(i), i, this.options);
      results[i] = r;
      if (r.problems.length > 0) for (const p of r.problems) counts[p.severity]++;
    }
    this.results = results;
    this.counts = counts;
  }

  /**
   * Parses every line in steps of `linesPerStep`, so that a caller can spread a big document over several
   * turns of the event loop. The model holds the new text's results only once the last step has run.
   */
  *resetInSteps(lineCount: number, read: LineReader, linesPerStep = 100): Generator<number, void, void> {
    const results = new Array<LineResult>(lineCount);
    const counts: ProblemCounts = { error: 0, warning: 0, information: 0 };
    for (let i = 0; i < lineCount; i++) {
      const r = analyzeLine(read(i), i, this.options);
      results[i] = r;
      if (r.problems.length > 0) for (const p of r.problems) counts[p.severity]++;
      if (i % linesPerStep === linesPerStep - 1) yield i + 1;
    }
    this.results = results;
    this.counts = counts;
  }

  /**
   * Applies a batch of edits given in the order the editor reports them (each relative to the text after
   * the ones before it), then re-reads only the lines they produced from the final text. Returns the
   * number of lines that were parsed again.
   */
  applyChanges(changes: readonly LineChange[], read: LineReader): number {
    // Ranges of new lines still to parse, kept in current numbering as later changes shift them.
    let dirty: Array<[number, number]> = [];
    for (const change of changes) {
      const removed = change.endLine - change.startLine + 1;
      const delta = change.newLineCount - removed;
      for (let i = change.startLine; i <= change.endLine && i < this.results.length; i++) {
        const old = this.results[i];
        if (old !== undefined) this.count(old, -1);
      }
      // Spreading a large paste's lines into splice's arguments overflows the call stack.
      if (change.newLineCount <= 10_000) {
        this.results.splice(change.startLine, removed, ...new Array<LineResult>(change.newLineCount));
      } else {
        this.results = this.results.slice(0, change.startLine).concat(new Array<LineResult>(change.newLineCount), this.results.slice(change.startLine + removed));
      }
      const next: Array<[number, number]> = [];
      for (const [s, e] of dirty) {
        if (e < change.startLine) next.push([s, e]);
        else if (s > change.endLine) next.push([s + delta, e + delta]);
        // Ranges overlapping the edit are covered by the edit's own new range below.
        else next.push([Math.min(s, change.startLine), Math.max(change.startLine, e + delta)]);
      }
      next.push([change.startLine, change.startLine + change.newLineCount - 1]);
      dirty = next;
    }
    let parsed = 0;
    for (const [s, e] of dirty) {
      for (let i = s; i <= e && i < this.results.length; i++) {
        const old = this.results[i];
        if (old !== undefined) this.count(old, -1);
        const r = analyzeLine(read(i), i, this.options);
        this.results[i] = r;
        this.count(r, 1);
        parsed++;
      }
    }
    return parsed;
  }

  get lineCount(): number {
    return this.results.length;
  }

  /** The parse of one line, with problem line numbers as of now. */
  lineResult(line: number): LineResult | undefined {
    const r = this.results[line];
    if (r) for (const p of r.problems) p.line = line;
    return r;
  }

  /** Totals by severity across the document. */
  problemCounts(): Readonly<ProblemCounts> {
    return this.counts;
  }

  /**
   * Problems for publishing: at most `cap`, errors first, then warnings, then information, each in line
   * order. `total` is how many there are in all.
   */
  problems(cap = Number.POSITIVE_INFINITY): { problems: Problem[]; total: number } {
    const total = this.counts.error + this.counts.warning + this.counts.information;
    const out: Problem[] = [];
    const order: Severity[] = ['error', 'warning', 'information'];
    const needsFilter = total > cap;
    for (const severity of needsFilter ? order : [undefined]) {
      for (let i = 0; i < this.results.length && out.length < cap; i++) {
        const r = this.results[i];
        if (r.problems.length === 0) continue;
        for (const p of r.problems) {
          if (severity !== undefined && p.severity !== severity) continue;
          p.line = i;
          out.push(p);
          if (out.length >= cap) break;
        }
      }
      if (out.length >= cap) break;
    }
    return { problems: out, total };
  }

  /** Every entry with its current line number. */
  *entries(): IterableIterator<{ line: number; entry: TlsEntry }> {
    for (let i = 0; i < this.results.length; i++) {
      const entry = this.results[i].entry;
      if (entry) yield { line: i, entry };
    }
  }

  private count(r: LineResult, sign: 1 | -1): void {
    for (const p of r.problems) this.counts[p.severity] += sign;
  }
}
