/**
 * What the explorer writes out: the summary report (a Markdown document of the filtered entries) and the
 * per-SNI exports of the filtered entries (CSV, Markdown), with the SNIs in the order the table shows
 * them. Log values are untrusted: CSV fields go through csvField, Markdown values are code spans.
 */
import { codeSpan } from '../explain/markdown';
import { firewallLabel, isNamedFirewall, sniLabel, type SniKey } from '../parse/entryKind';
import {
  FACET_LABELS,
  FACETS,
  TIMELINE_KIND_LABELS,
  TIMELINE_KINDS,
  type ExplorerFilter,
  type ExplorerRow,
  type ExplorerSummary,
  type FacetName,
} from '../explore/types';
import { thousands } from '../text';
import { csvField } from './csv';

/** Distinct destinations listed per SNI in an export. */
const MAX_DESTINATIONS = 20;
const ACTIONS = ['PASS', 'DROP', 'REJECT', 'other'] as const;

/** One SNI of the filtered entries. */
export interface SniRollup {
  readonly sni: SniKey;
  entries: number;
  /** By TIMELINE_KINDS index. */
  readonly byKind: number[];
  first: number;
  last: number;
  readonly destinations: Set<string>;
  /** More destinations than listed. */
  moreDestinations: boolean;
  readonly firewalls: Set<string | null>;
  /** PASS, DROP, REJECT, other. */
  readonly actions: number[];
}

/** Gathers rows into per-SNI rollups, in the order SNIs first appear (the table's order). */
export class SniRollups {
  readonly bySni = new Map<SniKey, SniRollup>();

  add(row: ExplorerRow): void {
    let r = this.bySni.get(row.sni);
    if (r === undefined) {
      r = {
        sni: row.sni,
        entries: 0,
        byKind: TIMELINE_KINDS.map(() => 0),
        first: NaN,
        last: NaN,
        destinations: new Set(),
        moreDestinations: false,
        firewalls: new Set(),
        actions: [0, 0, 0, 0],
      };
      this.bySni.set(row.sni, r);
    }
    r.entries++;
    r.byKind[TIMELINE_KINDS.indexOf(row.kind)]++;
    if (!Number.isNaN(row.timeMs)) {
      if (!(row.timeMs >= r.first)) r.first = row.timeMs;
      if (!(row.timeMs <= r.last)) r.last = row.timeMs;
    }
    if (row.destination !== '' && !r.destinations.has(row.destination)) {
      if (r.destinations.size < MAX_DESTINATIONS) r.destinations.add(row.destination);
      else r.moreDestinations = true;
    }
    r.firewalls.add(row.firewall);
    const a = ACTIONS.indexOf(row.action as (typeof ACTIONS)[number]);
    if (a >= 0) r.actions[a]++;
  }

  /** SNIs with a revoked, unknown or TLS error entry, in order, without the non-names (`-`, empty, absent). */
  failingSnis(): string[] {
    const out: string[] = [];
    const failing = TIMELINE_KINDS.map((k) => k !== 'otherStatus');
    for (const r of this.bySni.values()) {
      if (r.sni === null || r.sni === '-' || r.sni === '') continue;
      if (r.byKind.some((c, k) => c > 0 && failing[k])) out.push(r.sni);
    }
    return out;
  }
}

const iso = (ms: number): string => (Number.isNaN(ms) ? '' : new Date(ms).toISOString());

/**
 * The rollups as CSV (RFC 4180, CRLF): SNI as the SNI view spells it (`(empty SNI)`, `(no SNI field)`,
 * `(no SNI in client hello)` for `-`), counts by kind, first and last seen (ISO 8601, UTC), destinations and
 * firewalls separated by spaces, and revocation checks by action.
 */
export function rollupCsv(rollups: Iterable<SniRollup>): string {
  const head = [
    'sni',
    'entries',
    ...TIMELINE_KINDS,
    'firstSeen',
    'lastSeen',
    'destinations',
    'firewalls',
    'pass',
    'drop',
    'reject',
    'otherAction',
  ];
  let out = `${head.join(',')}\r\n`;
  for (const r of rollups) {
    const destinations = [...r.destinations].join(' ') + (r.moreDestinations ? ' …' : '');
    const firewalls = [...r.firewalls].map(firewallLabel).join(' ');
    const cells = [
      csvField(sniLabel(r.sni)),
      String(r.entries),
      ...r.byKind.map(String),
      iso(r.first),
      iso(r.last),
      csvField(destinations),
      csvField(firewalls),
      ...r.actions.map(String),
    ];
    out += `${cells.join(',')}\r\n`;
  }
  return out;
}

/** A log value in a Markdown table cell: a code span, its pipes escaped (GFM splits cells before code spans). */
function cellValue(text: string): string {
  return codeSpan(text).replace(/\|/g, '\\|');
}

/** An SNI in Markdown: a code span of the value, or the view's words for `-`, empty and absent. */
function sniCell(sni: SniKey): string {
  if (sni === null || sni === '') return `*${sniLabel(sni)}*`;
  if (sni === '-') return `${cellValue('-')} *(no SNI in client hello)*`;
  return cellValue(sni);
}

/** The rollups as a Markdown table; values in code spans. */
export function rollupMarkdown(rollups: Iterable<SniRollup>): string {
  let out =
    '| SNI | Entries | REVOKED | UNKNOWN | TLS errors | First seen | Last seen | Destinations | Firewalls | PASS / DROP / REJECT / other |\n' +
    '| --- | ---: | ---: | ---: | ---: | --- | --- | --- | --- | --- |\n';
  for (const r of rollups) {
    const tls = r.byKind[2] + r.byKind[3] + r.byKind[4];
    const dests = [...r.destinations].map(cellValue).join(' ') + (r.moreDestinations ? ' …' : '');
    const fws = [...r.firewalls].map((f) => (isNamedFirewall(f) ? cellValue(f) : `*${firewallLabel(f)}*`)).join(' ');
    out += `| ${sniCell(r.sni)} | ${r.entries} | ${r.byKind[0]} | ${r.byKind[1]} | ${tls} | ${iso(r.first)} | ${iso(r.last)} | ${dests} | ${fws} | ${r.actions.join(' / ')} |\n`;
  }
  return out;
}

/** The filter in words, one item per condition; facet values as code spans. */
export function describeFilter(filter: ExplorerFilter): string[] {
  const out: string[] = [];
  if (filter.from !== undefined || filter.to !== undefined)
    out.push(`Time from ${iso(filter.from ?? NaN) || 'the start'} to ${iso(filter.to ?? NaN) || 'the end'} (end excluded)`);
  const value = (key: string): string => {
    try {
      const v = JSON.parse(key) as unknown;
      return v === null ? '*(none)*' : codeSpan(Array.isArray(v) ? v.map((x) => (x === null ? '?' : String(x))).join(':') : String(v));
    } catch {
      return codeSpan(key);
    }
  };
  for (const f of FACETS) {
    const inc = filter.include?.[f] ?? [];
    const exc = filter.exclude?.[f] ?? [];
    if (inc.length > 0) out.push(`${FACET_LABELS[f]} is ${inc.map(value).join(' or ')}`);
    if (exc.length > 0) out.push(`${FACET_LABELS[f]} is not ${exc.map(value).join(' or ')}`);
  }
  return out;
}

/** What the summary report is made of. */
export interface SummaryReportInput {
  readonly summary: ExplorerSummary;
  readonly filter: ExplorerFilter;
  /** Revocation checks by status (the status facet's values) and action: counts PASS, DROP, REJECT, other. */
  readonly actionsByStatus: readonly { readonly key: string; readonly label: string; readonly actions: readonly number[] }[];
  readonly files: number;
  readonly generatedAt: number;
}

/** The summary report: time range, totals by kind, top values, actions by status, per firewall and zone, the filter. */
export function summaryReportMarkdown(input: SummaryReportInput): string {
  const s = input.summary;
  const lines: string[] = ['# TLS log summary', ''];
  lines.push(`Generated ${iso(input.generatedAt)} from ${thousands(input.files)} file${input.files === 1 ? '' : 's'}.`, '');
  lines.push('## Filter', '');
  const conditions = describeFilter(input.filter);
  lines.push(...(conditions.length === 0 ? ['No filter: every entry.'] : conditions.map((c) => `- ${c}`)), '');
  lines.push('## Time range', '');
  lines.push(
    Number.isNaN(s.matchedExtent.first)
      ? 'No dated entry.'
      : `From ${iso(s.matchedExtent.first)} to ${iso(s.matchedExtent.last)} (UTC)${s.timeline.undated > 0 ? `; ${thousands(s.timeline.undated)} entries without a usable time` : ''}.`,
    '',
  );
  lines.push('## Totals by kind', '', '| Kind | Entries |', '| --- | ---: |');
  TIMELINE_KINDS.forEach((k, i) => lines.push(`| ${TIMELINE_KIND_LABELS[k]} | ${thousands(s.byKind[i])} |`));
  lines.push(`| **All** | **${thousands(s.matched)}** of ${thousands(s.total)} |`, '');
  const facet = (name: FacetName, title: string): void => {
    const f = s.facets.find((x) => x.name === name);
    if (f === undefined) return;
    lines.push(`## ${title}`, '');
    if (f.values.length === 0) {
      lines.push('None.', '');
      return;
    }
    lines.push(`| ${FACET_LABELS[name]} | Entries |`, '| --- | ---: |');
    for (const v of f.values) lines.push(`| ${keyCell(v.key, v.label)} | ${thousands(v.count)} |`);
    if (f.distinct > f.values.length) lines.push(`| *…and ${thousands(f.distinct - f.values.length)} more* | |`);
    lines.push('');
  };
  facet('sni', 'Top SNIs');
  facet('destination', 'Top destinations');
  facet('source', 'Top clients (source addresses)');
  lines.push('## Revocation checks: actions by status', '');
  if (input.actionsByStatus.length === 0) lines.push('No revocation check.', '');
  else {
    lines.push('| Status | PASS | DROP | REJECT | Other |', '| --- | ---: | ---: | ---: | ---: |');
    for (const row of input.actionsByStatus) lines.push(`| ${keyCell(row.key, row.label)} | ${row.actions.map(thousands).join(' | ')} |`);
    lines.push('');
  }
  facet('firewall', 'Per firewall');
  facet('zone', 'Per availability zone');
  return lines.join('\n');
}

/** A facet value in a table cell: the logged value as a code span, or our words for "absent". */
function keyCell(key: string, label: string): string {
  try {
    const v = JSON.parse(key) as unknown;
    if (v === null || v === '') return `*${label}*`;
    if (typeof v === 'string' && (v === '-' || v.trim() === '')) return `${cellValue(v)} *${label}*`;
    return cellValue(Array.isArray(v) ? v.map((x) => (x === null ? '?' : String(x))).join(':') : String(v));
  } catch {
    return cellValue(label);
  }
}
