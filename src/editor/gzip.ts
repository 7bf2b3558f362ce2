import * as vscode from 'vscode';
import { gunzipFile } from '../core/read/gunzip';
import { PROBLEM_CATALOG } from '../core/parse/problems';
import { encodingNote } from '../core/report/report';
import type { Problem } from '../core/parse/types';
import type { ConfigReader } from './config';
import type { FileNotes } from './fileNotes';
import { Commands, CustomEditors, GZIP_SCHEME } from './ids';

/**
 * `.log.gz` files opened directly: a read-only file system that shows a gzip file's decompressed text at
 * `nfw-tls-gz:<path without .gz>`, a custom editor for `*.log.gz` that opens that view instead of VS Code's
 * "binary file" notice, and a command to pick one. The text stays in the editor's own model; the
 * extension's diagnostics, hovers and tree treat it like any other TLS log.
 */

/** The decompressed view of a gzip file on disk. */
export function gzipViewUri(file: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({
    scheme: GZIP_SCHEME,
    path: file.path.replace(/\.gz$/i, ''),
    query: file.path.toLowerCase().endsWith('.gz') ? '' : 'raw',
  });
}

/** The gzip file on disk behind a decompressed view. */
export function gzipFileUri(view: vscode.Uri): vscode.Uri {
  return vscode.Uri.file(view.query === 'raw' ? view.path : `${view.path}.gz`);
}

class GzipFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  constructor(
    private readonly config: ConfigReader,
    /** Why a view stops early, for the problem shown on its last line, published with the view's own. */
    private readonly notes: FileNotes,
  ) {}

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const s = await vscode.workspace.fs.stat(gzipFileUri(uri));
    return { type: vscode.FileType.File, ctime: s.ctime, mtime: s.mtime, size: s.size, permissions: vscode.FilePermission.Readonly };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const file = gzipFileUri(uri);
    let result;
    try {
      result = await gunzipFile(file.fsPath, this.config.maxDecompressedBytes(file));
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw vscode.FileSystemError.Unavailable(`${file.fsPath} could not be decompressed: ${reason}`);
    }
    // What the reader noticed about the file as a whole, as the command line reports it.
    const severities = this.config.severities(uri);
    const notes: Problem[] = [];
    const note = (code: 'file-incomplete' | 'unusual-format', line: number, message: string): void => {
      const severity = severities[code] ?? PROBLEM_CATALOG[code].severity;
      if (severity !== 'off') notes.push({ line, startColumn: 0, endColumn: 0, severity, code, message });
    };
    const encoding = encodingNote(result.encoding, result.encodingGuessed === true);
    if (encoding !== undefined) note('unusual-format', 0, encoding);
    if (result.incomplete)
      note('file-incomplete', countLines(result.bytes), `The file could not be read to the end: ${result.incomplete}.`);
    this.notes.set(uri, notes);
    if (result.incomplete)
      void vscode.window.showWarningMessage(`${file.fsPath.split(/[\\/]/).pop() ?? file.fsPath}: ${result.incomplete}.`);
    return result.bytes;
  }

  readDirectory(): [string, vscode.FileType][] {
    throw vscode.FileSystemError.NoPermissions('Decompressed TLS logs are single files.');
  }
  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('Decompressed TLS logs are read-only.');
  }
  writeFile(): void {
    throw vscode.FileSystemError.NoPermissions('Decompressed TLS logs are read-only; the .gz file is never changed.');
  }
  delete(): void {
    throw vscode.FileSystemError.NoPermissions('Decompressed TLS logs are read-only.');
  }
  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Decompressed TLS logs are read-only.');
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Line breaks in UTF-8 text as the editor counts them: LF, CRLF and a lone CR each end a line. */
function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 10 || (b === 13 && bytes[i + 1] !== 10)) n++;
  }
  return n;
}

/** Opens the decompressed view of a `.log.gz` file in an editor. */
export async function openGzipLog(file: vscode.Uri, column?: vscode.ViewColumn): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(gzipViewUri(file));
  return vscode.window.showTextDocument(document, { preview: false, viewColumn: column });
}

/**
 * Double-clicking a `.log.gz` lands here: instead of a web view, open the decompressed text in a normal
 * editor and close this one.
 */
class GzipRedirectEditor implements vscode.CustomReadonlyEditorProvider {
  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = { enableScripts: false };
    panel.webview.html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none';"></head><body><p>Opening the decompressed log…</p></body></html>`;
    try {
      await openGzipLog(document.uri, panel.viewColumn);
    } catch (err) {
      void vscode.window.showErrorMessage(`Could not open ${document.uri.fsPath}: ${err instanceof Error ? err.message : String(err)}`);
    }
    panel.dispose();
  }
}

/** Registers the gzip view's file system, the `.log.gz` editor and the open command. */
export function registerGzip(config: ConfigReader, notes: FileNotes): vscode.Disposable {
  const fs = new GzipFileSystem(config, notes);
  return vscode.Disposable.from(
    fs,
    vscode.workspace.registerFileSystemProvider(GZIP_SCHEME, fs, { isReadonly: true, isCaseSensitive: true }),
    vscode.window.registerCustomEditorProvider(CustomEditors.gzipLog, new GzipRedirectEditor(), {
      supportsMultipleEditorsPerDocument: true,
    }),
    vscode.commands.registerCommand(Commands.openGzipLog, async (target?: vscode.Uri) => {
      const file =
        target ??
        (
          await vscode.window.showOpenDialog({
            canSelectMany: false,
            openLabel: 'Open TLS Log',
            filters: { 'Gzip-compressed TLS logs': ['gz'] },
          })
        )?.[0];
      if (file) await openGzipLog(file);
    }),
  );
}
