import * as vscode from 'vscode';
import type { OutlineGroup } from '../core/document/outline';
import { capNote, PROBLEMS_CAPPED } from '../core/document/problemCap';
import type { Problem, Severity, SeverityCounts } from '../core/parse/types';
import { DIAGNOSTIC_SOURCE } from './ids';

/** The only place that turns core values into editor values. */

export function toSeverity(severity: Severity): vscode.DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return vscode.DiagnosticSeverity.Error;
    case 'warning':
      return vscode.DiagnosticSeverity.Warning;
    default:
      return vscode.DiagnosticSeverity.Information;
  }
}

export function toRange(line: number, startColumn: number, endColumn: number): vscode.Range {
  return new vscode.Range(line, startColumn, line, endColumn);
}

export function toDiagnostic(problem: Problem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(
    toRange(problem.line, problem.startColumn, problem.endColumn),
    problem.message,
    toSeverity(problem.severity),
  );
  d.source = DIAGNOSTIC_SOURCE;
  d.code = problem.code;
  return d;
}

/**
 * An outline as document symbols: each entry on its own line, under its SNI. An SNI's entries are spread
 * among other SNIs' entries, so its symbol covers only its first entry's line: a range from its first to its
 * last entry would contain other SNIs' lines, and breadcrumbs would name the wrong SNI there.
 * `lineLength` gives a line's length in the document.
 */
export function toDocumentSymbols(groups: readonly OutlineGroup[], lineLength: (line: number) => number): vscode.DocumentSymbol[] {
  return groups.map((g) => toDocumentSymbol(g, lineLength));
}

/** One SNI of an outline as a document symbol with its entries beneath (see {@link toDocumentSymbols}). */
export function toDocumentSymbol(group: OutlineGroup, lineLength: (line: number) => number): vscode.DocumentSymbol {
  const { DocumentSymbol, Range, SymbolKind } = vscode;
  const lineRange = (line: number): vscode.Range => new Range(line, 0, line, lineLength(line));
  const symbol = new DocumentSymbol(group.name, group.detail, SymbolKind.Namespace, lineRange(group.firstLine), lineRange(group.firstLine));
  symbol.children = group.entries.map((e) => {
    const range = lineRange(e.line);
    return new DocumentSymbol(e.name, e.detail, SymbolKind.Event, range, range);
  });
  return symbol;
}

/**
 * A file's problems as diagnostics within VS Code's per-file cap. `problems` holds at most `cap`, errors
 * first; when there are more in all, the least severe is dropped to make room for a first diagnostic
 * (`problems-capped`) that says how many there are. `origin` adds where they came from to that note.
 */
export function toCappedDiagnostics(problems: readonly Problem[], counts: SeverityCounts, cap: number, origin = ''): vscode.Diagnostic[] {
  return withCapNote(problems.map(toDiagnostic), counts, cap, origin);
}

/**
 * The second half of {@link toCappedDiagnostics}, for a caller that made the diagnostics itself (a step at
 * a time): adds the `problems-capped` note (its wording: core's `capNote`) in place of the least severe
 * when `counts` says there are more. Changes and returns `diagnostics`.
 */
export function withCapNote(diagnostics: vscode.Diagnostic[], counts: SeverityCounts, cap: number, origin = ''): vscode.Diagnostic[] {
  const capped = capNote(diagnostics.length, counts, cap, origin);
  if (!capped) return diagnostics;
  diagnostics.length = capped.shown;
  const note = new vscode.Diagnostic(
    toRange(capped.line, capped.startColumn, capped.endColumn),
    capped.message,
    toSeverity(capped.severity),
  );
  note.source = DIAGNOSTIC_SOURCE;
  note.code = PROBLEMS_CAPPED;
  diagnostics.unshift(note);
  return diagnostics;
}
