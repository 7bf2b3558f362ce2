import { availableParallelism } from 'node:os';
import * as vscode from 'vscode';
import { HINT_PARTS, type HintPart } from '../core/document/entryHints';
import { parseSeverityOverrides } from '../core/parse/problems';
import type { SeverityOverrides } from '../core/parse/types';
import type { GroupBy, SortOrder } from '../core/sni/types';
import { Settings } from './ids';

/** Which settings a change touched. */
export interface ConfigChange {
  /** Whether the change touched `setting` (a key of {@link Settings}). */
  affects(setting: string): boolean;
}

/** The settings the extension reads, typed. Components get a reader passed in; tests hand in their own. */
export interface ConfigReader {
  /** Fires when settings change; components ask the change whether it touched the settings they read. */
  onDidChange(listener: (change: ConfigChange) => void): vscode.Disposable;
  detectByContent(resource?: vscode.Uri): boolean;
  maxDiagnosticsPerFile(resource?: vscode.Uri): number;
  /** The user's severity per problem code (`off` drops the check); codes not named keep their default. */
  severities(resource?: vscode.Uri): SeverityOverrides;
  /** The most text a `.log.gz` file is decompressed to, in bytes. */
  maxDecompressedBytes(resource?: vscode.Uri): number;
  /** Whether big documents are parsed on a worker thread (see the setting's description). */
  parseOnWorker(): boolean;
  /** Whether the SNI view selects the entry under the editor's cursor as it moves. */
  treeFollowCursor(): boolean;
  /** The SNI view's order when the window opens. */
  treeDefaultSort(): SortOrder;
  /** The SNI view's first level when the window opens. */
  treeDefaultGroupBy(): GroupBy;
  /** What the hint at the start of each entry shows, in the hint's own order; none: no hints. */
  inlayHintParts(resource?: vscode.Uri): HintPart[];
  /** Where remote queries go (every value may be empty: the SDK's defaults apply). */
  remote(): RemoteSettings;
}

/** The settings of Athena and Logs Insights queries. */
export interface RemoteSettings {
  readonly region: string;
  readonly profile: string;
  readonly endpoint: string;
  readonly workgroup: string;
  readonly outputLocation: string;
  readonly database: string;
  readonly table: string;
  readonly location: string;
  readonly logGroup: string;
}

function read<T>(key: string, fallback: T, resource?: vscode.Uri): T {
  const dot = key.indexOf('.');
  const value = vscode.workspace.getConfiguration(key.slice(0, dot), resource).get<T>(key.slice(dot + 1));
  return value === undefined ? fallback : value;
}

/** A setting's value when it is one of `allowed` (settings.json may hold anything), else `fallback`. */
function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return (allowed as readonly unknown[]).includes(value) ? (value as T) : fallback;
}

const DEFAULT_HINT_PARTS: readonly HintPart[] = ['time', 'outcome', 'sni'];

/** The reader over VS Code's configuration. */
export const workspaceConfig: ConfigReader = {
  onDidChange: (listener) =>
    vscode.workspace.onDidChangeConfiguration((e) => listener({ affects: (setting) => e.affectsConfiguration(setting) })),
  detectByContent: (resource) => read(Settings.detectByContent, true, resource),
  maxDiagnosticsPerFile: (resource) => Math.max(1, Math.min(1000, Math.floor(read(Settings.maxDiagnosticsPerFile, 1000, resource)))),
  severities: (resource) => parseSeverityOverrides(read<unknown>(Settings.diagnosticsSeverity, {}, resource)),
  maxDecompressedBytes: (resource) => Math.max(1, read(Settings.gzipMaxDecompressedMB, 1024, resource)) * 1024 * 1024,
  parseOnWorker: () => {
    const mode = oneOf(read<unknown>(Settings.parseWorkerThread, 'auto'), ['auto', 'always', 'never'] as const, 'auto');
    return mode === 'always' || (mode === 'auto' && availableParallelism() > 2);
  },
  treeFollowCursor: () => read<unknown>(Settings.treeFollowCursor, false) === true,
  treeDefaultSort: () => oneOf(read<unknown>(Settings.treeDefaultSort, 'count'), ['count', 'name', 'latest'] as const, 'count'),
  remote: () => {
    const text = (key: string): string => {
      const v = read<unknown>(key, '');
      return typeof v === 'string' ? v.trim() : '';
    };
    return {
      region: text(Settings.awsRegion),
      profile: text(Settings.awsProfile),
      endpoint: text(Settings.awsEndpoint),
      workgroup: text(Settings.athenaWorkgroup),
      outputLocation: text(Settings.athenaOutputLocation),
      database: text(Settings.athenaDatabase),
      table: text(Settings.athenaTable),
      location: text(Settings.athenaLocation),
      logGroup: text(Settings.logsInsightsLogGroup),
    };
  },
  treeDefaultGroupBy: () => oneOf(read<unknown>(Settings.treeDefaultGroupBy, 'sni'), ['sni', 'source', 'firewall'] as const, 'sni'),
  inlayHintParts: (resource) => {
    const value = read<unknown>(Settings.inlayHintsShow, DEFAULT_HINT_PARTS, resource);
    const parts = Array.isArray(value) ? value : DEFAULT_HINT_PARTS;
    return HINT_PARTS.filter((p) => parts.includes(p));
  },
};
