import * as vscode from 'vscode';
import type { OutlineGroup } from '../core/outline';
import type { Problem, Severity } from '../core/types';
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
  const d = new vscode.Diagnostic(toRange(problem.line, problem.startColumn, problem.endColumn), problem.message, toSeverity(problem.severity));
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
  const lineRange = (line: number): vscode.Range => new vscode.Range(line, 0, line, lineLength(line));
  return groups.map((g) => {
    const symbol = new vscode.DocumentSymbol(g.name, g.detail, vscode.SymbolKind.Namespace, lineRange(g.firstLine), lineRange(g.firstLine));
    symbol.children = g.entries.map((e) => new vscode.DocumentSymbol(e.name, e.detail, vscode.SymbolKind.Event, lineRange(e.line), lineRange(e.line)));
    return symbol;
  });
}
