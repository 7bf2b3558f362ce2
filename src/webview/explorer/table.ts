import { TIMELINE_KIND_LABELS, type ExplorerSort, type SortColumn } from '../../core/explore/types';
import type { PageRow } from '../../core/explore/protocol';
import { el, thousands, utc } from './dom';
import { firewallLabel } from '../../core/parse/entryKind';

const ROW_HEIGHT = 22;
/** Browsers cap an element's height; past this the scroll position maps to rows proportionally. */
const MAX_SCROLL_HEIGHT = 4_000_000;
const OVERSCAN = 10;

const COLUMNS: readonly { id: SortColumn; label: string }[] = [
  { id: 'time', label: 'Time (UTC)' },
  { id: 'outcome', label: 'Outcome' },
  { id: 'sni', label: 'SNI' },
  { id: 'source', label: 'Source' },
  { id: 'destination', label: 'Destination' },
  { id: 'firewall', label: 'Firewall' },
  { id: 'file', label: 'File and line' },
];

/** The SNI as the SNI view spells it. */
function sniText(sni: string | null): string {
  if (sni === null) return '(no SNI field)';
  if (sni === '-') return '(no SNI in client hello)';
  if (sni === '') return '(empty SNI)';
  return sni;
}

function cells(r: PageRow): string[] {
  return [
    utc(r.timeMs),
    r.action === '' ? TIMELINE_KIND_LABELS[r.kind] : `${TIMELINE_KIND_LABELS[r.kind]} · ${r.action}`,
    sniText(r.sni),
    r.source,
    r.destination,
    firewallLabel(r.firewall),
    `${r.file}:${r.line + 1}`,
  ];
}

/**
 * The entries table, virtualized: only the rows in view exist as elements, asked for by `onNeed(offset,
 * limit)` as the view scrolls. Arrow keys, Page Up/Down, Home and End move the active row (its details are
 * shown); Enter or a click opens the log at it.
 */
export class TableView {
  private total = 0;
  private rows = new Map<number, PageRow>();
  private active = 0;
  private sort: ExplorerSort = { column: 'time' };
  private readonly head: HTMLElement;
  private readonly body: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly list: HTMLElement;

  constructor(
    ids: { head: string; body: string; spacer: string; rows: string },
    private readonly handlers: {
      onNeed: (offset: number, limit: number) => void;
      onSort: (sort: ExplorerSort) => void;
      onOpen: (row: PageRow) => void;
      onSelect: (row: PageRow) => void;
    },
  ) {
    this.head = document.getElementById(ids.head) as HTMLElement;
    this.body = document.getElementById(ids.body) as HTMLElement;
    this.spacer = document.getElementById(ids.spacer) as HTMLElement;
    this.list = document.getElementById(ids.rows) as HTMLElement;
    this.body.addEventListener('scroll', () => {
      // The head is outside the scrolled box (it stays on top): it follows the rows sideways.
      this.head.style.transform = `translateX(${-this.body.scrollLeft}px)`;
      this.render(true);
    });
    this.body.addEventListener('keydown', (e) => this.key(e));
    new ResizeObserver(() => this.render(true)).observe(this.body);
    this.renderHead();
  }

  setSort(sort: ExplorerSort): void {
    this.sort = sort;
    this.renderHead();
  }

  /** Back to the first row (a new filter or sort). */
  toTop(): void {
    this.body.scrollTop = 0;
    this.active = 0;
  }

  /** New results: the first rows from `offset` and the new total. */
  reset(total: number, offset: number, rows: readonly PageRow[]): void {
    this.total = total;
    this.rows = new Map();
    this.put(offset, rows);
    this.active = Math.min(this.active, Math.max(0, total - 1));
    this.body.setAttribute('aria-rowcount', String(total + 1));
    this.render(false);
  }

  /** More rows for the current results. */
  put(offset: number, rows: readonly PageRow[]): void {
    rows.forEach((r, i) => this.rows.set(offset + i, r));
    if (this.rows.size > 5000) {
      // Keep the neighbourhood of the view only.
      const [first] = this.window();
      for (const k of this.rows.keys()) if (Math.abs(k - first) > 2000) this.rows.delete(k);
    }
    this.render(false);
  }

  /** The first row in view and how many fit. */
  private window(): [number, number] {
    const visible = Math.ceil(this.body.clientHeight / ROW_HEIGHT) + 1;
    const full = this.total * ROW_HEIGHT;
    const height = Math.min(full, MAX_SCROLL_HEIGHT);
    const maxScroll = Math.max(1, height - this.body.clientHeight);
    const maxFirst = Math.max(0, this.total - visible + 1);
    const first =
      full <= MAX_SCROLL_HEIGHT ? Math.floor(this.body.scrollTop / ROW_HEIGHT) : Math.round((this.body.scrollTop / maxScroll) * maxFirst);
    return [Math.min(first, maxFirst), visible];
  }

  private render(ask: boolean): void {
    const height = Math.min(this.total * ROW_HEIGHT, MAX_SCROLL_HEIGHT);
    this.spacer.style.height = `${height}px`;
    const [first, visible] = this.window();
    this.list.style.transform = `translateY(${this.body.scrollTop}px)`;
    const from = first;
    const to = Math.min(this.total, first + visible);
    let missing = false;
    const out: HTMLElement[] = [];
    for (let i = from; i < to; i++) {
      const r = this.rows.get(i);
      if (r === undefined) {
        missing = true;
        out.push(el('div', { class: 'row loading', role: 'row', 'aria-rowindex': String(i + 2) }, '…'));
        continue;
      }
      const row = el('div', {
        class: `row kind-${r.kind}${i === this.active ? ' active' : ''}`,
        role: 'row',
        'aria-rowindex': String(i + 2),
        'aria-selected': i === this.active ? 'true' : 'false',
        id: i === this.active ? 'active-row' : `row-${i}`,
      });
      for (const text of cells(r)) row.append(el('span', { class: 'cell', role: 'gridcell' }, text));
      row.addEventListener('click', () => {
        this.setActive(i);
        this.handlers.onOpen(r);
      });
      out.push(row);
    }
    this.list.replaceChildren(...out);
    if (to > from && this.rows.has(this.active)) this.body.setAttribute('aria-activedescendant', 'active-row');
    else this.body.removeAttribute('aria-activedescendant');
    if (this.total === 0) this.list.replaceChildren(el('div', { class: 'row empty', role: 'row' }, 'No entries match the filter.'));
    if (ask && missing) this.handlers.onNeed(Math.max(0, from - OVERSCAN), visible + 2 * OVERSCAN);
    else if (missing && !ask) this.handlers.onNeed(Math.max(0, from - OVERSCAN), visible + 2 * OVERSCAN);
  }

  private renderHead(): void {
    this.head.replaceChildren();
    for (const c of COLUMNS) {
      const on = this.sort.column === c.id;
      const b = el(
        'button',
        {
          type: 'button',
          class: `col col-${c.id}`,
          role: 'columnheader',
          'aria-sort': on ? (this.sort.descending === true ? 'descending' : 'ascending') : 'none',
          title: `Sort by ${c.label}`,
        },
        `${c.label}${on ? (this.sort.descending === true ? ' ▼' : ' ▲') : ''}`,
      );
      b.addEventListener('click', () => this.handlers.onSort({ column: c.id, descending: on ? this.sort.descending !== true : false }));
      this.head.append(b);
    }
  }

  private setActive(i: number): void {
    this.active = Math.max(0, Math.min(this.total - 1, i));
    const [first, visible] = this.window();
    if (this.active < first || this.active >= first + visible - 1) {
      const full = this.total * ROW_HEIGHT;
      if (full <= MAX_SCROLL_HEIGHT)
        this.body.scrollTop = Math.max(0, this.active * ROW_HEIGHT - (this.active < first ? 0 : this.body.clientHeight - ROW_HEIGHT));
      else this.body.scrollTop = (this.active / Math.max(1, this.total - visible + 1)) * (MAX_SCROLL_HEIGHT - this.body.clientHeight);
    }
    this.render(true);
    const r = this.rows.get(this.active);
    if (r !== undefined) this.handlers.onSelect(r);
  }

  private key(e: KeyboardEvent): void {
    if (this.total === 0) return;
    const page = Math.max(1, Math.floor(this.body.clientHeight / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page };
    if (e.key in moves) this.setActive(this.active + moves[e.key]);
    else if (e.key === 'Home') this.setActive(0);
    else if (e.key === 'End') this.setActive(this.total - 1);
    else if (e.key === 'Enter') {
      const r = this.rows.get(this.active);
      if (r !== undefined) this.handlers.onOpen(r);
    } else return;
    e.preventDefault();
  }

  /** Shown in the counts line. */
  describe(): string {
    return `${thousands(this.total)} matching`;
  }
}
