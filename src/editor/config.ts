import * as vscode from 'vscode';
import { Settings } from './ids';

/** The settings the extension reads, typed. Components get a reader passed in; tests hand in their own. */
export interface ConfigReader {
  detectByContent(resource?: vscode.Uri): boolean;
  maxDiagnosticsPerFile(resource?: vscode.Uri): number;
}

function read<T>(key: string, fallback: T, resource?: vscode.Uri): T {
  const dot = key.indexOf('.');
  const value = vscode.workspace.getConfiguration(key.slice(0, dot), resource).get<T>(key.slice(dot + 1));
  return value === undefined ? fallback : value;
}

/** The reader over VS Code's configuration. */
export const workspaceConfig: ConfigReader = {
  detectByContent: (resource) => read(Settings.detectByContent, true, resource),
  maxDiagnosticsPerFile: (resource) => Math.max(1, Math.min(1000, Math.floor(read(Settings.maxDiagnosticsPerFile, 1000, resource)))),
};
