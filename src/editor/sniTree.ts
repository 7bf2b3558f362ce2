import * as vscode from 'vscode';
import { codeSpan, escapeMarkdown, showInvisibles } from '../core/explain/markdown';
import { firewallLabel, GROUP_KINDS, isNamedFirewall, KIND_LABELS, sniLabel, type GroupKind, type SniKey } from '../core/parse/entryKind';
import type { SniModel } from '../core/sni/sniModel';
import { SniTreeProjection } from '../core/sni/tree';
import type { EntryLocation, KindFilter, SniGroup, SniGroupDetails, SortOrder, TreeNode, ViewOptions } from '../core/sni/types';
import type { TlsEntry } from '../core/parse/types';
import { addressText, endpointText, entryOutcome as outcomeText, entryTimeMs, formatEntryTime, plural, thousands } from '../core/text';
import type { ConfigReader } from './config';
import type { LogDocuments } from './documents';
import { Commands, ContextKeys, Settings, Views } from './ids';
import { SniSources } from './sniSources';
import type { LogSources } from './sources';

/** Model changes arriving closer together than this (many files opening at once) refresh the tree once. */
const REFRESH_COALESCE_MS = 30;
/** While changes keep arriving (a folder scan), the tree is redrawn at most this often. */
const REFRESH_BUSY_MS = 500;
/** How long the cursor rests before the view follows it. */
const FOLLOW_CURSOR_DEBOUNCE_MS = 150;
/** How often, and how far apart, a reveal the workbench skipped is asked again. */
const REVEAL_RETRIES = 3;
const REVEAL_RETRY_MS = 250;
/** Longest SNI shown in full in a tooltip. */
const MAX_SNI_LENGTH = 200;
/** Files listed in a group's tooltip before the rest are counted. */
const MAX_FILES_LISTED = 10;

/** What the view shows; the provider hands it to every model query. */
export interface SniViewState {
  readonly sort: SortOrder;
  readonly groupBy: NonNullable<ViewOptions['groupBy']>;
  readonly text: string;
  readonly kind: KindFilter;
}

/** Contexts for item menus (`viewItem == ...` in package.json). */
export const CONTEXT_VALUES: Readonly<Record<TreeNode['type'], string>> = {
  source: 'sniSource',
  firewall: 'sniFirewall',
  sni: 'sniGroup',
  kind: 'sniKind',
  entry: 'sniEntry',
  page: 'sniPage',
  more: 'sniMore',
};

const KIND_ICONS: Readonly<Record<GroupKind, { icon: string; color: string }>> = {
  revoked: { icon: 'workspace-untrusted', color: 'charts.red' },
  tlsError: { icon: 'debug-disconnect', color: 'charts.orange' },
  unknown: { icon: 'question', color: 'charts.yellow' },
  other: { icon: 'circle-outline', color: 'charts.blue' },
};

const KIND_NOUNS: Readonly<Record<GroupKind, [one: string, many: string]>> = {
  revoked: ['revoked', 'revoked'],
  tlsError: ['TLS error', 'TLS errors'],
  unknown: ['unknown', 'unknown'],
  other: ['other status', 'other statuses'],
};

const KIND_TOOLTIPS: Readonly<Record<GroupKind, string>> = {
  revoked: "Revocation checks in which the certificate authority said the server's certificate was revoked.",
  tlsError: "Connections the firewall reset: the client hello had no SNI, or the server's certificate does not cover it.",
  unknown: "Revocation checks in which the firewall could not learn the certificate's status.",
  other: 'Revocation checks with a status that AWS does not document.',
};

/**
 * Maps the SNI model's nodes to tree items. Everything the tree shows comes from {@link SniTreeProjection.children}
 * under the current {@link SniViewState}, with one presentational rule: an SNI whose entries are all of one
 * kind lists them directly, since its description already names the kind.
 */
export class SniTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly stateChanged = new vscode.EventEmitter<SniViewState>();
  private timer: NodeJS.Timeout | undefined;
  private lastRefresh = -Infinity;
  private wasEmpty = true;
  private readonly unsubscribe: () => void;
  private viewState: SniViewState;
  /** The tree's nodes, read from the model. */
  readonly tree: SniTreeProjection;

  /** Fires (coalesced) after the model or the view state changed. */
  readonly onDidChangeTreeData = this.changed.event;
  /** Fires when sort, filter or grouping changed. */
  readonly onDidChangeState = this.stateChanged.event;

  constructor(
    readonly model: SniModel,
    private readonly sources: SniSources,
    initial: Pick<SniViewState, 'sort' | 'groupBy'>,
  ) {
    this.viewState = { ...initial, text: '', kind: 'all' };
    this.tree = new SniTreeProjection(model);
    this.unsubscribe = model.onDidChange(() => this.scheduleRefresh());
  }

  get state(): SniViewState {
    return this.viewState;
  }

  /** The options every model query of the tree uses. */
  get view(): ViewOptions {
    return this.viewState;
  }

  /** Changes sort, filter or grouping and redraws the tree at once. */
  setState(change: Partial<SniViewState>): void {
    this.viewState = { ...this.viewState, ...change };
    this.stateChanged.fire(this.viewState);
    this.refresh();
  }

  /** Whether a text or kind filter hides part of the model. */
  get filtered(): boolean {
    return this.viewState.text !== '' || this.viewState.kind !== 'all';
  }

  /** Whether a redraw is scheduled (the model changed and the view does not show it yet). */
  get refreshPending(): boolean {
    return this.timer !== undefined;
  }

  /** Redraws the tree now. */
  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastRefresh = performance.now();
    this.wasEmpty = this.model.sourceKeys().length === 0;
    this.changed.fire();
  }

  private scheduleRefresh(): void {
    if (this.timer) return;
    // Each redraw lists the groups again; a scan delivering batches all the time gets one every REFRESH_BUSY_MS.
    // The view going from empty to filled or back (its welcome, its title) is shown at once.
    const sinceLast = performance.now() - this.lastRefresh;
    const emptinessChanged = (this.model.sourceKeys().length === 0) !== this.wasEmpty;
    const delay = sinceLast < REFRESH_BUSY_MS && !emptinessChanged ? REFRESH_BUSY_MS - sinceLast : REFRESH_COALESCE_MS;
    this.timer = setTimeout(() => this.refresh(), delay);
  }

  getChildren(element?: TreeNode): TreeNode[] {
    const nodes = this.tree.children(element?.id, this.view);
    if (element?.type === 'sni' && nodes.length === 1 && nodes[0].type === 'kind') return this.tree.children(nodes[0].id, this.view);
    return nodes;
  }

  getParent(element: TreeNode): TreeNode | undefined {
    const parentId = this.tree.parentOf(element.id, this.view);
    if (parentId === undefined) return undefined;
    const parent = this.tree.node(parentId, this.view);
    if (parent?.type === 'kind' && this.isKindElided(parent.scope, parent.sni)) {
      const grandParentId = this.tree.parentOf(parent.id, this.view);
      return grandParentId === undefined ? undefined : this.tree.node(grandParentId, this.view);
    }
    return parent;
  }

  /** The node with this id as the tree shows it now (for `reveal`), or undefined. */
  node(id: string): TreeNode | undefined {
    return this.tree.node(id, this.view);
  }

  private isKindElided(scope: Parameters<SniModel['kindsOf']>[1], sni: SniKey): boolean {
    return this.model.kindsOf(sni, scope, this.viewState.kind).length === 1;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    let item: vscode.TreeItem;
    switch (node.type) {
      case 'source':
      case 'firewall': {
        const scope = node.scope;
        const label = scope.by === 'source' ? (node.meta?.name ?? scope.source) : firewallLabel(scope.firewall);
        item = new vscode.TreeItem(showInvisibles(label), vscode.TreeItemCollapsibleState.Expanded);
        item.description = `${plural(node.groups, 'SNI', 'SNIs')}, ${plural(node.entries, 'entry', 'entries')}`;
        if (scope.by === 'source') {
          item.resourceUri = vscode.Uri.parse(scope.source);
          item.iconPath = vscode.ThemeIcon.File;
        } else {
          item.iconPath = new vscode.ThemeIcon('shield');
        }
        break;
      }
      case 'sni':
        item = new vscode.TreeItem(showInvisibles(sniLabel(node.group.sni)), vscode.TreeItemCollapsibleState.Collapsed);
        item.description = countsDescription(node.group);
        item.iconPath = kindIcon(node.group.worst);
        break;
      case 'kind':
        item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = String(node.count);
        item.iconPath = kindIcon(node.kind);
        item.tooltip = KIND_TOOLTIPS[node.kind];
        break;
      case 'more': {
        item = new vscode.TreeItem(`${plural(node.remaining, 'more SNI', 'more SNIs')}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `from #${node.offset + 1}`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.tooltip =
          'SNIs are listed a page at a time, in the order the view is sorted by; expand to list the next page. The filter narrows the list.';
        break;
      }
      case 'page': {
        item = new vscode.TreeItem(`${plural(node.remaining, 'more entry', 'more entries')}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `from #${node.offset + 1}`;
        item.iconPath = new vscode.ThemeIcon('ellipsis');
        item.tooltip = 'Entries are listed a page at a time; expand to list the next page.';
        break;
      }
      case 'entry': {
        const loc = node.entry;
        const entry = this.entryAt(loc);
        // Without the line (a file read from disk but not open, or a line being edited) the model still knows the time.
        item = new vscode.TreeItem(entry ? entryLabel(entry) : formatTime(loc.timeMs), vscode.TreeItemCollapsibleState.None);
        // The line number goes before the file name, which is long and is what the sidebar cuts off.
        const parts = [entry ? entryOutcome(entry) : KIND_LABELS[loc.kind], `line ${loc.line + 1}`];
        if (this.viewState.groupBy !== 'source' && this.model.sourceKeys().length > 1) parts.push(this.sourceName(loc.sourceKey));
        item.description = parts.join(' · ');
        item.iconPath = kindIcon(loc.kind);
        item.command = {
          command: Commands.sniTreeOpenEntry,
          title: 'Open Entry',
          arguments: [loc.sourceKey, loc.line, { preserveFocus: true }],
        };
        break;
      }
    }
    item.id = node.id;
    item.contextValue = CONTEXT_VALUES[node.type];
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    const markdown = this.tooltipMarkdown(node);
    if (markdown !== undefined) item.tooltip = untrustedMarkdown(markdown);
    return item;
  }

  /** The tooltip of a node as markdown in which every log value is escaped, or undefined for plain tooltips. */
  tooltipMarkdown(node: TreeNode): string | undefined {
    switch (node.type) {
      case 'sni': {
        const details = this.model.details(node.group.sni, node.group.scope);
        return details === undefined ? undefined : groupTooltip(details, (key) => this.sourceName(key));
      }
      case 'entry': {
        const entry = this.entryAt(node.entry);
        const open = this.sources.lookup(node.entry.sourceKey) !== undefined;
        return entryTooltip(node.entry, entry, this.sourceName(node.entry.sourceKey), open);
      }
      case 'source': {
        const meta = node.meta ?? {};
        const scope = node.scope;
        const rows = [`**${escapeMarkdown(meta.name ?? (scope.by === 'source' ? scope.source : node.id))}**`, ''];
        if (meta.path !== undefined) rows.push(`- **Path:** ${codeSpan(meta.path)}`);
        if (meta.account !== undefined) rows.push(`- **Account:** ${codeSpan(meta.account)}`);
        if (meta.region !== undefined) rows.push(`- **Region:** ${codeSpan(meta.region)}`);
        if (meta.firewall !== undefined) rows.push(`- **Firewall (from the file name):** ${codeSpan(meta.firewall)}`);
        if (meta.fileTime !== undefined) rows.push(`- **Delivered for:** ${formatTime(Date.parse(meta.fileTime))} UTC`);
        rows.push(`- **Shown:** ${plural(node.groups, 'SNI', 'SNIs')}, ${plural(node.entries, 'entry', 'entries')}`);
        return rows.join('\n');
      }
      default:
        return undefined;
    }
  }

  /** The parsed entry behind a location, read from the open document; undefined when the line no longer holds it. */
  entryAt(loc: EntryLocation): TlsEntry | undefined {
    const entry = this.sources.lookup(loc.sourceKey)?.model.entryOf(loc.line);
    // Between an edit and the regrouping that follows it, a line may hold another entry.
    return entry !== undefined && (entry.sni ?? null) === loc.sni ? entry : undefined;
  }

  /** A source's file name. */
  sourceName(sourceKey: string): string {
    return this.model.sourceMeta(sourceKey)?.name ?? sourceKey;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribe();
    this.changed.dispose();
    this.stateChanged.dispose();
  }
}

/** What happened when revealing the tree node of a line. */
export type RevealResult = 'revealed' | 'not-a-log' | 'no-entry' | 'hidden';

/**
 * The SNI sidebar: the open TLS logs feeding the model, the provider and its tree view, the view's title
 * state (description, message, context keys) and following the editor's cursor.
 */
export class SniView implements vscode.Disposable {
  readonly sources: SniSources;
  readonly provider: SniTreeProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private followTimer: NodeJS.Timeout | undefined;

  /** @param model the SNI model the view shows; the open documents' entries go into it here, disk scans add theirs. */
  constructor(
    documents: LogDocuments,
    logSources: LogSources,
    private readonly config: ConfigReader,
    readonly model: SniModel,
  ) {
    this.sources = new SniSources(documents, logSources, this.model);
    this.provider = new SniTreeProvider(this.model, this.sources, { sort: config.treeDefaultSort(), groupBy: config.treeDefaultGroupBy() });
    this.treeView = vscode.window.createTreeView(Views.sniTree, { treeDataProvider: this.provider, showCollapseAll: true });
    this.subscriptions.push(
      this.sources,
      this.provider,
      this.treeView,
      this.provider.onDidChangeTreeData(() => this.updateTitle()),
      config.onDidChange((change) => {
        const sort = change.affects(Settings.treeDefaultSort);
        const groupBy = change.affects(Settings.treeDefaultGroupBy);
        if (sort || groupBy) {
          this.provider.setState({
            ...(sort ? { sort: config.treeDefaultSort() } : {}),
            ...(groupBy ? { groupBy: config.treeDefaultGroupBy() } : {}),
          });
        }
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.scheduleFollow(e.textEditor)),
    );
    this.updateTitle();
  }

  /** Selects the tree node of the entry on `line` of `document`, opening the view when `focus` is set. */
  async revealLine(document: vscode.TextDocument, line: number, focus: boolean): Promise<RevealResult> {
    const key = this.sources.keyOf(document);
    if (key === undefined) return 'not-a-log';
    const id = this.provider.tree.findNodeForLine(key, line, this.provider.view);
    if (id === undefined) return this.model.findGroupForLine(key, line) === undefined ? 'no-entry' : 'hidden';
    for (let attempt = 0; ; attempt++) {
      const node = this.provider.node(id);
      if (node === undefined) return 'hidden';
      await this.treeView.reveal(node, { select: true, focus, expand: false });
      if (this.treeView.selection.some((n) => n.id === id) || attempt === REVEAL_RETRIES) return 'revealed';
      // VS Code passes tree changes to the workbench up to 200 ms late and silently skips a reveal of
      // nodes the workbench has not seen yet (a file that just opened); ask again once it has them.
      await new Promise((resolve) => setTimeout(resolve, REVEAL_RETRY_MS));
    }
  }

  private scheduleFollow(editor: vscode.TextEditor): void {
    if (this.followTimer) clearTimeout(this.followTimer);
    this.followTimer = undefined;
    if (!this.config.treeFollowCursor() || !this.treeView.visible || this.sources.keyOf(editor.document) === undefined) return;
    this.followTimer = setTimeout(() => {
      this.followTimer = undefined;
      if (vscode.window.activeTextEditor !== editor || !this.treeView.visible) return;
      this.revealLine(editor.document, editor.selection.active.line, false).catch(() => {
        // The node went away while the tree was being walked; the next cursor move tries again.
      });
    }, FOLLOW_CURSOR_DEBOUNCE_MS);
  }

  private updateTitle(): void {
    const { state, filtered } = this.provider;
    const hasSources = this.model.sourceKeys().length > 0;
    const all = this.model.groupCount({ scope: { by: 'all' } });
    const shown = filtered ? this.model.groupCount({ ...this.provider.view, scope: { by: 'all' } }) : all;
    const grouping = state.groupBy === 'source' ? ' · per file' : state.groupBy === 'firewall' ? ' · per firewall' : '';
    this.treeView.description = hasSources ? `${filtered ? `${shown} of ${all}` : all} SNIs · by ${state.sort}${grouping}` : undefined;
    this.treeView.message = filtered && hasSources ? `Filtered: ${filterSummary(state)}. ${shown} of ${all} SNIs shown.` : undefined;
    void vscode.commands.executeCommand('setContext', ContextKeys.sniTreeHasSources, hasSources);
    void vscode.commands.executeCommand('setContext', ContextKeys.sniTreeFiltered, filtered);
  }

  dispose(): void {
    if (this.followTimer) clearTimeout(this.followTimer);
    for (const s of this.subscriptions) s.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Labels and tooltips

/** Quick-pick and message wording of the kind filters. */
export const KIND_FILTER_LABELS: Readonly<Record<KindFilter, string>> = {
  all: 'All entries',
  failing: 'Failing: revoked, TLS errors or unknown',
  revoked: 'Only revoked',
  errors: 'Only TLS errors',
  unknown: 'Only unknown',
};

/** The active filter in words, e.g. `SNI contains "api" · only revoked`; the text is the user's own input. */
export function filterSummary(state: SniViewState): string {
  const parts: string[] = [];
  if (state.text !== '') parts.push(`SNI contains "${state.text}"`);
  if (state.kind !== 'all') parts.push(KIND_FILTER_LABELS[state.kind].toLowerCase());
  return parts.join(' · ');
}

function kindIcon(kind: GroupKind): vscode.ThemeIcon {
  const { icon, color } = KIND_ICONS[kind];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}

function untrustedMarkdown(markdown: string): vscode.MarkdownString {
  // Log values are escaped in `markdown`; the string stays untrusted, without HTML or theme icons, in case one slipped through.
  const md = new vscode.MarkdownString(markdown, false);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

function kindCounts(group: SniGroup): { kind: GroupKind; count: number }[] {
  const counts: Record<GroupKind, number> = {
    revoked: group.revoked,
    tlsError: group.tlsErrors,
    unknown: group.unknown,
    other: group.otherStatus,
  };
  return GROUP_KINDS.filter((k) => counts[k] > 0).map((kind) => ({ kind, count: counts[kind] }));
}

/** `3 revoked` for a group of one kind, else `7: 2 revoked, 5 TLS errors` (worst first). */
export function countsDescription(group: SniGroup): string {
  const parts = kindCounts(group).map(({ kind, count }) => plural(count, ...KIND_NOUNS[kind]));
  return parts.length === 1 ? parts[0] : `${thousands(group.entries)}: ${parts.join(', ')}`;
}

/** `2024-07-02 18:01:44` (UTC): a tree row is narrow, so whole seconds. */
function formatTime(ms: number | undefined): string {
  return formatEntryTime(ms, 'seconds');
}

/** `2024-07-02 18:01:44  10.0.2.53 → 54.92.160.72:443`: the client's port, new for every connection, is left out. */
function entryLabel(entry: TlsEntry): string {
  return `${formatTime(entryTimeMs(entry))}  ${addressText(entry.srcIp)} → ${endpointText(addressText(entry.destIp), entry.destPort)}`;
}

/** `10.0.2.53:443`, `[2001:db8::5]:443`: in full, since the tooltip puts it in a code span. */
function hostPort(ip: string, port: number | undefined): string {
  return endpointText(ip, port);
}

/** What the firewall did or said, under the node that already names the entry's kind: `DROP`, `name mismatch`. */
function entryOutcome(entry: TlsEntry): string {
  return outcomeText(entry, 'underKind');
}

/** An SNI in markdown: a code span for a logged value, our own words for the special cases. */
function sniMarkdown(sni: SniKey): string {
  if (sni === null || sni === '') return `*${sniLabel(sni)}*`;
  if (sni === '-') return `${codeSpan('-')} *${sniLabel(sni)}*`;
  const points = [...sni];
  if (points.length <= MAX_SNI_LENGTH) return codeSpan(sni);
  return `${codeSpan(points.slice(0, MAX_SNI_LENGTH).join(''))} *(${points.length - MAX_SNI_LENGTH} more characters not shown)*`;
}

function valueList<T extends string | number>(values: { values: readonly T[]; total: number; complete: boolean }): string {
  const listed = values.values.map((v) => codeSpan(String(v))).join(', ');
  if (values.total <= values.values.length && values.complete) return listed;
  return `${listed} *(${values.complete ? '' : 'at least '}${values.total} in all)*`;
}

function groupTooltip(d: SniGroupDetails, sourceName: (key: string) => string): string {
  const rows = [`**SNI** ${sniMarkdown(d.sni)}`, ''];
  rows.push(`- **Entries:** ${countsDescription(d)}`);
  const actions = (['DROP', 'REJECT', 'PASS', 'other'] as const)
    .filter((a) => d.actions[a] > 0)
    .map((a) => `${d.actions[a]} ${a === 'other' ? 'other' : a}`);
  if (actions.length > 0) rows.push(`- **Revocation actions:** ${actions.join(', ')}`);
  rows.push(`- **First seen:** ${formatTime(d.firstSeen)} UTC`);
  rows.push(`- **Last seen:** ${formatTime(d.lastSeen)} UTC`);
  if (d.destIps.total > 0) rows.push(`- **Destination addresses:** ${valueList(d.destIps)}`);
  if (d.destPorts.total > 0) rows.push(`- **Destination ports:** ${valueList(d.destPorts)}`);
  rows.push(`- **Firewalls:** ${d.firewalls.map((f) => (isNamedFirewall(f) ? codeSpan(f) : `*${firewallLabel(f)}*`)).join(', ')}`);
  const files = d.sources.slice(0, MAX_FILES_LISTED).map((s) => `${codeSpan(sourceName(s.sourceKey))} (${s.entries})`);
  if (d.sources.length > MAX_FILES_LISTED) files.push(`*…and ${d.sources.length - MAX_FILES_LISTED} more*`);
  rows.push(`- **Files:** ${files.join(', ')}`);
  return rows.join('\n');
}

function entryTooltip(loc: EntryLocation, entry: TlsEntry | undefined, fileName: string, open: boolean): string {
  const rows = [`**${KIND_LABELS[loc.kind]}** · ${codeSpan(fileName)} line ${loc.line + 1}`, ''];
  if (entry === undefined) {
    rows.push(`- **Time:** ${formatTime(loc.timeMs)} UTC`);
    rows.push(`- **SNI:** ${sniMarkdown(loc.sni)}`);
    if (loc.firewall !== null) rows.push(`- **Firewall:** ${codeSpan(loc.firewall)}`);
    rows.push(
      '',
      open
        ? '*This line changed; the view updates in a moment.*'
        : "*Select the entry to open the file and read the entry's other fields.*",
    );
    return rows.join('\n');
  }
  const field = (label: string, value: string | number | undefined): void => {
    if (value !== undefined) rows.push(`- **${label}:** ${codeSpan(String(value))}`);
  };
  rows.push(`- **Time:** ${formatTime(entryTimeMs(entry))} UTC`);
  rows.push(`- **SNI:** ${sniMarkdown(entry.sni ?? null)}`);
  field('Source', entry.srcIp === undefined ? undefined : hostPort(entry.srcIp, entry.srcPort));
  field('Destination', entry.destIp === undefined ? undefined : hostPort(entry.destIp, entry.destPort));
  field('Status', entry.status);
  field('Action', entry.action);
  field('Error message', entry.errorMessage);
  field('Leaf certificate fingerprint', entry.leafCertFpr);
  field('Firewall', entry.firewallName);
  field('Availability zone', entry.availabilityZone);
  return rows.join('\n');
}
