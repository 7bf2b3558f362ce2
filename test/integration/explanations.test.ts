import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { UnknownWindows } from '../../src/core/sni/statusWindow';
import type { SniModel } from '../../src/core/sni/sniModel';
import { closeAllEditors, EXTENSION_ID, openDocument, waitFor, waitForDiagnostics } from './util';

const AWS_NAMED = 'integration/111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1805Z_abcd1234.log';
const DETAILS_COMMAND = 'nfwTlsLogs.showEntryDetails';

interface Shown {
  /** Our explanation (untrusted markdown). */
  markdown: string;
  /** The link to the entry details, if the hover has one. */
  link: vscode.MarkdownString | undefined;
}

/** The hover VS Code would show at the first `needle` on a 1-based line (cursor inside the needle). */
async function hoverAt(document: vscode.TextDocument, line: number, needle: string, inside = 2): Promise<Shown> {
  const character = document.lineAt(line - 1).text.indexOf(needle);
  assert.ok(character >= 0, `"${needle}" is not on line ${line}`);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document.uri,
    new vscode.Position(line - 1, character + inside),
  );
  const strings = hovers.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => c instanceof vscode.MarkdownString);
  const link = strings.find((s) => s.value.includes(`command:${DETAILS_COMMAND}`));
  const ours = strings.filter((s) => s !== link && (s.value.includes('`event') || s.value.includes('on this line')));
  assert.ok(ours.length > 0, `no hover of ours at line ${line} "${needle}": ${JSON.stringify(strings.map((s) => s.value))}`);
  return { markdown: ours.map((s) => s.value).join('\n'), link };
}

function words(markdown: string): number {
  const blocks = markdown.split('\n\n---\n\n');
  return blocks[blocks.length - 1].split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

function sniModel(): SniModel {
  const api = vscode.extensions.getExtension(EXTENSION_ID)?.exports as { sniModel: SniModel } | undefined;
  assert.ok(api);
  return api.sniModel;
}

describe('short, specific explanations', () => {
  let document: vscode.TextDocument;

  before(async () => {
    document = (await openDocument(AWS_NAMED)).document;
    await waitForDiagnostics(document.uri, (d) => d.length > 0);
  });
  after(closeAllEditors);

  it("REVOKED: the server or an intermediate, the firewall's action, and a command with the entry's own values, run outside the scope", async () => {
    const { markdown, link } = await hoverAt(document, 2, '"REVOKED"');
    assert.match(markdown, /server's certificate or an intermediate certificate in its chain/);
    assert.match(markdown, /`leaf_cert_fpr` names the leaf/);
    assert.match(markdown, /handshake with the firewall-issued certificate/);
    assert.match(markdown, /close_notify; curl 52: "Empty reply from server"/);
    assert.match(markdown, /outside the TLS inspection scope/);
    assert.ok(
      markdown.includes("` openssl s_client -connect '54.92.160.72:443' -servername 'revoked-rsa-dv.ssl.com' -showcerts </dev/null `"),
      markdown,
    );
    assert.doesNotMatch(markdown, /stapl|domain fronting|<dest_ip>/);
    assert.ok(words(markdown) <= 120, `${words(markdown)} words`);

    // "More" opens the entry details through the extension's own command, trusted for that command alone,
    // with the document and the line as its only arguments.
    assert.ok(link, 'the hover links to the entry details');
    assert.deepEqual(link.isTrusted, { enabledCommands: [DETAILS_COMMAND] });
    assert.ok(!link.value.includes('revoked-rsa'), 'no log value in the trusted link');
    const query = /command:nfwTlsLogs\.showEntryDetails\?([^)]*)\)/.exec(link.value)?.[1];
    assert.ok(query);
    const args = JSON.parse(decodeURIComponent(query)) as [string, number];
    assert.deepEqual(args, [document.uri.toString(), 1]);
    const detailsUri = await vscode.commands.executeCommand<vscode.Uri>(DETAILS_COMMAND, ...args);
    const details = (await vscode.workspace.openTextDocument(detailsUri)).getText();
    assert.match(details, /^# Entry on line 2 of /);
    assert.match(details, /caches OCSP and CRL answers/);
    assert.match(details, /out of the TLS inspection\s+scope/);
    assert.match(details, /## Availability Zone/);
    assert.match(details, /## Revocation status/);
    assert.ok(details.length > markdown.length);
  });

  it('UNKNOWN: the documented causes, and how many SNIs were UNKNOWN in the same minutes in the loaded logs', async () => {
    const time = Date.parse('2024-07-02T18:02:10.100Z');
    const model = sniModel();
    const window = await waitFor(
      (listener: (e: unknown) => unknown) => ({ dispose: model.onDidChange(() => listener(undefined)) }),
      () => {
        const w = new UnknownWindows(model).around(time);
        return w !== undefined && w.snis > 0 ? w : undefined;
      },
      10_000,
      'the SNI model to hold the UNKNOWN entry',
    );
    const { markdown } = await hoverAt(document, 10, '"UNKNOWN"');
    assert.match(markdown, /server's certificate or an intermediate certificate in its chain/);
    assert.match(markdown, /Cached answers/);
    assert.match(markdown, /unsupported features \(OCSP stapling, delta CRLs, LDAP\/FTP CRL URLs, delegated or nonce OCSP\)/);
    const evidence =
      window.snis === 1
        ? 'Only this SNI was UNKNOWN between 18:00 and 18:05 UTC'
        : `UNKNOWN for ${window.snis} SNIs between 18:00 and 18:05 UTC`;
    assert.ok(markdown.includes(evidence), `${evidence}\n${markdown}`);
    assert.match(markdown, /\*\*REJECT\*\*: after the TLS handshake with the firewall-issued certificate, the firewall sent a TCP reset/);
    assert.doesNotMatch(markdown, /route table of the firewall's subnet|[Ii]mmediate/);
    assert.ok(words(markdown) <= 120, `${words(markdown)} words`);
  });

  it('mismatch: SNI spoofing, a misconfigured server or a wrong host name; no command for an invalid port', async () => {
    const { markdown } = await hoverAt(document, 3, 'Match Failed');
    assert.match(markdown, /SNI spoofing, a misconfigured server, or a wrong host name/);
    assert.doesNotMatch(markdown, /domain fronting|on purpose/i);
    assert.match(markdown, /outside the TLS inspection scope/);
    // dest_port is 70000 on this line: no command is made of it.
    assert.doesNotMatch(markdown, /openssl s_client -connect/);
    assert.ok(words(markdown) <= 120, `${words(markdown)} words`);
  });

  it('a problem message names its value, and the hover under its marker does not repeat it', async () => {
    const diagnostics = vscode.languages.getDiagnostics(document.uri).filter((d) => d.range.start.line === 2);
    const port = diagnostics.find((d) => d.code === 'invalid-port');
    assert.ok(port, JSON.stringify(diagnostics.map((d) => d.message)));
    assert.equal(port.message, '"event.dest_port" is 70000: a port must be a whole number from 0 to 65535.');
    const under = await hoverAt(document, 3, '"70000"', 2);
    assert.doesNotMatch(under.markdown, /on this line|a port must be/);
    const elsewhere = await hoverAt(document, 3, '"sni"');
    assert.match(elsewhere.markdown, /is 70000\\: a port must be/);
  });
});
