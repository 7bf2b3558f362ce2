import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { EXTENSION_ID, canCaptureWorkbench, closeAllEditors, makeTempDir, openDocument, requestDom, waitFor } from './util';

const AWS_NAMED = 'integration/111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1805Z_abcd1234.log';
const REVOKED_LINE =
  '{"firewall_name":"fw","availability_zone":"us-east-1a","event_timestamp":1719943330,"event":{"timestamp":"2024-07-02T18:02:10.100Z","src_ip":"10.0.2.60","src_port":"55930","dest_ip":"104.18.30.5","dest_port":"443","sni":"revoked.example.com","revocation_check":{"leaf_cert_fpr":"ABC","status":"REVOKED","action":"DROP"}}}';

async function extensionApi(): Promise<ExtensionApi> {
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
  assert.ok(ext);
  return ext.activate();
}

/** Closes every editor, reverting untitled and changed documents first so that nothing asks to save. */
async function closeWithoutSaving(): Promise<void> {
  for (const d of vscode.workspace.textDocuments) {
    if (!d.isUntitled && !d.isDirty) continue;
    await vscode.window.showTextDocument(d);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await closeAllEditors();
}

/**
 * The rendered text of our status bar items (codicons render as empty elements), once `accept` takes it:
 * the workbench draws a change a moment after the extension makes it, and there is no event for that.
 */
async function renderedItems(accept: (items: string[]) => boolean): Promise<string[]> {
  for (let attempt = 0; ; attempt++) {
    const texts = await requestDom('.statusbar-item');
    const items = texts.map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => /revoked/.test(t));
    if (accept(items) || attempt === 20) return items;
  }
}

describe('status bar', () => {
  let api: ExtensionApi;
  before(async () => {
    api = await extensionApi();
  });
  afterEach(closeWithoutSaving);

  it('counts the errors, revoked and unknown entries of the active TLS log, and opens the SNI view on click', async () => {
    await openDocument(AWS_NAMED);
    const text = await waitFor(
      api.statusBar.onDidUpdate,
      () => api.statusBar.visible && /errors/.test(api.statusBar.text) && api.statusBar.text,
      10_000,
      'the status bar item',
    );
    assert.equal(text, '$(error) 2 errors · $(workspace-untrusted) 1 revoked · $(question) 1 unknown');
    assert.match(api.statusBar.tooltip, /2 errors, 3 warnings, 1 information/);
    assert.match(api.statusBar.tooltip, /Other status: 1/);
    if (canCaptureWorkbench()) {
      const expected = ['2 errors · 1 revoked · 1 unknown'];
      assert.deepEqual(await renderedItems((items) => items.join() === expected.join()), expected);
    }
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    // The workbench reports the view's visibility to the extension host a moment later.
    await waitFor(api.sniTreeView.onDidChangeVisibility, () => !api.sniTreeView.visible, 10_000, 'the SNI view to hide');
    await vscode.commands.executeCommand(api.statusBar.command);
    await waitFor(api.sniTreeView.onDidChangeVisibility, () => api.sniTreeView.visible, 10_000, 'the SNI view to show');
  });

  it('is hidden for a file that is not a TLS log, and comes back when one is active', async () => {
    const tls = await openDocument(AWS_NAMED);
    await waitFor(api.statusBar.onDidUpdate, () => api.statusBar.visible, 10_000, 'the item to show');
    const plainFile = join(makeTempDir('nfw-plain-'), 'notes.txt');
    writeFileSync(plainFile, 'just some text\n');
    const plain = await vscode.workspace.openTextDocument(vscode.Uri.file(plainFile));
    await vscode.window.showTextDocument(plain, { preview: false });
    await waitFor(api.statusBar.onDidUpdate, () => !api.statusBar.visible, 10_000, 'the item to hide');
    if (canCaptureWorkbench()) assert.deepEqual(await renderedItems((items) => items.length === 0), []);
    await vscode.window.showTextDocument(tls.document);
    await waitFor(api.statusBar.onDidUpdate, () => api.statusBar.visible, 10_000, 'the item to show again');
  });

  it('follows edits', async function () {
    // Generous bounds: on a busy 2-core machine the extension host can be starved for seconds.
    this.timeout(60_000);
    // A file, not an untitled document: a closed untitled document lingers in the extension host for a
    // while, and the next untitled document opened with content can be handed back as that one.
    const file = join(makeTempDir('nfw-status-'), '111122223333_network-firewall_tls_us-east-1_fw_20240702T1805Z_5ba75ba7.log');
    writeFileSync(file, `${REVOKED_LINE}\n`);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    try {
      await waitFor(
        api.statusBar.onDidUpdate,
        () => api.statusBar.text.includes('0 errors · $(workspace-untrusted) 1 revoked'),
        25_000,
        'one revoked entry',
      );
      await editor.edit((e) => e.insert(new vscode.Position(1, 0), `${REVOKED_LINE}\n{"broken\n`));
      await waitFor(
        api.statusBar.onDidUpdate,
        () => api.statusBar.text.includes('1 error · $(workspace-untrusted) 2 revoked'),
        25_000,
        'the counts after the edit',
      );
    } finally {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
