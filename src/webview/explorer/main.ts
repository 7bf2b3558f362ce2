/**
 * The TLS Log Explorer page. It keeps the user's filter and sort (in the webview's state, so they survive
 * the panel being hidden or restored), asks the extension host for the aggregates and the rows in view, and
 * draws them. Every value from a log is set with textContent (dom.ts).
 */
import type { EntryDetailsData } from '../../core/explain/detailsData';
import type { HostMessage, PageMessage, PageRow } from '../../core/explore/protocol';
import type { ExplorerFilter, ExplorerSort, FacetName } from '../../core/explore/types';
import { FACET_LABELS } from '../../core/explore/types';
import { renderDetails } from './details';
import { byId, el, thousands, utc } from './dom';
import { labelOfKey, markOf, renderFacets } from './facets';
import { TableView } from './table';
import { TimelineView } from './timeline';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

interface PageState {
  filter: ExplorerFilter;
  sort: ExplorerSort;
}

const vscode = acquireVsCodeApi();
const saved = vscode.getState() as PageState | undefined;
let state: PageState = saved ?? { filter: {}, sort: { column: 'time' } };
let queryId = 0;
let shownSummary = { id: -1, version: -1 };
let shownRows = { id: -1, version: -1 };
let selected: PageRow | undefined;
let details: EntryDetailsData | { error: string } | undefined;

const post = (m: PageMessage): void => vscode.postMessage(m);

const table = new TableView(
  { head: 'table-head', body: 'table', spacer: 'table-spacer', rows: 'table-rows' },
  {
    onNeed: (offset, limit) => post({ type: 'query', id: queryId, filter: state.filter, sort: state.sort, offset, limit }),
    onSort: (sort) => update({ sort }),
    onOpen: (row) => {
      selected = row;
      post({ type: 'open', sourceKey: row.sourceKey, line: row.line });
      post({ type: 'details', sourceKey: row.sourceKey, line: row.line });
    },
    onSelect: (row) => {
      selected = row;
      post({ type: 'details', sourceKey: row.sourceKey, line: row.line });
    },
  },
);

const timeline = new TimelineView(byId('timeline'), byId('legend'), byId('timeline-status'), (from, to) => {
  if (Number.isNaN(from)) update({ filter: { ...state.filter, from: undefined, to: undefined } });
  else update({ filter: { ...state.filter, from, to } });
});

function update(change: Partial<PageState>): void {
  state = { ...state, ...change };
  vscode.setState(state);
  table.setSort(state.sort);
  ask();
}

function ask(): void {
  queryId++;
  table.toTop();
  post({ type: 'query', id: queryId, filter: state.filter, sort: state.sort, offset: 0, limit: 100 });
  renderChips();
}

function toggle(facet: FacetName, key: string): void {
  const mark = markOf(state.filter, facet, key);
  const include = { ...state.filter.include };
  const exclude = { ...state.filter.exclude };
  const without = (list: readonly string[] | undefined): string[] => (list ?? []).filter((k) => k !== key);
  include[facet] = without(include[facet]);
  exclude[facet] = without(exclude[facet]);
  if (mark === 'none') include[facet] = [...(include[facet] ?? []), key];
  else if (mark === 'include') exclude[facet] = [...(exclude[facet] ?? []), key];
  update({ filter: { ...state.filter, include, exclude } });
}

function renderChips(): void {
  const chips = byId('chips');
  chips.replaceChildren();
  const f = state.filter;
  const add = (text: string, clear: () => void): void => {
    const b = el('button', { type: 'button', class: 'chip', 'aria-label': `Remove filter: ${text}` }, `${text} ✕`);
    b.addEventListener('click', clear);
    const li = el('li');
    li.append(b);
    chips.append(li);
  };
  if (f.from !== undefined || f.to !== undefined) {
    add(`Time ${utc(f.from ?? NaN, 's')} – ${utc(f.to ?? NaN, 's')}`, () =>
      update({ filter: { ...state.filter, from: undefined, to: undefined } }),
    );
  }
  for (const [mark, lists] of [
    ['is', f.include],
    ['is not', f.exclude],
  ] as const) {
    for (const [facet, keys] of Object.entries(lists ?? {}) as [FacetName, string[]][]) {
      for (const key of keys) add(`${FACET_LABELS[facet]} ${mark} ${labelOfKey(key)}`, () => toggle(facet, key));
    }
  }
  const any = chips.childElementCount > 0;
  (byId('clear-filter') as HTMLButtonElement).disabled = !any;
  if (!any) chips.append(el('li', { class: 'muted' }, 'No filter: every entry of the open logs and scanned folders.'));
}

function receive(m: HostMessage): void {
  switch (m.type) {
    case 'restore':
      if (saved === undefined || m.force === true) state = { filter: m.filter, sort: m.sort };
      vscode.setState(state);
      table.setSort(state.sort);
      ask();
      return;
    case 'summary': {
      if (m.id < queryId) return;
      // Scrolling asks again with the same question: the same summary needs no repaint.
      if (m.id === shownSummary.id && m.summary.version === shownSummary.version) return;
      shownSummary = { id: m.id, version: m.summary.version };
      const s = m.summary;
      byId('counts').textContent =
        s.total === 0
          ? 'No entries yet: open a TLS log or scan a folder.'
          : `${thousands(s.matched)} of ${thousands(s.total)} entries${Number.isFinite(s.matchedExtent.first) ? `, ${utc(s.matchedExtent.first, 's')} to ${utc(s.matchedExtent.last, 's')}` : ''}`;
      byId('bucket').textContent = s.timeline.buckets > 0 ? `(bars of ${m.bucketLabel}, UTC)` : '';
      timeline.show(s);
      renderFacets(byId('facets'), s.facets, state.filter, (facet, key) => toggle(facet, key));
      return;
    }
    case 'rows':
      // Answers to an older question are dropped; a new question or a changed model replaces the rows held,
      // more rows of the same answer (scrolling) are added to them.
      if (m.id < queryId) return;
      if (m.id !== shownRows.id || m.version !== shownRows.version) {
        shownRows = { id: m.id, version: m.version };
        table.reset(m.total, m.offset, m.rows);
      } else table.put(m.offset, m.rows);
      return;
    case 'details':
      details = m.details;
      renderDetails(byId('details'), details, () => {
        if (selected !== undefined) post({ type: 'copyJson', sourceKey: selected.sourceKey, line: selected.line });
      });
      return;
    case 'busy':
      byId('app').setAttribute('aria-busy', m.busy ? 'true' : 'false');
      return;
  }
}

window.addEventListener('message', (e: MessageEvent) => receive(e.data as HostMessage));
byId('clear-filter').addEventListener('click', () => update({ filter: {} }));
for (const b of document.querySelectorAll<HTMLButtonElement>('button[data-command]')) {
  b.addEventListener('click', () => post({ type: 'command', command: b.dataset.command as 'summaryReport' }));
}
renderDetails(byId('details'), undefined, () => undefined);
renderChips();
post({ type: 'ready' });
