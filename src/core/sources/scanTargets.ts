/**
 * What **Scan Folder for TLS Logs…** reads. The Explorer passes the resource clicked and, when several
 * are selected, all of them; a keybinding or a script passes one location or a list. With none, the
 * user is asked with a picker that starts at the first workspace folder and accepts any folders and files.
 */

/** The locations named by the command's arguments, or undefined when there are none and the user is to pick. */
export function scanTargets<T>(isTarget: (x: unknown) => x is T, clicked: unknown, selected?: unknown): T[] | undefined {
  if (Array.isArray(selected)) {
    const list = selected.filter(isTarget);
    if (list.length > 0) return list;
  }
  if (Array.isArray(clicked)) {
    const list = clicked.filter(isTarget);
    return list.length > 0 ? list : undefined;
  }
  return isTarget(clicked) ? [clicked] : undefined;
}

/** The picker's options (the shape of VS Code's `OpenDialogOptions`). */
export interface ScanPickerOptions<U> {
  readonly canSelectFolders: true;
  readonly canSelectFiles: true;
  readonly canSelectMany: true;
  readonly defaultUri: U | undefined;
  readonly openLabel: string;
  readonly title: string;
}

/** The picker shown when the command names no location: it starts at the first workspace folder, if any. */
export function scanPickerOptions<U>(workspaceFolders: readonly U[]): ScanPickerOptions<U> {
  return {
    canSelectFolders: true,
    canSelectFiles: true,
    canSelectMany: true,
    defaultUri: workspaceFolders[0],
    openLabel: 'Scan for TLS Logs',
    title: 'Scan folders or log files (.log, .log.gz) for TLS logs',
  };
}
