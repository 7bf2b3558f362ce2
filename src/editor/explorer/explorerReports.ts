import * as vscode from 'vscode';
import { SniRollups, rollupCsv, rollupMarkdown, summaryReportMarkdown } from '../../core/report/explorerReport';
import type { ExplorerFilter, ExplorerSort } from '../../core/explore/types';
import { saveExport } from '../saveExport';
import { Commands } from '../ids';
import type { ExplorerHost } from './explorerHost';

/** Action keys of the action facet (facets.ts): PASS, DROP, REJECT, other. */
const ACTION_KEYS = ['"PASS"', '"DROP"', '"REJECT"', '"other"'];

/** Per-SNI rollups of the entries `filter` keeps, in `sort` order; undefined when the work was stopped. */
export async function rollupsOf(host: ExplorerHost, filter: ExplorerFilter, sort: ExplorerSort): Promise<SniRollups | undefined> {
  const out = new SniRollups();
  const n = await host.run(host.aggregation.forEachRow(filter, sort, (row) => out.add(row)));
  return n === undefined ? undefined : out;
}

/**
 * The explorer's reports, all over the entries the explorer's filter keeps, in its sort order: the summary
 * report (a Markdown document), the per-SNI exports (CSV and Markdown, saved where the user says) and the
 * failing SNIs on the clipboard. Each takes an optional target URI, so keybindings and tests skip the dialog.
 */
export function registerExplorerReports(host: ExplorerHost): vscode.Disposable {
  const rollups = (): Promise<SniRollups | undefined> => rollupsOf(host, host.state.filter, host.state.sort);

  const summaryReport = async (target?: unknown): Promise<string | undefined> => {
    const { filter } = host.state;
    const explorer = host.aggregation;
    const summary = await host.run(explorer.summarize(filter));
    if (summary === undefined) return undefined;
    const statuses = summary.facets.find((f) => f.name === 'status')?.values.filter((v) => v.key !== 'null') ?? [];
    const actionsByStatus: { key: string; label: string; actions: number[] }[] = [];
    for (const status of statuses) {
      const narrowed: ExplorerFilter = { ...filter, include: { ...filter.include, status: [status.key] } };
      const s = await host.run(explorer.summarize(narrowed));
      const actions = s?.facets.find((f) => f.name === 'action')?.values ?? [];
      actionsByStatus.push({
        key: status.key,
        label: status.label,
        actions: ACTION_KEYS.map((k) => actions.find((a) => a.key === k)?.count ?? 0),
      });
    }
    const files = host.model.sourceKeys().length;
    const text = summaryReportMarkdown({ summary, filter, actionsByStatus, files, generatedAt: Date.now() });
    // The summary's figures were computed for `filter`; the last one asked the aggregation another question.
    await host.run(explorer.summarize(filter));
    if (target instanceof vscode.Uri) await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
    else
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'markdown', content: text }), {
        preview: false,
      });
    return text;
  };

  const exportCsv = (target?: unknown): Promise<vscode.Uri | undefined> =>
    saveExport(target, { kind: 'CSV', title: "Export the explorer's SNIs as CSV", fileName: 'tls-snis' }, async () => {
      const r = await rollups();
      return r === undefined ? undefined : rollupCsv(r.bySni.values());
    });

  const exportMarkdown = (target?: unknown): Promise<vscode.Uri | undefined> =>
    saveExport(target, { kind: 'Markdown', title: "Export the explorer's SNIs as Markdown", fileName: 'tls-snis' }, async () => {
      const r = await rollups();
      return r === undefined ? undefined : `# SNIs of the TLS Log Explorer\n\n${rollupMarkdown(r.bySni.values())}`;
    });

  const copyFailingSnis = async (): Promise<string[] | undefined> => {
    const r = await rollups();
    if (r === undefined) return undefined;
    const snis = r.failingSnis();
    if (snis.length === 0) {
      void vscode.window.showInformationMessage('No SNI among the entries the explorer shows has a revoked, unknown or TLS error entry.');
      return snis;
    }
    await vscode.env.clipboard.writeText(snis.join('\n'));
    vscode.window.setStatusBarMessage(`Copied ${snis.length} failing SNI${snis.length === 1 ? '' : 's'}.`, 3000);
    return snis;
  };

  host.pageCommands = {
    summaryReport: () => summaryReport(),
    exportCsv: () => exportCsv(),
    exportMarkdown: () => exportMarkdown(),
    copyFailingSnis,
  };
  return vscode.Disposable.from(
    vscode.commands.registerCommand(Commands.explorerSummaryReport, summaryReport),
    vscode.commands.registerCommand(Commands.explorerExportCsv, exportCsv),
    vscode.commands.registerCommand(Commands.explorerExportMarkdown, exportMarkdown),
    vscode.commands.registerCommand(Commands.explorerCopyFailingSnis, copyFailingSnis),
  );
}
