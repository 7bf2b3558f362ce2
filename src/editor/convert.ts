import * as vscode from 'vscode';
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
