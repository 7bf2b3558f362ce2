import * as assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { writeLog } from '../../bench/generate';
import type { HostMessage } from '../../src/core/explore/protocol';
import type { ExtensionApi } from '../../src/extension';
import {
  EXTENSION_ID,
  canCaptureWorkbench,
  closeAllEditors,
  fixtureUri,
  makeTempDir,
  openDocument,
  repoRoot,
  requestScreenshot,
  requestWebviewDom,
  screenshotPath,
  waitFor,
} from './util';

const HOSTILE_FILE = 'explorer/111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1900Z_0badc0de.log';
const IMG_SNI = '<img src=x onerror=alert(1)>';
const SCRIPT_SNI = "<script>document.title='pwned'</script>";
/** The explorer page's body: requestWebviewDom searches only the frame that holds it. */
const PAGE = '#nfw-explorer';

let api: ExtensionApi;

const modelChanged: vscode.Event<unknown> = (listener) => ({ dispose: api.sniModel.onDidChange(() => listener(undefined)) });

/** Resolves with the first message the explorer posts that `check` accepts. */
function posted<T>(check: (m: HostMessage) => T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  let hit: T | undefined;
  return waitFor(
    (listener) =>
      api.explorer.onDidPost((m) => {
        const v = check(m);
        if (v !== undefined && v !== false) hit = v;
        listener(m);
      }),
    () => hit,
    timeoutMs,
    what,
  );
}

/** Polls the page's DOM until `check` accepts what a query returns. */
async function domSettles(
  selector: string,
  check: (values: string[]) => boolean,
  attribute?: string,
  timeoutMs = 15_000,
): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let last: string[] = [];
  while (Date.now() < deadline) {
    last = await requestWebviewDom(selector, PAGE, attribute === undefined ? {} : { attribute });
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the explorer's ${selector} did not settle: ${JSON.stringify(last).slice(0, 500)}`);
}

describe('TLS Log Explorer', () => {
  before(async function () {
    this.timeout(90_000);
    const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(ext);
    api = await ext.activate();
    // The first webview of the window can take long to come up in code-server (once, in a loaded CI run,
    // more than 30 s): the page is brought up once, with a long bound, before the tests time what it does.
    const first = posted((m) => m.type === 'summary' && m, 'the first page to answer', 75_000);
    api.explorer.show({});
    await first;
    api.explorer.webviewPanel?.dispose();
  });

  afterEach(async () => {
    api.explorer.webviewPanel?.dispose();
    await closeAllEditors();
  });

  it('opens on the open logs: timeline, facets and table, with hostile SNIs shown as text', async function () {
    this.timeout(60_000);
    const sample = vscode.Uri.joinPath(
      vscode.Uri.file(repoRoot()),
      'samples/AWSLogs/111122223333/network-firewall/tls/us-east-1/egress-fw/2024/07/02/18',
    );
    const names = (await vscode.workspace.fs.readDirectory(sample)).map(([name]) => name).filter((n) => n.endsWith('.log'));
    const sampleUri = vscode.Uri.joinPath(sample, names.sort()[0]);
    await openDocument(sampleUri);
    await openDocument(fixtureUri(HOSTILE_FILE));
    await waitFor(modelChanged, () => api.sniModel.sourceKeys().length === 2, 10_000, 'both logs in the model');
    const total = api.sniModel.totalEntries;

    const rows = posted((m) => m.type === 'rows' && m.total > 0 && m, 'the first rows');
    const summary = posted((m) => m.type === 'summary' && m.summary.total > 0 && m.summary, 'the first summary');
    await vscode.commands.executeCommand('nfwTlsLogs.openExplorer');
    const s = await summary;
    assert.equal(s.total, total);
    assert.equal(s.matched, total);
    assert.ok(s.timeline.buckets > 0 && s.timeline.counts.some((c) => c > 0));
    const r = await rows;
    assert.ok(r.rows.length > 0);
    const firstSni = r.rows[0].sni;

    // The CSP and the shell, as VS Code was given them.
    const html = api.explorer.webviewPanel?.webview.html ?? '';
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handler');
    // Nothing remote: every address is the extension's own file, or the webview's resource origin in the CSP.
    const webview = (api.explorer.webviewPanel as vscode.WebviewPanel).webview;
    const own = webview.asWebviewUri(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri).toString();
    const allowed = [own, ...webview.cspSource.split(/\s+/)];
    for (const url of html.match(/https?:\/\/[^\s"';>]+/g) ?? []) {
      assert.ok(
        allowed.some((a) => url.startsWith(a) || url === a),
        `${url} is not one of the extension's files`,
      );
    }

    if (!canCaptureWorkbench()) return;
    // The page as drawn: the CSP in force, one script (ours, by nonce), the timeline's bars, the table's rows.
    const [csp] = await domSettles('meta[http-equiv="Content-Security-Policy"]', (v) => v.length === 1, 'content');
    assert.match(csp, /^default-src 'none';/);
    assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]+'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|data:|blob:/);
    assert.equal(
      csp,
      /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1],
      'the CSP in force is the one the host wrote',
    );
    const scripts = await requestWebviewDom('script', PAGE, { attribute: 'src' });
    const outer = await requestWebviewDom('script', PAGE, { attribute: 'outerHTML' });
    assert.equal(scripts.filter((src) => src !== null && /\/dist\/explorer\.js$/.test(src)).length, 1, JSON.stringify(outer).slice(0, 800));
    await domSettles('#timeline rect.bar', (v) => v.length > 0, 'class');
    if (firstSni !== null && firstSni !== '-' && firstSni !== '')
      await domSettles('#table-rows .row', (v) => v.some((t) => t.includes(firstSni)));

    // The hostile SNIs, by a filter the host hands the page (as a command exploring SNIs would).
    const filtered = posted((m) => m.type === 'summary' && m.summary.matched === 3 && m.summary, 'the filtered summary');
    api.explorer.show(
      { include: { sni: [IMG_SNI, SCRIPT_SNI, 'ocsp-slow.example.net'].map((v) => JSON.stringify(v)) } },
      { column: 'sni' },
    );
    const fs = await filtered;
    assert.ok(
      fs.facets.find((f) => f.name === 'sni')?.values.some((v) => v.key === JSON.stringify(IMG_SNI)),
      'the hostile SNI is a facet value',
    );
    const tableText = await domSettles('#table-rows .row', (v) => v.some((t) => t.includes(IMG_SNI)));
    assert.ok(
      tableText.some((t) => t.includes(SCRIPT_SNI)),
      'the <script> SNI is shown as text',
    );
    assert.ok(tableText.some((t) => t.includes('ocsp-slow.example.net')));
    const facetText = await requestWebviewDom('#facets', PAGE);
    assert.ok(facetText[0].includes(IMG_SNI));
    // No element or handler came out of a log value.
    assert.deepEqual(await requestWebviewDom('img, iframe, object, embed', PAGE, { attribute: 'outerHTML' }), []);
    assert.deepEqual(await requestWebviewDom('[onerror], [onload], [onclick]', PAGE, { attribute: 'outerHTML' }), []);
    // Our script and the one VS Code injects into every webview; none from a log value.
    const after = await requestWebviewDom('script', PAGE, { attribute: 'outerHTML' });
    assert.ok(
      after.every((h) => !h.includes('pwned') && !h.includes('onerror')),
      JSON.stringify(after).slice(0, 500),
    );
    assert.equal(after.length, outer.length);
  });

  it('brushes the timeline from the keyboard, reading out each bar', async function () {
    this.timeout(60_000);
    await openDocument(fixtureUri(HOSTILE_FILE));
    await waitFor(modelChanged, () => api.sniModel.sourceKeys().length === 1, 10_000, 'the log in the model');
    const first = posted((m) => m.type === 'summary' && m.summary.total > 0 && m.summary, 'the first summary');
    await vscode.commands.executeCommand('nfwTlsLogs.openExplorer');
    const s = await first;
    const t = s.timeline;
    assert.ok(t.buckets >= 2, `two bars or more: ${t.buckets}`);
    await domSettles('#timeline svg', (v) => v.length === 1, 'outerHTML');

    // Home: the first bar, read out with its figures.
    const n = 6;
    const inBar = (b: number): number => t.counts.slice(b * n, (b + 1) * n).reduce((a, c) => a + c, 0);
    await requestWebviewDom('#timeline', PAGE, { press: ['Home'] });
    const status = await domSettles('#timeline-status', (v) => v.length === 1 && v[0].startsWith('Bar 1 of'));
    assert.match(status[0], new RegExp(`^Bar 1 of ${t.buckets}, .*: ${inBar(0)} entr`));

    // Shift+Right widens to two bars; Enter filters on them.
    const filtered = posted((m) => m.type === 'summary' && m.summary.matched < s.matched && m.summary, 'the brushed summary');
    await requestWebviewDom('#timeline', PAGE, { press: ['Shift+ArrowRight', 'Enter'] });
    const b = await filtered;
    assert.deepEqual(
      { from: api.explorer.state.filter.from, to: api.explorer.state.filter.to },
      { from: t.start, to: t.start + 2 * t.bucketMs },
    );
    assert.equal(b.matched, inBar(0) + inBar(1));

    // Escape clears the range.
    const cleared = posted((m) => m.type === 'summary' && m.summary.matched === s.matched && m.summary, 'the whole log again');
    await requestWebviewDom('#timeline', PAGE, { press: ['Escape'] });
    await cleared;
    assert.equal(api.explorer.state.filter.from, undefined);
  });

  it('a facet with a value shown only still lists its other values, counted without its own filter', async function () {
    this.timeout(60_000);
    await openDocument(fixtureUri(HOSTILE_FILE));
    await waitFor(modelChanged, () => api.sniModel.sourceKeys().length === 1, 10_000, 'the log in the model');
    const shown = posted((m) => m.type === 'summary' && m.summary.matched === 1 && m.summary, 'the summary of one SNI');
    api.explorer.show({ include: { sni: [JSON.stringify(SCRIPT_SNI)] } });
    const s = await shown;
    const sni = s.facets.find((f) => f.name === 'sni');
    assert.deepEqual(
      sni?.values.map((v) => v.label),
      [SCRIPT_SNI],
      'the matching entries hold one SNI',
    );
    assert.ok(
      sni?.others?.values.some((v) => v.label === IMG_SNI && v.count === 1),
      'the other SNIs with their counts',
    );
    const [facets] = await domSettles('#facets', (v) => v.length === 1 && v[0].includes(IMG_SNI));
    assert.ok(facets.includes('counted without its own filter'), facets.slice(0, 500));
    assert.ok(facets.includes(SCRIPT_SNI));
    await requestScreenshot(screenshotPath('explorer-filtered'));
  });

  it('a table narrower than its columns scrolls sideways from the keyboard, its head with it', async function () {
    this.timeout(60_000);
    await openDocument(fixtureUri(HOSTILE_FILE));
    await waitFor(modelChanged, () => api.sniModel.sourceKeys().length === 1, 10_000, 'the log in the model');
    await vscode.commands.executeCommand('nfwTlsLogs.openExplorer');
    await domSettles('#table-rows .row', (v) => v.length > 0);
    const shift = (style: string | undefined): number => Number(/translateX\((-?[\d.]+)px\)/.exec(style ?? '')?.[1] ?? 0);
    assert.equal(shift((await requestWebviewDom('#table-head', PAGE, { attribute: 'style' }))[0]), 0);
    await requestWebviewDom('#table', PAGE, { press: ['ArrowRight', 'ArrowRight', 'ArrowRight'] });
    const [style] = await domSettles('#table-head', (v) => shift(v[0]) < 0, 'style');
    assert.ok(shift(style) < 0, `the head moved left with the rows: ${style}`);
    // The last column's head is in the page, and the rows carry that column too.
    assert.ok((await requestWebviewDom('#table-head', PAGE))[0].includes('File'));
  });

  it('a click on an entry moves the editor to its line; details and filters answer', async function () {
    this.timeout(60_000);
    const uri = fixtureUri(HOSTILE_FILE);
    await openDocument(uri);
    await waitFor(modelChanged, () => api.sniModel.sourceKeys().length === 1, 10_000, 'the log in the model');
    const first = posted((m) => m.type === 'rows' && m.total === 4 && m, 'rows of the log');
    api.explorer.show({});
    await first;
    const key = api.sniModel.sourceKeys()[0];

    // As the page posts it when a row is clicked.
    await api.explorer.receive({ type: 'open', sourceKey: key, line: 2 });
    await waitFor(
      vscode.window.onDidChangeTextEditorSelection as vscode.Event<unknown>,
      () => vscode.window.activeTextEditor?.selection.active.line === 2,
      10_000,
      'the cursor on line 3',
    );
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString());

    const details = await api.explorer.details(key, 1);
    assert.ok(!('error' in details));
    assert.ok(
      details.fields.some((f) => f.value === SCRIPT_SNI),
      'the SNI among the fields, as logged',
    );
    assert.equal(JSON.parse(details.json).event.revocation_check.status, 'REVOKED');

    // A filter handed to the page, which asks for it as a user's clicks would: UNKNOWN or REVOKED, not one SNI, by SNI.
    const filtered = posted((m) => m.type === 'rows' && m.total === 1 && m, 'the filtered rows');
    api.explorer.show(
      { include: { status: ['"UNKNOWN"', '"REVOKED"'] }, exclude: { sni: [JSON.stringify('ocsp-slow.example.net')] } },
      { column: 'sni' },
    );
    const f = await filtered;
    assert.equal(f.total, 1);
    assert.equal(f.rows[0].sni, SCRIPT_SNI);
    assert.equal(f.rows[0].line, 1);

    // It follows the model: an edit that removes the REVOKED entry repaints without it.
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const after = posted((m) => m.type === 'rows' && m.total === 0 && m, 'the rows after the edit');
    await editor.edit((e) => e.delete(editor.document.lineAt(1).rangeIncludingLineBreak));
    await after;
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('writes the summary report and the exports, and copies the failing SNIs, for the filter the page shows', async function () {
    this.timeout(60_000);
    await openDocument(fixtureUri(HOSTILE_FILE));
    await waitFor(modelChanged, () => api.sniModel.sourceKeys().length === 1, 10_000, 'the log in the model');
    const shown = posted((m) => m.type === 'rows' && m.total === 3 && m, 'the filtered rows');
    api.explorer.show({ exclude: { errorKind: ['"noSni"'] } }, { column: 'time', descending: true });
    await shown;
    const dir = makeTempDir('nfw-explorer-');
    const report = vscode.Uri.file(join(dir, 'report.md'));
    await vscode.commands.executeCommand('nfwTlsLogs.explorer.summaryReport', report);
    const md = readFileSync(report.fsPath, 'utf8');
    assert.match(md, /- TLS error is not ` noSni `/);
    assert.ok(md.includes(`| \` ${IMG_SNI} \` | 1 |`), md);
    assert.match(md, /\| ` REVOKED ` \| 0 \| 1 \| 0 \| 0 \|/);
    const csv = vscode.Uri.file(join(dir, 'snis.csv'));
    await vscode.commands.executeCommand('nfwTlsLogs.explorer.exportCsv', csv);
    const lines = readFileSync(csv.fsPath, 'utf8').split('\r\n');
    // Latest first, as the page sorts.
    assert.deepEqual(
      lines.slice(1, 4).map((l) => l.split(',')[0]),
      ['ocsp-slow.example.net', SCRIPT_SNI, IMG_SNI],
    );
    await vscode.commands.executeCommand('nfwTlsLogs.explorer.copyFailingSnis');
    assert.equal(await vscode.env.clipboard.readText(), ['ocsp-slow.example.net', SCRIPT_SNI, IMG_SNI].join('\n'));
  });

  it('an entry of a scanned file past 50 MB shows its details instead of opening the file', async function () {
    this.timeout(180_000);
    await vscode.commands.executeCommand('nfwTlsLogs.clearScans');
    const dir = makeTempDir('nfw-explorer-big-');
    const big = join(dir, '111122223333_network-firewall_tls_us-east-1_big-fw_20240702T1805Z_5151b1b1.log');
    await writeLog(big, 55 * 1024 * 1024, { malformed: 0.002, seed: 21 });
    assert.ok(statSync(big).size > 50 * 1024 * 1024);
    await vscode.commands.executeCommand('nfwTlsLogs.scanFolder', vscode.Uri.file(dir));
    const key = vscode.Uri.file(big).toString();
    assert.ok(api.sniModel.sourceEntries(key) > 0, 'the file scanned');
    const rows = posted((m) => m.type === 'rows' && m.total === api.sniModel.totalEntries && m, 'the rows of the big file');
    api.explorer.show({}, { column: 'time', descending: true });
    const r = await rows;
    const row = r.rows[0];
    assert.equal(row.sourceKey, key);

    // As the page posts it when the row is clicked: the details of that line, read from disk, and no editor.
    const details = posted((m) => m.type === 'details' && m.details, 'the entry details');
    await api.explorer.receive({ type: 'open', sourceKey: key, line: row.line });
    const d = await details;
    assert.ok(!('error' in d), JSON.stringify(d).slice(0, 300));
    const text = readFileSync(big, 'utf8').split('\n')[row.line];
    assert.deepEqual(JSON.parse(d.json), JSON.parse(text));
    assert.notEqual(vscode.window.activeTextEditor?.document.uri.toString(), key);
    assert.ok(!vscode.workspace.textDocuments.some((doc) => doc.uri.toString() === key), 'the file is not opened');
    await vscode.commands.executeCommand('nfwTlsLogs.clearScans');
  });

  it('follows a scanned folder: the samples, with a screenshot', async function () {
    this.timeout(120_000);
    await vscode.commands.executeCommand('nfwTlsLogs.clearScans');
    const samples = vscode.Uri.joinPath(vscode.Uri.file(repoRoot()), 'samples');
    api.explorer.show({});
    // The command resolves once every file is scanned; the explorer repaints when the model has settled.
    await vscode.commands.executeCommand('nfwTlsLogs.scanFolder', samples);
    const s = await waitFor(
      api.explorer.onDidPost,
      () =>
        api.explorer.lastSummary !== undefined && api.explorer.lastSummary.total === api.sniModel.totalEntries && api.explorer.lastSummary,
      15_000,
      'the explorer to show every scanned entry',
    );
    assert.ok(api.sniModel.sourceKeys().length > 1, 'several files scanned');
    assert.ok(s.facets.find((f) => f.name === 'firewall')!.values.length >= 2, 'both sample firewalls');
    if (!canCaptureWorkbench()) return;
    await domSettles('#table-rows .row', (v) => v.length > 5 && !v.some((t) => t === '…'));
    await domSettles('#timeline rect.bar', (v) => v.length > 0, 'class');
    await requestScreenshot(screenshotPath('explorer'));
    await vscode.commands.executeCommand('nfwTlsLogs.clearScans');
  });
});
