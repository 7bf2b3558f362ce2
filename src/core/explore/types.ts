/**
 * The explorer's vocabulary: the filter the page sends, the aggregates and row pages it gets back. Plain
 * data (strings and numbers), so it crosses to the webview as JSON and a test compares it with `deepEqual`.
 */

/** The facets, in the order the page shows them. */
export const FACETS = ['sni', 'destination', 'source', 'firewall', 'zone', 'status', 'action', 'errorKind', 'fingerprint'] as const;
export type FacetName = (typeof FACETS)[number];

export const FACET_LABELS: Readonly<Record<FacetName, string>> = {
  sni: 'SNI',
  destination: 'Destination',
  source: 'Source address',
  firewall: 'Firewall',
  zone: 'Availability zone',
  status: 'Revocation status',
  action: 'Action',
  errorKind: 'TLS error',
  fingerprint: 'Certificate fingerprint',
};

/** The timeline's stacks, worst first; every entry is exactly one of them. */
export const TIMELINE_KINDS = ['revoked', 'unknown', 'noSni', 'mismatch', 'tlsOther', 'otherStatus'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const TIMELINE_KIND_LABELS: Readonly<Record<TimelineKind, string>> = {
  revoked: 'REVOKED',
  unknown: 'UNKNOWN',
  noSni: 'No SNI',
  mismatch: 'Name mismatch',
  tlsOther: 'Other TLS error',
  otherStatus: 'Other status',
};

/**
 * Which entries to show. A facet value is named by its key (the value as logged, or a fixed spelling for
 * "absent"; see facets.ts), never by an internal id, so a filter survives the model being rebuilt.
 * An entry passes when, for every facet, its value is among `include` (when that list is not empty) and
 * not among `exclude`; and, with a time range, its time is in [from, to) (undated entries then never pass).
 */
export interface ExplorerFilter {
  readonly from?: number;
  readonly to?: number;
  readonly include?: Partial<Record<FacetName, readonly string[]>>;
  readonly exclude?: Partial<Record<FacetName, readonly string[]>>;
}

/** The table's columns; `file` is (source key, line). */
export const SORT_COLUMNS = ['time', 'outcome', 'sni', 'source', 'destination', 'firewall', 'file'] as const;
export type SortColumn = (typeof SORT_COLUMNS)[number];

/** Ties are broken by time, then by file and line, whatever the column and direction. */
export interface ExplorerSort {
  readonly column: SortColumn;
  readonly descending?: boolean;
}

/** Values listed per facet. */
export const FACET_TOP = 10;

/** One value of a facet with how many entries passing the filter hold it. */
export interface FacetValue {
  readonly key: string;
  readonly label: string;
  readonly count: number;
}

/** The top values of a facet; `distinct` counts every value that passing entries hold. */
export interface FacetSummary {
  readonly name: FacetName;
  readonly values: readonly FacetValue[];
  readonly distinct: number;
  /**
   * Set for a facet with values shown only: its values counted over the entries that pass every other
   * condition of the filter (the time range and the other facets), so that the values not shown yet can be
   * seen and added. The top {@link FacetSummary.values}' worth, then any shown-only value not among them.
   */
  readonly others?: { readonly values: readonly FacetValue[]; readonly distinct: number };
}

/** Entries per time bucket, by kind (TIMELINE_KINDS order), from `start` in steps of `bucketMs` (UTC-aligned). */
export interface Timeline {
  readonly start: number;
  readonly bucketMs: number;
  /** counts[b * TIMELINE_KINDS.length + k]: bucket b, kind k. */
  readonly counts: readonly number[];
  readonly buckets: number;
  /** Passing entries with no usable time (not in any bucket). */
  readonly undated: number;
}

/** What a filter gives, without the rows: the timeline, facets and totals. */
export interface ExplorerSummary {
  readonly version: number;
  /** Entries in the model. */
  readonly total: number;
  /** Entries that pass the filter. */
  readonly matched: number;
  /** Passing entries by kind, TIMELINE_KINDS order. */
  readonly byKind: readonly number[];
  /** Earliest and latest time of all entries (not only passing ones); NaN when none is dated. */
  readonly extent: { readonly first: number; readonly last: number };
  /** Earliest and latest time of the passing entries; NaN when none is dated. */
  readonly matchedExtent: { readonly first: number; readonly last: number };
  readonly timeline: Timeline;
  readonly facets: readonly FacetSummary[];
}

/** One row of the table: enough to show it and to open its entry. */
export interface ExplorerRow {
  /** Its place in the sorted, filtered list. */
  readonly index: number;
  readonly sourceKey: string;
  readonly line: number;
  /** Epoch ms; NaN when the entry had no usable time. */
  readonly timeMs: number;
  readonly kind: TimelineKind;
  /** PASS, DROP, REJECT, the other action as "other", or "" for a TLS error. */
  readonly action: string;
  readonly sni: string | null;
  readonly source: string;
  readonly destination: string;
  readonly firewall: string | null;
}

export interface RowPage {
  readonly version: number;
  readonly total: number;
  readonly offset: number;
  readonly rows: readonly ExplorerRow[];
}
