import * as vscode from 'vscode';
import { statusAccessibleText, statusText, statusTooltip, summarizeDocument, type DocumentSummary } from '../core/document/documentSummary';
import type { LogDocuments } from './documents';
import type { FileNotes } from './fileNotes';
import { LANGUAGE_ID, STATUS_BAR_ITEM_ID, Views } from './ids';

/** How long after the last keystroke the counts are taken again. */
const EDIT_DEBOUNCE_MS = 300;

/** What the status bar item shows now (for tests and other extensions). */
export interface StatusBarState {
  readonly visible: boolean;
  readonly text: string;
  readonly tooltip: string;
  /** The command a click runs. */
  readonly command: string;
  /** Fires after the item was updated or hidden. */
  readonly onDidUpdate: vscode.Event<void>;
}

/**
 * The status bar item for the TLS log in the active editor: its errors and its revoked and unknown
 * entries, counted from the document's model; a click opens the SNI view. Hidden for other files.
 */
export class LogStatusBar implements vscode.Disposable, StatusBarState {
  private readonly item = vscode.window.createStatusBarItem(STATUS_BAR_ITEM_ID, vscode.StatusBarAlignment.Left, 10);
  private readonly updated = new vscode.EventEmitter<void>();
  private readonly subscriptions: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;
  private shown = false;

  readonly onDidUpdate = this.updated.event;

  constructor(
    private readonly documents: LogDocuments,
    private readonly notes: FileNotes,
  ) {
    this.item.name = 'AWS Network Firewall TLS Log';
    this.item.command = { command: this.command, title: 'Show the SNI view' };
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      documents.onDidChangeModel(({ document, kind }) => {
        if (document !== vscode.window.activeTextEditor?.document) return;
        if (kind === 'parsed') this.update();
        else this.schedule();
      }),
      documents.onDidCloseModel(() => this.update()),
      this.updated,
    ];
    this.update();
  }

  get command(): string {
    return `${Views.sniTree}.focus`;
  }

  get visible(): boolean {
    return this.shown;
  }

  get text(): string {
    return this.item.text;
  }

  get tooltip(): string {
    const t = this.item.tooltip;
    return t instanceof vscode.MarkdownString ? t.value : (t ?? '');
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.update();
    }, EDIT_DEBOUNCE_MS);
  }

  private update(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== LANGUAGE_ID) {
      this.hide();
      return;
    }
    const model = this.documents.get(document);
    if (!model) {
      // The first parse of a big document is still running; its counts follow when it is done.
      this.showChecking();
    } else {
      // The model keeps its counts as lines change: nothing to count here.
      // The file's own notes (a .log.gz cut short) are problems in the Problems panel too.
      this.showSummary(summarizeDocument(model, this.notes.get(document.uri)));
    }
  }

  private showChecking(): void {
    this.item.text = '$(sync~spin) Checking TLS log…';
    this.item.tooltip = undefined;
    this.item.accessibilityInformation = { label: 'Checking the TLS log' };
    this.show();
  }

  private showSummary(summary: DocumentSummary): void {
    this.item.text = statusText(summary);
    // Counts only; nothing from the log is quoted, yet it stays untrusted.
    const tooltip = new vscode.MarkdownString(statusTooltip(summary));
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: statusAccessibleText(summary) };
    this.show();
  }

  private show(): void {
    this.item.show();
    this.shown = true;
    this.updated.fire();
  }

  private hide(): void {
    this.item.hide();
    this.shown = false;
    this.updated.fire();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
