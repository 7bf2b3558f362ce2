/**
 * The messages between the explorer's webview page and the extension host. The page holds the filter and
 * sort the user chose and asks for what it shows; the host answers with aggregates and the visible rows,
 * never with all entries. Both sides check what they receive ({@link isPageMessage}): a page message is
 * input like any other.
 */
import type { EntryDetailsData } from '../explain/detailsData';
import type { ExplorerFilter, ExplorerRow, ExplorerSort, ExplorerSummary } from './types';
import { FACETS, SORT_COLUMNS } from './types';

/** A row as the table shows it: the file's name added. */
export interface PageRow extends ExplorerRow {
  readonly file: string;
}

/** The page asks. `id` orders answers: the page drops any answer older than its last question. */
export type PageMessage =
  | { readonly type: 'ready' }
  | {
      readonly type: 'query';
      readonly id: number;
      readonly filter: ExplorerFilter;
      readonly sort: ExplorerSort;
      readonly offset: number;
      readonly limit: number;
    }
  | { readonly type: 'open'; readonly sourceKey: string; readonly line: number }
  | { readonly type: 'details'; readonly sourceKey: string; readonly line: number }
  | { readonly type: 'copyJson'; readonly sourceKey: string; readonly line: number }
  | { readonly type: 'command'; readonly command: ExplorerPageCommand };

/** Commands the page's toolbar runs on the host, with the page's filter and sort. */
export const PAGE_COMMANDS = ['summaryReport', 'exportCsv', 'exportMarkdown', 'copyFailingSnis'] as const;
export type ExplorerPageCommand = (typeof PAGE_COMMANDS)[number];

/** The host answers. */
export type HostMessage =
  /** The filter and sort to show: on load (unless the page kept its own), or always with `force`. */
  | { readonly type: 'restore'; readonly filter: ExplorerFilter; readonly sort: ExplorerSort; readonly force?: boolean }
  | { readonly type: 'summary'; readonly id: number; readonly summary: ExplorerSummary; readonly bucketLabel: string }
  | {
      readonly type: 'rows';
      readonly id: number;
      readonly version: number;
      readonly total: number;
      readonly offset: number;
      readonly rows: readonly PageRow[];
    }
  | { readonly type: 'details'; readonly details: EntryDetailsData | { readonly error: string } }
  | { readonly type: 'busy'; readonly busy: boolean };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLine = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1e9;

function isValueLists(v: unknown): boolean {
  if (v === undefined) return true;
  if (!isObject(v)) return false;
  return Object.entries(v).every(
    ([k, list]) =>
      (FACETS as readonly string[]).includes(k) && Array.isArray(list) && list.length <= 1000 && list.every((x) => typeof x === 'string'),
  );
}

/** Whether a value is a well-formed filter (finite times, known facets, lists of strings). */
export function isFilter(v: unknown): v is ExplorerFilter {
  if (!isObject(v)) return false;
  const time = (t: unknown): boolean => t === undefined || (typeof t === 'number' && Number.isFinite(t));
  return time(v.from) && time(v.to) && isValueLists(v.include) && isValueLists(v.exclude);
}

export function isSort(v: unknown): v is ExplorerSort {
  return (
    isObject(v) &&
    (SORT_COLUMNS as readonly unknown[]).includes(v.column) &&
    (v.descending === undefined || typeof v.descending === 'boolean')
  );
}

/** Whether a value received from the page is one of its messages. */
export function isPageMessage(v: unknown): v is PageMessage {
  if (!isObject(v)) return false;
  switch (v.type) {
    case 'ready':
      return true;
    case 'query':
      return isCount(v.id) && isFilter(v.filter) && isSort(v.sort) && isCount(v.offset) && isCount(v.limit);
    case 'open':
    case 'details':
    case 'copyJson':
      return typeof v.sourceKey === 'string' && isLine(v.line);
    case 'command':
      return (PAGE_COMMANDS as readonly unknown[]).includes(v.command);
    default:
      return false;
  }
}
