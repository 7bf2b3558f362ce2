/**
 * The one list of log sources: where the entries and problems of each file come from now.
 *
 * A source is named by its file's identity (its real path; a `.log.gz` shown decompressed is the `.gz`
 * file), so a document and a scan of the same file are one source. An open document is the live
 * source of its file; a scan's result for that file is set aside while the document is open and is live
 * again when it closes. Clearing scans removes only what scans alone brought in. Consumers (diagnostics,
 * the SNI model, the status bar) listen to {@link SourceRegistry.onDidChange} and show the live source of
 * each file, so no file is counted twice.
 *
 * Editor-free: `D` is whatever stands for an open document, `S` a scan's result for a file.
 */
import { Listeners } from '../listeners';

/** Which kind of source is live for a file. */
export type SourceOrigin = 'document' | 'scan';

/** A file whose live source changed: `before` and `after` are the origins (undefined: none). */
export interface SourceChange {
  readonly id: string;
  readonly before: SourceOrigin | undefined;
  readonly after: SourceOrigin | undefined;
}

export type SourceChangeListener = (change: SourceChange) => void;

/** The live sources of every file, with each file's set-aside scan. */
export class SourceRegistry<D, S> {
  private readonly documents = new Map<string, D>();
  private readonly scans = new Map<string, S>();
  private readonly listeners = new Listeners<SourceChange>();

  /** Calls `listener` after every change of a file's live source; returns a function that unsubscribes it. */
  onDidChange(listener: SourceChangeListener): () => void {
    return this.listeners.add(listener);
  }

  /** The origin of a file's live source, if it has one. */
  live(id: string): SourceOrigin | undefined {
    if (this.documents.has(id)) return 'document';
    return this.scans.has(id) ? 'scan' : undefined;
  }

  /** The open document of a file. */
  document(id: string): D | undefined {
    return this.documents.get(id);
  }

  /** A file's scan result, live or set aside. */
  scan(id: string): S | undefined {
    return this.scans.get(id);
  }

  /** Whether a file's scan result is set aside behind its open document. */
  isSetAside(id: string): boolean {
    return this.documents.has(id) && this.scans.has(id);
  }

  /** Every file with a live source, in code-unit order. */
  ids(): string[] {
    return [...new Set([...this.documents.keys(), ...this.scans.keys()])].sort();
  }

  /** Files whose live source is a scan. */
  scanIds(): string[] {
    return [...this.scans.keys()].filter((id) => !this.documents.has(id)).sort();
  }

  /** Files with a scan result, live or set aside while a document of the file is open. */
  scannedIds(): string[] {
    return [...this.scans.keys()].sort();
  }

  /** A document of the file is open (or replaced by a newer one): it is the file's live source from now on. */
  openDocument(id: string, document: D): void {
    const before = this.live(id);
    this.documents.set(id, document);
    this.fire(id, before);
  }

  /** The file's document closed: its scan result, if any, is live again. */
  closeDocument(id: string): void {
    if (!this.documents.has(id)) return;
    this.documents.delete(id);
    this.fire(id, 'document');
  }

  /** A scan read the file: its result is live unless a document of the file is open. */
  setScan(id: string, scan: S): void {
    const before = this.live(id);
    this.scans.set(id, scan);
    this.fire(id, before);
  }

  /** Forgets one file's scan result. */
  removeScan(id: string): void {
    if (!this.scans.has(id)) return;
    const before = this.live(id);
    this.scans.delete(id);
    this.fire(id, before);
  }

  /** Forgets every scan result; open documents stay. Returns the files that had no other source. */
  clearScans(): string[] {
    const gone = this.scanIds();
    const ids = [...this.scans.keys()];
    for (const id of ids) this.removeScan(id);
    return gone;
  }

  /** Tells the consumers every live source again (`before` and `after` alike), for them to rebuild what they show. */
  refresh(): void {
    for (const id of this.ids()) this.fire(id, this.live(id));
  }

  private fire(id: string, before: SourceOrigin | undefined): void {
    const after = this.live(id);
    this.listeners.fire({ id, before, after });
  }
}
