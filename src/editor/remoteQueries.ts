/**
 * Athena and CloudWatch Logs Insights from the editor: the commands, the **Remote Queries** view (each
 * query's counts per SNI, marked as remote with its time range), and the read-only TLS logs of fetched
 * entries, which the open-document machinery then checks, explains and groups like any other log. The
 * query text is core's; the SDK bundle (`dist/remote.js`) is loaded when the first query runs.
 */
import * as vscode from 'vscode';
import { athenaDdl, athenaQuery, DEFAULT_ENTRY_LIMIT } from '../core/query/athena';
import { QueryInputError, timeBounds, type QueryKind } from '../core/query/common';
import { logsInsightsQuery } from '../core/query/insights';
import { cutAtLimit, entryLineFromRow, summaryRows, type ResultRow } from '../core/query/results';
import { sniLabel } from '../core/parse/entryKind';
import type { SniSummaryRow } from '../core/sni/types';
import { formatBytes, oneLine, plural, thousands } from '../core/text';
import type { ConfigReader, RemoteSettings } from './config';
import { Commands, LANGUAGE_ID, REMOTE_SCHEME, Views } from './ids';

type RemoteModule = typeof import('../remote/awsQueries');
type Engine = 'athena' | 'logsInsights';

/** What a query asked: the engine, the range, and (Athena) the firewall. */
interface Asked {
  readonly engine: Engine;
  readonly fromMs: number;
  readonly toMs: number;
  readonly firewall?: string;
}

interface QueryNode {
  readonly type: 'query';
  readonly id: string;
  readonly asked: Asked;
  readonly rows: readonly SniSummaryRow[];
  readonly cut: boolean;
  readonly scannedBytes?: number;
}

interface SniNode {
  readonly type: 'sni';
  readonly query: QueryNode;
  readonly row: SniSummaryRow;
}

export type RemoteNode = QueryNode | SniNode;

/** Arguments the query commands take from a caller instead of asking (ISO times; the default is the last 24 hours). */
export interface QueryArgs {
  readonly from?: string;
  readonly to?: string;
  readonly firewall?: string;
}

const RANGES: readonly { label: string; hours: number }[] = [
  { label: 'Last hour', hours: 1 },
  { label: 'Last 24 hours', hours: 24 },
  { label: 'Last 7 days', hours: 24 * 7 },
  { label: 'Last 30 days', hours: 24 * 30 },
];

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
const rangeText = (a: Asked): string => `${iso(a.fromMs)} – ${iso(a.toMs)}`;
const engineName = (e: Engine): string => (e === 'athena' ? 'Athena' : 'Logs Insights');

export class RemoteQueries implements vscode.TreeDataProvider<RemoteNode>, vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly queries: QueryNode[] = [];
  private readonly documents = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<RemoteNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly treeView: vscode.TreeView<RemoteNode>;
  private remote: RemoteModule | undefined;
  private next = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly config: ConfigReader,
    private readonly remoteModulePath: string,
  ) {
    this.treeView = vscode.window.createTreeView(Views.remote, { treeDataProvider: this });
    this.subscriptions = [
      this.treeView,
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(REMOTE_SCHEME, this),
      vscode.commands.registerCommand(Commands.copyAthenaDdl, () => this.copyDdl()),
      vscode.commands.registerCommand(Commands.queryAthena, (args?: QueryArgs) => this.query('athena', args)),
      vscode.commands.registerCommand(Commands.queryLogsInsights, (args?: QueryArgs) => this.query('logsInsights', args)),
      vscode.commands.registerCommand(Commands.fetchRemoteEntries, (node?: RemoteNode) =>
        node?.type === 'sni' ? this.fetchEntries(node) : undefined,
      ),
      vscode.commands.registerCommand(Commands.clearRemoteResults, () => {
        this.queries.length = 0;
        this.changed.fire(undefined);
      }),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }

  /** The queries shown, newest first (for tests and other extensions). */
  results(): readonly QueryNode[] {
    return this.queries;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.toString()) ?? '';
  }

  getChildren(node?: RemoteNode): RemoteNode[] {
    if (node === undefined) return [...this.queries];
    return node.type === 'query' ? node.rows.map((row) => ({ type: 'sni', query: node, row })) : [];
  }

  getTreeItem(node: RemoteNode): vscode.TreeItem {
    if (node.type === 'query') {
      const item = new vscode.TreeItem(`${engineName(node.asked.engine)} (remote)`, vscode.TreeItemCollapsibleState.Expanded);
      item.id = node.id;
      item.description = `${rangeText(node.asked)} · ${plural(node.rows.length, 'SNI')}${node.cut ? ' (cut at the limit)' : ''}`;
      item.tooltip = `Counts from ${engineName(node.asked.engine)}, ${rangeText(node.asked)}${node.asked.firewall ? `, firewall ${node.asked.firewall}` : ''}${node.scannedBytes === undefined ? '' : `; ${formatBytes(node.scannedBytes)} scanned`}. Entries are fetched per SNI.`;
      item.iconPath = new vscode.ThemeIcon('cloud');
      item.contextValue = 'remoteQuery';
      return item;
    }
    const r = node.row;
    // Plain text label: the SNI is a log value.
    const item = new vscode.TreeItem({ label: oneLine(sniLabel(r.sni)) }, vscode.TreeItemCollapsibleState.None);
    item.id = `${node.query.id}/${r.sni === null ? '\u0000' : r.sni}`;
    item.description = `${thousands(r.entries)} · ${plural(r.tlsErrors, 'TLS error')} · ${thousands(r.revoked)} revoked · ${thousands(r.unknown)} unknown`;
    item.tooltip = `${plural(r.entries, 'entry', 'entries')} (remote, ${rangeText(node.query.asked)})`;
    item.iconPath = new vscode.ThemeIcon(r.revoked > 0 ? 'shield' : r.tlsErrors > 0 ? 'error' : 'question');
    item.contextValue = 'remoteSni';
    return item;
  }

  private loadRemote(): RemoteModule {
    // A require at run time of a separate bundle: the SDK is loaded on first use, never at activation.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    this.remote ??= require(this.remoteModulePath) as RemoteModule;
    return this.remote;
  }

  private async copyDdl(): Promise<void> {
    const s = this.config.remote();
    const table = await vscode.window.showInputBox({
      title: 'Athena table (table or database.table)',
      value: s.table || (s.database ? `${s.database}.nfw_tls_logs` : 'nfw_tls_logs'),
    });
    if (table === undefined) return;
    const location = await vscode.window.showInputBox({
      title: 'S3 location of the TLS logs',
      value: s.location,
      placeHolder: 's3://<bucket>/[<prefix>/]AWSLogs/<account>/network-firewall/tls/<region>/',
    });
    if (location === undefined) return;
    const firewalls = await vscode.window.showInputBox({
      title: 'Firewall names, comma separated (empty: every query names one)',
      value: '',
    });
    if (firewalls === undefined) return;
    try {
      await vscode.env.clipboard.writeText(
        athenaDdl({
          table,
          location,
          firewalls: firewalls
            .split(',')
            .map((f) => f.trim())
            .filter((f) => f !== ''),
        }),
      );
      void vscode.window.showInformationMessage(
        'The CREATE EXTERNAL TABLE statement is on the clipboard: run it once in the Athena query editor.',
      );
    } catch (err) {
      if (err instanceof QueryInputError) void vscode.window.showErrorMessage(err.message);
      else throw err;
    }
  }

  private async askRange(args: QueryArgs | undefined): Promise<{ fromMs: number; toMs: number } | undefined> {
    if (args?.from !== undefined || args?.to !== undefined) {
      const b = timeBounds(args.from, args.to);
      const toMs = b.toMs ?? Date.now();
      return { fromMs: b.fromMs ?? toMs - 24 * 3600_000, toMs };
    }
    if (args !== undefined) return { fromMs: Date.now() - 24 * 3600_000, toMs: Date.now() };
    const pick = await vscode.window.showQuickPick(
      RANGES.map((r) => ({ label: r.label, hours: r.hours })),
      { title: 'Time range of the query' },
    );
    return pick === undefined ? undefined : { fromMs: Date.now() - pick.hours * 3600_000, toMs: Date.now() };
  }

  /** Runs a query with a cancellable progress notification; undefined when cancelled or failed (the user was told). */
  private async run(
    engine: Engine,
    kind: QueryKind,
    asked: Asked,
    sni?: string,
  ): Promise<{ rows: ResultRow[]; cut: boolean; scannedBytes?: number } | undefined> {
    const s = this.config.remote();
    const missing =
      engine === 'athena'
        ? !s.table
          ? 'nfwTlsLogs.athena.table'
          : undefined
        : !s.logGroup
          ? 'nfwTlsLogs.logsInsights.logGroup'
          : undefined;
    if (missing !== undefined) {
      void vscode.window.showErrorMessage(`Set ${missing} first (see the README's "Athena and CloudWatch Logs Insights").`);
      return undefined;
    }
    const limit = kind === 'entries' ? DEFAULT_ENTRY_LIMIT : undefined;
    let text: string;
    try {
      text =
        engine === 'athena'
          ? athenaQuery({
              table: s.table,
              kind,
              sni,
              from: new Date(asked.fromMs).toISOString(),
              to: new Date(asked.toMs).toISOString(),
              firewall: asked.firewall,
              limit,
            })
          : logsInsightsQuery({ kind, sni, limit });
    } catch (err) {
      if (!(err instanceof QueryInputError)) throw err;
      void vscode.window.showErrorMessage(err.message);
      return undefined;
    }
    const remote = this.loadRemote();
    const title = `${engineName(engine)}: ${kind === 'summary' ? 'counting entries per SNI' : `fetching the entries of ${oneLine(sniLabel(sni ?? null), 80)}`}`;
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        async (progress, token) => {
          const controller = new AbortController();
          const sub = token.onCancellationRequested(() => controller.abort());
          try {
            const options = {
              signal: controller.signal,
              onState: (state: string) => progress.report({ message: state.toLowerCase() }),
              pollMs: pollInterval(s),
            };
            const result =
              engine === 'athena'
                ? await remote.runAthenaQuery(text, targetOf(s), options)
                : await remote.runInsightsQuery(
                    text,
                    { ...targetOf(s), logGroup: s.logGroup, startMs: asked.fromMs, endMs: asked.toMs },
                    options,
                  );
            const cut = limit === undefined ? { rows: result.rows, cut: false } : cutAtLimit(result.rows, limit);
            return { ...cut, scannedBytes: result.scannedBytes };
          } finally {
            sub.dispose();
          }
        },
      );
    } catch (err) {
      if (err instanceof remote.RemoteQueryError) {
        if (err.problem !== 'cancelled') void vscode.window.showErrorMessage(err.message);
        else void vscode.window.showInformationMessage(err.message);
        return undefined;
      }
      throw err;
    }
  }

  private async query(engine: Engine, args: QueryArgs | undefined): Promise<QueryNode | undefined> {
    let range: { fromMs: number; toMs: number } | undefined;
    try {
      range = await this.askRange(args);
    } catch (err) {
      if (!(err instanceof QueryInputError)) throw err;
      void vscode.window.showErrorMessage(err.message);
      return undefined;
    }
    if (range === undefined) return undefined;
    const asked: Asked = { engine, ...range, firewall: engine === 'athena' ? args?.firewall : undefined };
    const result = await this.run(engine, 'summary', asked);
    if (result === undefined) return undefined;
    const node: QueryNode = {
      type: 'query',
      id: `remote-${++this.next}`,
      asked,
      rows: summaryRows(result.rows),
      cut: result.cut,
      scannedBytes: result.scannedBytes,
    };
    this.queries.unshift(node);
    this.changed.fire(undefined);
    void vscode.commands.executeCommand(`${Views.remote}.focus`);
    return node;
  }

  /** The entries of one SNI, newest first, in a read-only TLS log; returns its document. */
  private async fetchEntries(node: SniNode): Promise<vscode.TextDocument | undefined> {
    const { asked } = node.query;
    const sni = node.row.sni;
    if (sni === null) {
      void vscode.window.showInformationMessage('These entries have no sni field, so they cannot be asked for by SNI.');
      return undefined;
    }
    const result = await this.run(asked.engine, 'entries', asked, sni);
    if (result === undefined) return undefined;
    const lines =
      asked.engine === 'athena'
        ? result.rows.map(entryLineFromRow)
        : result.rows.map((r) => String(r['@message'] ?? '')).filter((l) => l !== '');
    const name = `${engineName(asked.engine).replace(' ', '-')}-${++this.next}-${sni.replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 80)}.log`;
    const uri = vscode.Uri.from({ scheme: REMOTE_SCHEME, path: `/${name}` });
    this.documents.set(uri.toString(), lines.join('\n') + (lines.length > 0 ? '\n' : ''));
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), LANGUAGE_ID);
    await vscode.window.showTextDocument(document, { preview: false });
    if (result.cut)
      void vscode.window.showWarningMessage(
        `Only the newest ${thousands(DEFAULT_ENTRY_LIMIT)} entries were fetched; narrow the time range to see the rest.`,
      );
    return document;
  }
}

function targetOf(s: RemoteSettings): {
  region: string;
  profile: string;
  endpoint: string;
  workgroup: string;
  outputLocation: string;
  database: string;
} {
  return {
    region: s.region,
    profile: s.profile,
    endpoint: s.endpoint,
    workgroup: s.workgroup,
    outputLocation: s.outputLocation,
    database: s.database,
  };
}

/** A local endpoint (a stand-in) answers at once; the services are polled every second. */
function pollInterval(s: RemoteSettings): number {
  return /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(s.endpoint) ? 20 : 1000;
}
