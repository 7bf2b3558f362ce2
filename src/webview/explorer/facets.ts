import { FACET_LABELS, FACET_TOP, type ExplorerFilter, type FacetName, type FacetSummary } from '../../core/explore/types';
import { el, thousands } from './dom';

/** A facet value's place in the filter. */
export type Mark = 'none' | 'include' | 'exclude';

export function markOf(filter: ExplorerFilter, facet: FacetName, key: string): Mark {
  if (filter.include?.[facet]?.includes(key) === true) return 'include';
  if (filter.exclude?.[facet]?.includes(key) === true) return 'exclude';
  return 'none';
}

/**
 * The facets: each with its top values as buttons. A click cycles a value through "only these", "all but
 * these" and back; `onToggle` receives the facet, the value's key and label.
 */
export function renderFacets(
  host: HTMLElement,
  facets: readonly FacetSummary[],
  filter: ExplorerFilter,
  onToggle: (facet: FacetName, key: string, label: string) => void,
): void {
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focusKey : undefined;
  host.replaceChildren();
  for (const f of facets) {
    // A facet with values shown only lists its values as the other conditions leave them, so that more can be
    // added: each count is what that value has among the entries the rest of the filter keeps.
    const shown = f.others ?? f;
    const box = el('section', { class: 'facet', 'aria-label': FACET_LABELS[f.name] });
    const top = Math.min(shown.values.length, FACET_TOP);
    const more = shown.distinct > top ? ` (top ${top} of ${thousands(shown.distinct)})` : '';
    const title = el('h3', { class: 'facet-title' }, `${FACET_LABELS[f.name]}${more}`);
    if (f.others !== undefined) {
      title.append(el('span', { class: 'facet-note' }, ' · counted without its own filter'));
      title.title = `Each count is the value's entries among those the rest of the filter keeps; click a value to show it too.`;
    }
    box.append(title);
    const list = el('ul', { class: 'facet-values' });
    for (const v of shown.values) {
      const mark = markOf(filter, f.name, v.key);
      const button = el('button', {
        type: 'button',
        class: `facet-value mark-${mark}`,
        'aria-pressed': mark === 'none' ? 'false' : 'true',
        'aria-label': `${FACET_LABELS[f.name]} ${v.label}: ${thousands(v.count)} entries${mark === 'include' ? ', shown only' : mark === 'exclude' ? ', left out' : ''}`,
        title: mark === 'none' ? 'Click: only these. Again: all but these.' : mark === 'include' ? 'Click: all but these' : 'Click: clear',
      });
      button.dataset.focusKey = `${f.name}\u0000${v.key}`;
      const label = el('span', { class: 'facet-label' }, v.label);
      const count = el('span', { class: 'facet-count' }, thousands(v.count));
      button.append(label, count);
      button.addEventListener('click', () => onToggle(f.name, v.key, v.label));
      const item = el('li');
      item.append(button);
      list.append(item);
    }
    // Values in the filter that no longer show (excluded ones have no entries) stay visible, to be cleared.
    for (const [mark, lists] of [['exclude', filter.exclude]] as const) {
      for (const key of lists?.[f.name] ?? []) {
        if (shown.values.some((v) => v.key === key)) continue;
        const button = el('button', { type: 'button', class: `facet-value mark-${mark}`, 'aria-pressed': 'true', title: 'Click: clear' });
        button.dataset.focusKey = `${f.name}\u0000${key}`;
        button.append(el('span', { class: 'facet-label' }, labelOfKey(key)), el('span', { class: 'facet-count' }, '0'));
        button.addEventListener('click', () => onToggle(f.name, key, labelOfKey(key)));
        const item = el('li');
        item.append(button);
        list.append(item);
      }
    }
    if (shown.values.length === 0 && list.childElementCount === 0) list.append(el('li', { class: 'muted' }, 'No entries'));
    box.append(list);
    host.append(box);
  }
  if (focused !== undefined) {
    for (const b of host.querySelectorAll<HTMLElement>('button')) if (b.dataset.focusKey === focused) b.focus();
  }
}

/** A readable form of a value key (the JSON of the logged value). */
export function labelOfKey(key: string): string {
  try {
    const v = JSON.parse(key) as unknown;
    if (v === null) return '(none)';
    if (Array.isArray(v)) return v.map((x) => (x === null ? '?' : String(x))).join(':');
    return String(v);
  } catch {
    return key;
  }
}
