import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

/**
 * The explorer page's HTML: a shell with no log value in it (everything the log says arrives later by
 * message and is set with `textContent`), a strict content security policy and one script by nonce.
 */
export function explorerHtml(webview: vscode.Webview, scriptUri: vscode.Uri, styleUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    "img-src 'none'",
    "connect-src 'none'",
    "frame-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${styleUri.toString()}">
<title>TLS Log Explorer</title>
</head>
<body id="nfw-explorer">
<div id="app" class="app">
  <header class="toolbar" role="toolbar" aria-label="Explorer actions">
    <p id="counts" class="counts" role="status" aria-live="polite">Loading…</p>
    <button type="button" id="clear-filter" disabled>Clear filter</button>
    <button type="button" data-command="summaryReport">Summary report</button>
    <button type="button" data-command="exportCsv">Export CSV</button>
    <button type="button" data-command="exportMarkdown">Export Markdown</button>
    <button type="button" data-command="copyFailingSnis">Copy failing SNIs</button>
  </header>
  <section class="filters" aria-label="Active filter"><ul id="chips" class="chips"></ul></section>
  <section class="timeline-box" aria-labelledby="timeline-title">
    <h2 id="timeline-title" class="section-title">Timeline <span id="bucket" class="muted"></span></h2>
    <div id="legend" class="legend"></div>
    <div id="timeline" class="timeline" tabindex="0" role="group" aria-label="Entries over time"></div>
    <div id="timeline-status" class="sr-only" aria-live="polite"></div>
  </section>
  <div class="main">
    <nav id="facets" class="facets" aria-label="Facets"></nav>
    <section class="table-box" aria-label="Entries">
      <div id="table-head" class="table-head" role="row"></div>
      <div id="table" class="table" role="grid" tabindex="0" aria-label="Matching entries" aria-rowcount="0">
        <div id="table-spacer" class="table-spacer"></div>
        <div id="table-rows" class="table-rows" role="rowgroup"></div>
      </div>
    </section>
    <aside id="details" class="details" aria-label="Entry details" aria-live="polite"></aside>
  </div>
</div>
<script nonce="${nonce}" src="${scriptUri.toString()}"></script>
</body>
</html>`;
}
