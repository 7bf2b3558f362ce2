/**
 * Ids of the SNI tree's nodes. An id names a node by what it shows (scope, SNI, kind, page offset, or an
 * entry's source and line), never by position, so a node keeps its id while the model changes around it and
 * the tree can reveal a node it has not listed yet.
 *
 * Scheme (each <...> is encoded with encodeIdPart, so it never holds '/', ':', '#'):
 *   src:<source>                         a source (group by source)
 *   fw:<firewall>                        a firewall (group by firewall)
 *   [src:<source>/|fw:<firewall>/]sni:<sni>
 *   [src:<source>/|fw:<firewall>/]more:<offset>   "more SNIs": a scope's groups from offset on
 *   <sni node>/kind:<kind>               kind is one of GROUP_KINDS
 *   <kind node>/page:<offset>            "show more": entries from offset on
 *   <kind node>/entry:<source>#<line>    one entry; its id does not depend on paging
 */
import { GROUP_KINDS, type GroupKind, type SniKey } from '../parse/entryKind';
import { MAX_LINE } from './columns';
import type { Scope } from './types';

/** The parsed form of a node id. */
export type NodeRef =
  | { readonly type: 'source'; readonly source: string }
  | { readonly type: 'firewall'; readonly firewall: string | null }
  | { readonly type: 'sni'; readonly scope: Scope; readonly sni: SniKey }
  | { readonly type: 'more'; readonly scope: Scope; readonly offset: number }
  | { readonly type: 'kind'; readonly scope: Scope; readonly sni: SniKey; readonly kind: GroupKind }
  | { readonly type: 'page'; readonly scope: Scope; readonly sni: SniKey; readonly kind: GroupKind; readonly offset: number }
  | {
      readonly type: 'entry';
      readonly scope: Scope;
      readonly sni: SniKey;
      readonly kind: GroupKind;
      readonly source: string;
      readonly line: number;
    };

/**
 * Encodes a value for a node id: `[A-Za-z0-9._~-]` stay as they are, every other UTF-16 code unit becomes
 * `%` and four upper-case hex digits (so lone surrogates round-trip too), and `null` becomes `!`.
 */
export function encodeIdPart(value: string | null): string {
  if (value === null) return '!';
  let out = '';
  let run = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (isSafeIdChar(c)) continue;
    out += value.slice(run, i) + '%' + c.toString(16).toUpperCase().padStart(4, '0');
    run = i + 1;
  }
  return run === 0 ? value : out + value.slice(run);
}

/** Reverses {@link encodeIdPart}; undefined when `text` is not something it produces. */
export function decodeIdPart(text: string): string | null | undefined {
  if (text === '!') return null;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSafeIdChar(c)) {
      out += text[i];
    } else if (c === 0x25 && /^[0-9A-F]{4}$/.test(text.slice(i + 1, i + 5))) {
      const unit = parseInt(text.slice(i + 1, i + 5), 16);
      if (isSafeIdChar(unit)) return undefined; // not canonical: ids must be unique
      out += String.fromCharCode(unit);
      i += 4;
    } else {
      return undefined;
    }
  }
  return out;
}

function isSafeIdChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e
  );
}

function scopePrefix(scope: Scope): string {
  if (scope.by === 'source') return `src:${encodeIdPart(scope.source)}/`;
  if (scope.by === 'firewall') return `fw:${encodeIdPart(scope.firewall)}/`;
  return '';
}

/** The id of a node. Ids are unique across node kinds and scopes, and {@link parseNodeId} reverses them. */
export function nodeId(ref: NodeRef): string {
  switch (ref.type) {
    case 'source':
      return `src:${encodeIdPart(ref.source)}`;
    case 'firewall':
      return `fw:${encodeIdPart(ref.firewall)}`;
    case 'sni':
      return `${scopePrefix(ref.scope)}sni:${encodeIdPart(ref.sni)}`;
    case 'more':
      return `${scopePrefix(ref.scope)}more:${ref.offset}`;
    case 'kind':
      return `${scopePrefix(ref.scope)}sni:${encodeIdPart(ref.sni)}/kind:${ref.kind}`;
    case 'page':
      return `${scopePrefix(ref.scope)}sni:${encodeIdPart(ref.sni)}/kind:${ref.kind}/page:${ref.offset}`;
    case 'entry':
      return `${scopePrefix(ref.scope)}sni:${encodeIdPart(ref.sni)}/kind:${ref.kind}/entry:${encodeIdPart(ref.source)}#${ref.line}`;
  }
}

/** Parses an id made by {@link nodeId}; undefined for anything else. */
export function parseNodeId(id: string): NodeRef | undefined {
  const parts = id.split('/');
  let i = 0;
  let scope: Scope = { by: 'all' };
  const first = splitSegment(parts[0]);
  if (first === undefined) return undefined;
  if (first.name === 'src' || first.name === 'fw') {
    const value = decodeIdPart(first.value);
    if (value === undefined) return undefined;
    if (first.name === 'src') {
      if (value === null) return undefined;
      if (parts.length === 1) return { type: 'source', source: value };
      scope = { by: 'source', source: value };
    } else {
      if (parts.length === 1) return { type: 'firewall', firewall: value };
      scope = { by: 'firewall', firewall: value };
    }
    i = 1;
  }
  const sniSeg = splitSegment(parts[i]);
  if (sniSeg?.name === 'more' && parts.length === i + 1) {
    const offset = parseIndex(sniSeg.value);
    return offset === undefined ? undefined : { type: 'more', scope, offset };
  }
  if (sniSeg === undefined || sniSeg.name !== 'sni') return undefined;
  const sni = decodeIdPart(sniSeg.value);
  if (sni === undefined) return undefined;
  if (parts.length === i + 1) return { type: 'sni', scope, sni };
  const kindSeg = splitSegment(parts[i + 1]);
  if (kindSeg === undefined || kindSeg.name !== 'kind') return undefined;
  const kind = GROUP_KINDS.find((k) => k === kindSeg.value);
  if (kind === undefined) return undefined;
  if (parts.length === i + 2) return { type: 'kind', scope, sni, kind };
  if (parts.length !== i + 3) return undefined;
  const last = splitSegment(parts[i + 2]);
  if (last === undefined) return undefined;
  if (last.name === 'page') {
    const offset = parseIndex(last.value);
    return offset === undefined ? undefined : { type: 'page', scope, sni, kind, offset };
  }
  if (last.name === 'entry') {
    const hash = last.value.indexOf('#');
    if (hash < 0) return undefined;
    const source = decodeIdPart(last.value.slice(0, hash));
    const line = parseIndex(last.value.slice(hash + 1));
    if (source === undefined || source === null || line === undefined) return undefined;
    return { type: 'entry', scope, sni, kind, source, line };
  }
  return undefined;
}

function splitSegment(segment: string | undefined): { name: string; value: string } | undefined {
  if (segment === undefined) return undefined;
  const colon = segment.indexOf(':');
  return colon < 0 ? undefined : { name: segment.slice(0, colon), value: segment.slice(colon + 1) };
}

function parseIndex(text: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,9})$/.test(text)) return undefined;
  const n = Number(text);
  return n <= MAX_LINE ? n : undefined;
}
