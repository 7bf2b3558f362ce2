import * as vscode from 'vscode';
import { workspaceConfig } from './editor/config';
import { DiagnosticsPublisher } from './editor/diagnostics';
import { LogDocuments } from './editor/documents';
import { registerHovers } from './editor/hover';
import { LanguageDetector } from './editor/language';

export function activate(context: vscode.ExtensionContext): void {
  try {
    const config = workspaceConfig;
    const documents = new LogDocuments();
    context.subscriptions.push(documents, new DiagnosticsPublisher(documents, config), new LanguageDetector(config));
    context.subscriptions.push(registerHovers(documents));
  } catch (err) {
    void vscode.window.showErrorMessage(`AWS Network Firewall TLS Logs could not start: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
}

export function deactivate(): void {}
