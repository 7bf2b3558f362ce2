import type * as vscode from 'vscode';
import type { Problem } from '../core/parse/types';

/**
 * Problems of a file as a whole that no line holds (a `.log.gz` that stops early, text read as UTF-16),
 * by the URI of the document that shows the file. The diagnostics publish them with the document's own
 * problems, in the same collection, and the status bar counts them, so both say the same.
 */
export class FileNotes {
  private readonly notes = new Map<string, readonly Problem[]>();

  set(uri: vscode.Uri, problems: readonly Problem[]): void {
    if (problems.length === 0) this.notes.delete(uri.toString());
    else this.notes.set(uri.toString(), problems);
  }

  get(uri: vscode.Uri): readonly Problem[] {
    return this.notes.get(uri.toString()) ?? [];
  }
}
