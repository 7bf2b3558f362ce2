import * as vscode from 'vscode';
import { isTlsLogLine } from '../core/read/detect';
import type { ConfigReader } from './config';
import { LANGUAGE_ID } from './ids';

/** Languages a TLS log may open as before we recognise it: what VS Code picks for `.log`, `.json`, `.jsonl` or no extension. */
const CANDIDATE_LANGUAGES: ReadonlySet<string> = new Set(['plaintext', 'log', 'json', 'jsonl', 'jsonc']);

/** How far into a file to look for its first entry. */
const MAX_LINES_TO_SKIP = 50;

/**
 * Switches a document to the TLS log language when its first non-blank line is a Network Firewall TLS
 * entry. File names are claimed by the manifest; this catches the rest (renamed files, CloudWatch
 * exports, pasted lines).
 */
export class LanguageDetector implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;

  constructor(private readonly config: ConfigReader) {
    this.subscription = vscode.workspace.onDidOpenTextDocument((d) => void this.check(d));
    for (const d of vscode.workspace.textDocuments) void this.check(d);
  }

  private async check(document: vscode.TextDocument): Promise<void> {
    if (!CANDIDATE_LANGUAGES.has(document.languageId) || !this.config.detectByContent(document.uri)) return;
    if (!firstEntryIsTlsLog(document)) return;
    try {
      await vscode.languages.setTextDocumentLanguage(document, LANGUAGE_ID);
    } catch {
      // The document closed in the meantime; nothing to switch.
    }
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

function firstEntryIsTlsLog(document: vscode.TextDocument): boolean {
  const limit = Math.min(document.lineCount, MAX_LINES_TO_SKIP);
  for (let i = 0; i < limit; i++) {
    const text = document.lineAt(i).text;
    if (text.trim() === '') continue;
    return isTlsLogLine(text);
  }
  return false;
}
