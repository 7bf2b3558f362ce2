/**
 * The SNI summary (the rows of `SniModel.summary`) as CSV and as a Markdown table, for the SNI view's export
 * commands. SNIs are untrusted: each format escapes them for the programs that will open it.
 */
import { escapeMarkdownTableCell } from '../explain/markdown';
import type { SniSummaryRow } from '../sni/types';

/**
 * One CSV field (RFC 4180) for an untrusted value. A value that a spreadsheet could read as a formula (it
 * starts with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`, except the exact value `-`: a lone minus
 * sign cannot carry a formula, and it is how the logs spell "no SNI", so it stays as logged and the CSV
 * agrees with the JSON report and the files. Then the field is quoted when it holds `,`, `"`, CR or LF.
 */
export function csvField(value: string): string {
  const safe = value !== '-' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The summary as CSV: a header `sni,entries,tlsErrors,revoked,unknown`, one row per group, CRLF line ends.
 * A missing SNI field is an empty field; an empty SNI is `""`, so the two stay apart for readers that care.
 */
export function toCsv(rows: readonly SniSummaryRow[]): string {
  let out = 'sni,entries,tlsErrors,revoked,unknown\r\n';
  for (const r of rows) {
    const sni = r.sni === null ? '' : r.sni === '' ? '""' : csvField(r.sni);
    out += `${sni},${r.entries},${r.tlsErrors},${r.revoked},${r.unknown}\r\n`;
  }
  return out;
}

/**
 * The summary as a GitHub-flavoured Markdown table. SNIs are escaped with {@link escapeMarkdownTableCell};
 * `-`, an empty SNI and a missing field are followed or replaced by an italic description, which an
 * escaped value can never produce.
 */
export function toMarkdown(rows: readonly SniSummaryRow[]): string {
  let out = '| SNI | Entries | TLS errors | Revoked | Unknown |\n| --- | ---: | ---: | ---: | ---: |\n';
  for (const r of rows) {
    const sni =
      r.sni === null
        ? '*(no SNI field)*'
        : r.sni === ''
          ? '*(empty SNI)*'
          : r.sni === '-'
            ? '\\- *(no SNI in client hello)*'
            : escapeMarkdownTableCell(r.sni);
    out += `| ${sni} | ${r.entries} | ${r.tlsErrors} | ${r.revoked} | ${r.unknown} |\n`;
  }
  return out;
}
