import * as vscode from 'vscode';
import { Commands } from '../ids';
import { ExplorerHost, type ExplorerDeps } from './explorerHost';
import { registerExplorerReports } from './explorerReports';

/** The explorer's panel, its command and its reports; the host is also what the extension's API exposes to tests. */
export function registerExplorer(deps: ExplorerDeps): { host: ExplorerHost; disposable: vscode.Disposable } {
  const host = new ExplorerHost(deps);
  const command = vscode.commands.registerCommand(Commands.openExplorer, () => host.open());
  return { host, disposable: vscode.Disposable.from(host, command, registerExplorerReports(host)) };
}
