/** The entry details as data (entryDetails.ts), in a file of types only so that the explorer's page can import it. */

/** One field of the entry details as data, for a surface that renders it itself (the explorer's webview). */
export interface EntryDetailsField {
  readonly path: string;
  readonly title: string;
  /** As logged. Untrusted. */
  readonly value?: string;
  readonly facts: readonly { readonly label: string; readonly value: string; readonly untrusted: boolean }[];
  /** Our wording (inline `code` and **bold** at most), then log values the paragraph talks about (untrusted). */
  readonly paragraphs: readonly {
    readonly heading?: string;
    readonly text: string;
    readonly values?: readonly string[];
    readonly command?: string;
  }[];
}

/** The entry details of a line as data: the same fields and explanations as {@link entryDetailsMarkdown}. */
export interface EntryDetailsData {
  readonly title: string;
  readonly problems: readonly string[];
  readonly fields: readonly EntryDetailsField[];
  /** The entry as pretty-printed JSON (the line itself when it is not JSON), for "Copy as JSON". */
  readonly json: string;
}
