import * as vscode from 'vscode';
import { workspaceConfig } from './editor/config';
import { DiagnosticsPublisher } from './editor/diagnostics';
import { DiskScans, registerDiskScanCommands } from './editor/diskScans';
import { LogDocuments } from './editor/documents';
import { registerGzip } from './editor/gzip';
import { registerEntryDetails } from './editor/entryDetails';
import { registerHovers } from './editor/hover';
import { registerEntryHints } from './editor/inlayHints';
import { LanguageDetector } from './editor/language';
import { registerNavigation } from './editor/navigation';
import type { ExplainContext } from './core/explain/explanation';
import { SniModel } from './core/sni/sniModel';
import { UnknownWindows } from './core/sni/statusWindow';
import type { TreeNode } from './core/sni/types';
import { SniView, type SniTreeProvider } from './editor/sniTree';
import { registerSniEntries } from './editor/sniEntries';
import { registerSniTreeCommands } from './editor/sniTreeCommands';
import { LogStatusBar, type StatusBarState } from './editor/statusBar';
import { registerSymbols } from './editor/symbols';
import { FileNotes } from './editor/fileNotes';
import { LogSources } from './editor/sources';
import { RemoteQueries } from './editor/remoteQueries';
import type { ExplorerHost } from './editor/explorer/explorerHost';
import { rollupsOf } from './editor/explorer/explorerReports';
import { registerExplorer } from './editor/explorer/register';

/** What `activate` returns to other extensions and the integration tests. */
export interface ExtensionApi {
  readonly sniModel: SniModel;
  readonly sniTree: SniTreeProvider;
  readonly sniTreeView: vscode.TreeView<TreeNode>;
  readonly statusBar: StatusBarState;
  /** The Remote Queries view: Athena and Logs Insights results. */
  readonly remoteQueries: RemoteQueries;
  readonly explorer: ExplorerHost;
  /** How long `activate` took, in milliseconds. */
  readonly activationMs: number;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const started = performance.now();
  try {
    const config = workspaceConfig;
    const workerPath = context.asAbsolutePath('dist/worker.js');
    const documents = new LogDocuments(config, workerPath);
    // The registry of sources first: its consumers see a file change hands before its entries and problems.
    const sources = new LogSources(documents);
    const notes = new FileNotes();
    context.subscriptions.push(
      documents,
      sources,
      new DiagnosticsPublisher(documents, config, sources, notes),
      new LanguageDetector(config),
    );
    const sniModel = new SniModel();
    const unknownWindows = new UnknownWindows(sniModel);
    const explainContext = (): ExplainContext => ({ now: Date.now(), unknownAround: (ms) => unknownWindows.around(ms) });
    context.subscriptions.push(
      registerHovers(documents, explainContext),
      registerEntryDetails(documents, explainContext),
      registerEntryHints(documents, config),
      registerGzip(config, notes),
    );
    const explorer = registerExplorer({
      model: sniModel,
      sources,
      slices: documents.slices,
      explainContext,
      extensionUri: context.extensionUri,
    });
    context.subscriptions.push(explorer.disposable);
    const sniView = new SniView(documents, sources, config, sniModel);
    context.subscriptions.push(
      sniView,
      registerSniTreeCommands(sniView, () => rollupsOf(explorer.host, {}, { column: 'time' })),
      registerSniEntries(sniModel, documents, config),
    );
    const scans = new DiskScans(sniModel, sources, config, workerPath);
    context.subscriptions.push(scans, registerDiskScanCommands(scans));
    const statusBar = new LogStatusBar(documents, notes);
    context.subscriptions.push(statusBar, registerNavigation(documents), registerSymbols(documents));
    const remoteQueries = new RemoteQueries(config, context.asAbsolutePath('dist/remote.js'));
    context.subscriptions.push(remoteQueries);
    return {
      sniModel,
      sniTree: sniView.provider,
      sniTreeView: sniView.treeView,
      statusBar,
      remoteQueries,
      explorer: explorer.host,
      activationMs: performance.now() - started,
    };
  } catch (err) {
    void vscode.window.showErrorMessage(
      `AWS Network Firewall TLS Logs could not start: ${err instanceof Error ? err.message : String(err)}`,
    );
    throw err;
  }
}

export function deactivate(): void {}
