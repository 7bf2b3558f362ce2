import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  canCaptureWorkbench,
  closeAllEditors,
  openDocument,
  requestDom,
  requestScreenshot,
  screenshotPath,
  waitForDiagnostics,
} from './util';

const AWS_NAMED = 'integration/111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1805Z_abcd1234.log';
const HOSTILE = 'integration/111122223333_network-firewall_tls_us-east-1_hostile-fw_20240702T1810Z_deadbeef.log';
const HOSTILE_SNI = 'evil.com](command:workbench.action.files.saveAll)';

interface HoverAt {
  markdown: string;
  strings: vscode.MarkdownString[];
}

/** The hover VS Code would show at the first `needle` on a 1-based line (cursor inside the needle). */
async function hoverAt(document: vscode.TextDocument, line: number, needle: string, inside = 2): Promise<HoverAt> {
  const character = document.lineAt(line - 1).text.indexOf(needle);
  assert.ok(character >= 0, `"${needle}" is not on line ${line}`);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document.uri,
    new vscode.Position(line - 1, character + inside),
  );
  const strings = hovers.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString);
  const ours = strings.filter(
    (s) =>
      s.value.includes('`event') ||
      s.value.includes('`firewall_name`') ||
      s.value.includes('`availability_zone`') ||
      s.value.includes('on this line'),
  );
  assert.ok(ours.length > 0, `no hover of ours at line ${line} "${needle}": ${JSON.stringify(strings.map((s) => s.value))}`);
  return { markdown: ours.map((s) => s.value).join('\n'), strings: ours };
}

/** The markdown with every code span removed: what is left is rendered as markdown, so it must not hold log values unescaped. */
function outsideCodeSpans(markdown: string): string {
  // CommonMark: a run of N backticks opens a span that the next run of exactly N backticks closes.
  let out = '';
  let i = 0;
  while (i < markdown.length) {
    if (markdown[i] !== '`' || (i > 0 && markdown[i - 1] === '\\')) {
      out += markdown[i++];
      continue;
    }
    let n = 0;
    while (markdown[i + n] === '`') n++;
    const fence = '`'.repeat(n);
    let close = markdown.indexOf(fence, i + n);
    while (close >= 0 && (markdown[close + n] === '`' || markdown[close - 1] === '`')) close = markdown.indexOf(fence, close + 1);
    if (close < 0) {
      out += fence;
      i += n;
    } else i = close + n;
  }
  return out;
}

describe('hovers', () => {
  let document: vscode.TextDocument;

  before(async () => {
    document = (await openDocument(AWS_NAMED)).document;
    await waitForDiagnostics(document.uri, (d) => d.length > 0);
  });
  after(closeAllEditors);

  it('explains a REVOKED status and names the action and the setting that decided it', async () => {
    const { markdown } = await hoverAt(document, 2, '"REVOKED"');
    assert.match(markdown, /Revocation status/);
    assert.match(markdown, /revoked/i);
    assert.match(markdown, /RevokedStatusAction/);
    assert.match(markdown, /DROP/);
  });

  it('explains an UNKNOWN status with the reasons it is common', async () => {
    const { markdown } = await hoverAt(document, 10, '"UNKNOWN"');
    assert.match(markdown, /UnknownStatusAction/);
    assert.match(markdown, /could not/);
    assert.match(markdown, /REJECT/);
  });

  it('explains DROP, REJECT and PASS with what the client saw', async () => {
    assert.match((await hoverAt(document, 2, '"DROP"')).markdown, /Empty reply from server/);
    assert.match((await hoverAt(document, 10, '"REJECT"')).markdown, /Connection reset by peer/);
    const hostile = (await openDocument(HOSTILE, { preview: false })).document;
    assert.match((await hoverAt(hostile, 2, '"PASS"')).markdown, /stateful/);
    await vscode.window.showTextDocument(document);
  });

  it('explains the no-SNI message and parses the certificate-name list of a mismatch', async () => {
    assert.match((await hoverAt(document, 1, 'Server name is not found')).markdown, /no Server Name Indication|no SNI/i);
    const mismatch = (await hoverAt(document, 3, 'Match Failed')).markdown;
    assert.match(mismatch, /2 distinct names \(3 listed/);
    assert.equal(mismatch.match(/` www\.example\.org `/g)?.length, 1, 'repeated names are listed once');
    assert.match(mismatch, /` example\.org `/);
    assert.match(mismatch, /No name matches/);
  });

  it('shows an undocumented message as text and says so', async () => {
    const { markdown } = await hoverAt(document, 8, 'Handshake failed');
    assert.match(markdown, /not a documented message/);
    assert.match(markdown, /` Handshake failed for an unexpected reason `/);
  });

  it('explains both timestamps in UTC and local time, with their agreement', async () => {
    const epoch = (await hoverAt(document, 1, '"event_timestamp"')).markdown;
    assert.match(epoch, /2024-07-02 18:01:44 UTC/);
    assert.match(epoch, /ago/);
    assert.match(epoch, /Agrees/);
    const iso = (await hoverAt(document, 1, '"2024-07-02T18:01:44.412778Z"')).markdown;
    assert.match(iso, /2024-07-02 18:01:44\.412778 UTC/);
    // The local time is shown where the extension host's zone is not UTC itself.
    if (Intl.DateTimeFormat().resolvedOptions().timeZone !== 'UTC') assert.match(iso, /Local time/);
  });

  it('names the service of a port and the kind of an address', async () => {
    assert.match((await hoverAt(document, 1, '"dest_port"')).markdown, /HTTPS/);
    assert.match((await hoverAt(document, 1, '"10.0.2.53"')).markdown, /private/);
    assert.match((await hoverAt(document, 1, '"54.92.160.72"')).markdown, /public/);
  });

  it('explains the SNI, "-" included, with the count of entries that share it', async () => {
    const none = (await hoverAt(document, 1, '"sni":"-"')).markdown;
    assert.match(none, /no SNI|no Server Name Indication/i);
    const named = (await hoverAt(document, 2, '"revoked-rsa-dv.ssl.com"')).markdown;
    assert.match(named, /Entries with this SNI in this file:\*\* 1/);
  });

  it('explains the fingerprint, the firewall and the Availability Zone', async () => {
    assert.match((await hoverAt(document, 2, '"leaf_cert_fpr"')).markdown, /fingerprint/i);
    assert.match((await hoverAt(document, 1, '"firewall_name"')).markdown, /firewall/i);
    assert.match((await hoverAt(document, 1, '"us-east-1d"')).markdown, /` us-east-1 `/);
  });

  it('leads with the problem on a line that has a diagnostic', async () => {
    const { markdown } = await hoverAt(document, 3, '"sni"');
    assert.ok(markdown.startsWith('**Problem on this line**'), markdown.slice(0, 80));
    assert.match(markdown, /must be a whole number from 0 to 65535/);
    // Under a problem's own marker the editor shows the problem; the hover does not repeat it.
    const cut = vscode.languages.getDiagnostics(document.uri).find((d) => d.range.start.line === 3);
    assert.match(cut?.message ?? '', /cut off/);
    const character = document.lineAt(3).text.indexOf('"revocatio') + 1;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      new vscode.Position(3, character),
    );
    const shown = hovers.flatMap((h) => h.contents).map((c) => (c instanceof vscode.MarkdownString ? c.value : String(c)));
    assert.ok(!shown.some((t) => /cut off/.test(t)), JSON.stringify(shown));
  });

  it('renders hostile log values as plain text, never as links, HTML or commands', async () => {
    const hostile = (await openDocument(HOSTILE)).document;
    for (const [line, needle] of [
      [1, '"sni"'],
      [1, 'Match Failed'],
      [1, '"firewall_name"'],
      [2, '"sni"'],
      [2, '"leaf_cert_fpr"'],
      [1, '"event"'],
    ] as const) {
      const { markdown, strings } = await hoverAt(hostile, line, needle);
      for (const s of strings) {
        assert.ok(!s.isTrusted, 'a hover with log text must not be trusted');
        assert.ok(!s.supportHtml, 'a hover with log text must not render HTML');
      }
      const rendered = outsideCodeSpans(markdown);
      assert.doesNotMatch(rendered, /\]\(command:|\]\(javascript:|<img|<script/, `log text escaped at ${line} ${needle}`);
    }
    const sni = (await hoverAt(hostile, 1, '"sni"')).markdown;
    assert.ok(sni.includes(`\` ${HOSTILE_SNI} \``), 'the SNI is shown verbatim inside a code span');

    if (canCaptureWorkbench()) {
      // Show the hover in the workbench as a user would, and read what it rendered.
      const editor = await vscode.window.showTextDocument(hostile);
      const character = hostile.lineAt(0).text.indexOf(HOSTILE_SNI) + 3;
      editor.selection = new vscode.Selection(0, character, 0, character);
      await vscode.commands.executeCommand('editor.action.showHover');
      const shown = await waitForHoverText();
      assert.ok(
        shown.some((t) => t.includes(HOSTILE_SNI)),
        `the hover shows the SNI as text: ${JSON.stringify(shown).slice(0, 300)}`,
      );
      const links = await requestDom('.monaco-hover a');
      assert.ok(!links.some((t) => /evil|saveAll|alert/.test(t)), `no link made of log text: ${JSON.stringify(links)}`);
      await requestScreenshot(screenshotPath('hover-hostile'));
    }
  });

  it('shows an explanation in the workbench as a user sees it', async function () {
    if (!canCaptureWorkbench()) this.skip();
    const editor = await vscode.window.showTextDocument(document);
    const character = document.lineAt(1).text.indexOf('"REVOKED"') + 3;
    editor.selection = new vscode.Selection(1, character, 1, character);
    await vscode.commands.executeCommand('editor.action.showHover');
    const shown = await waitForHoverText();
    assert.ok(shown.some((t) => t.includes('RevokedStatusAction')));
    await requestScreenshot(screenshotPath('hover-revoked'));
  });
});

/** The rendered hover's text, once the workbench has drawn it. */
async function waitForHoverText(): Promise<string[]> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const text = await requestDom('.monaco-hover .hover-contents');
    if (text.some((t) => t.trim().length > 0)) return text;
  }
  throw new Error('the hover did not render');
}
