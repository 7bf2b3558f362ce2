/**
 * How each facet reads a row: a dense value id per row (0..size-1), the key a filter names the value by, and
 * the label the page shows. Keys are the JSON of the value as logged (`null` when absent), so every logged
 * value, even `"-"` or an empty string, has its own key and no key can be confused with "absent".
 */
import { REVOCATION_ACTIONS } from '../parse/format';
import { E_MISMATCH, E_NO_SNI, E_OTHER, firewallLabel } from '../parse/entryKind';
import { destOfKey, ipText } from '../sni/columns';
import type { ModelColumns } from '../sni/columns';
import { endpointText, oneLine, sniText } from '../text';
import type { FacetName } from './types';

/** Action ids: 0 = none (a TLS error), then 1 + index in PASS, DROP, REJECT, other. */
const ACTION_VALUES: readonly (string | null)[] = [null, ...REVOCATION_ACTIONS, 'other'];
/** Error-kind ids, as entryKind.ts's TlsErrorKind. */
const ERROR_KIND_VALUES: readonly (string | null)[] = [null, 'noSni', 'mismatch', 'other'];
const ERROR_KIND_LABELS: Readonly<Record<number, string>> = {
  [E_NO_SNI]: 'No SNI in client hello',
  [E_MISMATCH]: 'Name mismatch',
  [E_OTHER]: 'Other TLS error',
};

/** One facet over one version of the model's columns. */
export interface FacetTable {
  readonly name: FacetName;
  /** Value ids are 0..size-1. */
  readonly size: number;
  /** The value an id stands for, as logged; null when absent. */
  value(id: number): unknown;
  key(id: number): string;
  label(id: number): string;
  /** The id of a key, or undefined when no entry holds that value. */
  idOf(key: string): number | undefined;
}

/** The facet tables of a version of the model's columns. */
export function facetTables(cols: ModelColumns): Record<FacetName, FacetTable> {
  const dest = (id: number): { ip: string | null; port: number | null } => {
    if (id === 0) return { ip: null, port: null };
    const { ip, port } = destOfKey(cols.dests[id - 1]);
    return { ip: ip < 0 ? null : ipText(ip, cols.ips), port: port < 0 ? null : port };
  };
  return {
    sni: table(
      'sni',
      cols.snis.length,
      (id) => cols.snis[id],
      (id) => sniText(cols.snis[id] ?? undefined),
    ),
    destination: table(
      'destination',
      cols.dests.length + 1,
      (id) => {
        const d = dest(id);
        return d.ip === null && d.port === null ? null : [d.ip, d.port];
      },
      (id) => {
        const d = dest(id);
        return d.ip === null && d.port === null ? '(none)' : endpointText(d.ip === null ? '?' : oneLine(d.ip, 45), d.port ?? undefined);
      },
    ),
    source: table(
      'source',
      cols.srcs.length + 1,
      (id) => (id === 0 ? null : cols.srcs[id - 1]),
      (id) => absent(id, cols.srcs),
    ),
    firewall: table(
      'firewall',
      cols.firewalls.length,
      (id) => cols.firewalls[id],
      (id) => oneLine(firewallLabel(cols.firewalls[id])),
    ),
    zone: table(
      'zone',
      cols.zones.length + 1,
      (id) => (id === 0 ? null : cols.zones[id - 1]),
      (id) => absent(id, cols.zones),
    ),
    status: table(
      'status',
      cols.statuses.length + 1,
      (id) => (id === 0 ? null : cols.statuses[id - 1]),
      (id) => absent(id, cols.statuses),
    ),
    action: table(
      'action',
      ACTION_VALUES.length,
      (id) => ACTION_VALUES[id],
      (id) => (id === 0 ? '(none: TLS error)' : id === ACTION_VALUES.length - 1 ? '(other or missing)' : String(ACTION_VALUES[id])),
    ),
    errorKind: table(
      'errorKind',
      ERROR_KIND_VALUES.length,
      (id) => ERROR_KIND_VALUES[id],
      (id) => (id === 0 ? '(none: revocation check)' : ERROR_KIND_LABELS[id]),
    ),
    fingerprint: table(
      'fingerprint',
      cols.fprs.length + 1,
      (id) => (id === 0 ? null : cols.fprs[id - 1]),
      (id) => absent(id, cols.fprs),
    ),
  };
}

function absent(id: number, values: readonly string[]): string {
  if (id === 0) return '(none)';
  const v = values[id - 1];
  return v.trim() === '' ? '(blank)' : oneLine(v);
}

function table(name: FacetName, size: number, value: (id: number) => unknown, label: (id: number) => string): FacetTable {
  let byKey: Map<string, number> | undefined;
  const key = (id: number): string => JSON.stringify(value(id) ?? null);
  return {
    name,
    size,
    value,
    key,
    label,
    idOf(k: string): number | undefined {
      if (byKey === undefined) {
        byKey = new Map();
        for (let id = 0; id < size; id++) if (!byKey.has(key(id))) byKey.set(key(id), id);
      }
      return byKey.get(k);
    },
  };
}
