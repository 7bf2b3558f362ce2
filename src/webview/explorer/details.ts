import type { EntryDetailsData } from '../../core/explain/detailsData';
import { el, inlineText } from './dom';

/**
 * The entry details pane: every field as a field/value table with its explanation. Our wording may hold
 * inline code and bold (inlineText); every value from the log is set as plain text.
 */
export function renderDetails(host: HTMLElement, details: EntryDetailsData | { error: string } | undefined, onCopy: () => void): void {
  host.replaceChildren();
  if (details === undefined) {
    host.append(el('p', { class: 'muted' }, 'Select an entry to see its details.'));
    return;
  }
  if ('error' in details) {
    host.append(el('p', { class: 'error' }, details.error));
    return;
  }
  const head = el('div', { class: 'details-head' });
  head.append(el('h2', { class: 'section-title' }, details.title));
  const copy = el('button', { type: 'button', id: 'copy-json' }, 'Copy as JSON');
  copy.addEventListener('click', onCopy);
  head.append(copy);
  host.append(head);
  if (details.problems.length > 0) {
    const list = el('ul', { class: 'problems', 'aria-label': 'Problems on this line' });
    for (const p of details.problems) list.append(el('li', {}, p));
    host.append(list);
  }
  const table = el('table', { class: 'fields' });
  const thead = el('thead');
  const hr = el('tr');
  hr.append(el('th', { scope: 'col' }, 'Field'), el('th', { scope: 'col' }, 'Value and explanation'));
  thead.append(hr);
  table.append(thead);
  const tbody = el('tbody');
  for (const f of details.fields) {
    const tr = el('tr');
    const name = el('th', { scope: 'row' });
    name.append(el('div', { class: 'field-title' }, f.title), el('code', { class: 'field-path' }, f.path));
    const cell = el('td');
    if (f.value !== undefined) cell.append(el('div', { class: 'field-value' }, f.value));
    if (f.facts.length > 0) {
      const facts = el('dl', { class: 'facts' });
      for (const fact of f.facts) {
        facts.append(el('dt', {}, fact.label));
        const dd = el('dd');
        if (fact.untrusted) dd.textContent = fact.value;
        else inlineText(dd, fact.value);
        facts.append(dd);
      }
      cell.append(facts);
    }
    for (const p of f.paragraphs) {
      const para = el('p');
      if (p.heading !== undefined) para.append(el('strong', {}, `${p.heading}. `));
      inlineText(para, p.text);
      cell.append(para);
      if (p.values !== undefined && p.values.length > 0) {
        const ul = el('ul', { class: 'values' });
        for (const v of p.values.slice(0, 20)) ul.append(el('li', {}, v));
        cell.append(ul);
      }
      if (p.command !== undefined) cell.append(el('pre', { class: 'command' }, p.command));
    }
    tr.append(name, cell);
    tbody.append(tr);
  }
  table.append(tbody);
  host.append(table);
}
