import * as vscode from 'vscode';
import { workspaceConfig } from './editor/config';
import { DiagnosticsPublisher } from './editor/diagnostics';
import { DiskScans, registerDiskScanCommands } from './editor/diskScans';
import { LogDocuments } from './editor/documents';
import { registerGzip } from './editor/gzip';
import { registerHovers } from './editor/hover';
import { LanguageDetector } from './editor/language';
import { registerNavigation } from './editor/navigation';
import { SniModel } from './core/sni/sniModel';
import type { TreeNode } from './core/sni/types';
import { SniView, type SniTreeProvider } from './editor/sniTree';
import { registerSniTreeCommands } from './editor/sniTreeCommands';
import { LogStatusBar, type StatusBarState } from './editor/statusBar';
import { registerSymbols } from './editor/symbols';
import { RemoteQueries } from './editor/remoteQueries';

/** What `activate` returns to other extensions and the integration tests. */
export interface ExtensionApi {
  readonly sniModel: SniModel;
  readonly sniTree: SniTreeProvider;
  readonly sniTreeView: vscode.TreeView<TreeNode>;
  readonly statusBar: StatusBarState;
  /** The Remote Queries view: Athena and Logs Insights results. */
  readonly remoteQueries: RemoteQueries;
  /** How long `activate` took, in milliseconds. */
  readonly activationMs: number;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  try {
    const config = workspaceConfig;
    const workerPath = context.asAbsolutePath('dist/worker.js');
    const documents = new LogDocuments(config, workerPath);
    context.subscriptions.push(documents, new DiagnosticsPublisher(documents, config), new LanguageDetector(config));
    context.subscriptions.push(registerHovers(documents), registerGzip(config));
    const sniModel = new SniModel();
    const sniView = new SniView(documents, config, sniModel);
    context.subscriptions.push(sniView, registerSniTreeCommands(sniView));
    const scans = new DiskScans(sniModel, documents, config, workerPath);
    context.subscriptions.push(scans, registerDiskScanCommands(scans));
    const statusBar = new LogStatusBar(documents);
    context.subscriptions.push(statusBar, registerNavigation(documents), registerSymbols(documents));
    const remoteQueries = new RemoteQueries(config, context.asAbsolutePath('dist/remote.js'));
    context.subscriptions.push(remoteQueries);
    return { sniModel, sniTree: sniView.provider, sniTreeView: sniView.treeView, statusBar, remoteQueries, activationMs: performance.now() - started };
  } catch (err) {
    void vscode.window.showErrorMessage(`AWS Network Firewall TLS Logs could not start: ${err instanceof Error ? err.message : String(err)}`);
    throw err;
  }
}

export function deactivate(): void {}
