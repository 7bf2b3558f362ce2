import * as vscode from 'vscode';

/**
 * Saves an export where the user says (a save dialog), or to `target` when a keybinding or a test passes a
 * URI. `content` runs after the dialog, so nothing is computed for a dialog that is cancelled; undefined from
 * it (the work was stopped) saves nothing.
 */
export async function saveExport(
  target: unknown,
  what: { readonly kind: 'CSV' | 'Markdown'; readonly title: string; readonly fileName: string },
  content: () => Promise<string | undefined>,
): Promise<vscode.Uri | undefined> {
  let uri = target instanceof vscode.Uri ? target : undefined;
  if (uri === undefined) {
    const ext = what.kind === 'CSV' ? 'csv' : 'md';
    uri = await vscode.window.showSaveDialog({
      title: what.title,
      defaultUri: vscode.Uri.joinPath(
        vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()),
        `${what.fileName}.${ext}`,
      ),
      filters: what.kind === 'CSV' ? { CSV: ['csv'] } : { Markdown: ['md'] },
    });
  }
  if (uri === undefined) return undefined;
  const text = await content();
  if (text === undefined) return undefined;
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  vscode.window.setStatusBarMessage(`Saved ${uri.fsPath}.`, 3000);
  return uri;
}
