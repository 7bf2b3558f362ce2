import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import { SourceRegistry } from '../core/sources/registry';
import type { LogDocuments } from './documents';
import { gzipFileUri } from './gzip';
import { GZIP_SCHEME } from './ids';

/** What a scan found in one file, kept while the file's document is open so that it can come back. */
export interface ScannedSource {
  /** Where its diagnostics are shown: the file, or the tab of a file too big to hand to extensions. */
  readonly target: vscode.Uri;
  readonly diagnostics: readonly vscode.Diagnostic[];
  /** The file's size and modification time when it was read ({@link fileStamp}): read again only when they change. */
  readonly stamp?: string;
}

/** A file's size and modification time, to tell whether it changed since it was read. */
export function fileStamp(stats: { size: number; mtimeMs: number }): string {
  return `${stats.size}:${stats.mtimeMs}`;
}

/**
 * The editor's side of the source registry: every open TLS log document is registered under its file's
 * identity as soon as its parse starts, and leaves when it closes. Made before the registry's consumers,
 * so that they see a document's file change hands before they see its entries or problems.
 */
export class LogSources implements vscode.Disposable {
  readonly registry = new SourceRegistry<vscode.TextDocument, ScannedSource>();
  private readonly realPaths = new Map<string, string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(documents: LogDocuments) {
    const opened = (document: vscode.TextDocument): void => {
      const key = this.keyOf(document.uri);
      if (this.registry.document(key) !== document) this.registry.openDocument(key, document);
    };
    this.subscriptions = [
      documents.onDidReadEntries(({ document, first }) => {
        if (first) opened(document);
      }),
      documents.onDidChangeModel(({ document }) => opened(document)),
      documents.onDidCloseModel((uri) => {
        const key = this.keyOf(uri);
        if (this.registry.document(key)?.uri.toString() === uri.toString()) this.registry.closeDocument(key);
      }),
    ];
    for (const { document } of documents.all()) opened(document);
  }

  /**
   * The source key of a location: the URI of its file on disk with symbolic links resolved (for a
   * decompressed `.log.gz` view, the `.gz` file), or for untitled and virtual documents the URI itself.
   */
  keyOf(uri: vscode.Uri): string {
    const file = uri.scheme === GZIP_SCHEME ? gzipFileUri(uri) : uri.scheme === 'file' ? uri : undefined;
    if (file === undefined) return uri.toString();
    let real = this.realPaths.get(file.fsPath);
    if (real === undefined) {
      try {
        real = realpathSync.native(file.fsPath);
      } catch {
        // A file that is gone keeps the path it was named by.
        real = file.fsPath;
      }
      this.realPaths.set(file.fsPath, real);
    }
    return real === file.fsPath ? file.toString() : vscode.Uri.file(real).toString();
  }

  /** The open document of a source key. */
  document(key: string): vscode.TextDocument | undefined {
    return this.registry.document(key);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
