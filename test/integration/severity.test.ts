import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { closeAllEditors, openDocument, waitForDiagnostics } from './util';

const AWS_NAMED = 'integration/111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1805Z_abcd1234.log';

function byCode(diagnostics: readonly vscode.Diagnostic[]): Record<string, string> {
  return Object.fromEntries(diagnostics.map((d) => [String(d.code), vscode.DiagnosticSeverity[d.severity]]));
}

describe('severity setting', () => {
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('nfwTlsLogs');

  afterEach(async () => {
    await config().update('diagnostics.severity', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  it("changes a problem's severity and drops a problem set to off, in open files, and back", async () => {
    const editor = await openDocument(AWS_NAMED);
    const uri = editor.document.uri;
    const before = byCode(await waitForDiagnostics(uri, (d) => d.length === 6));
    assert.equal(before['invalid-port'], 'Warning');
    assert.equal(before['unknown-error-message'], 'Information');

    await config().update(
      'diagnostics.severity',
      { 'invalid-port': 'error', 'unknown-error-message': 'off' },
      vscode.ConfigurationTarget.Global,
    );
    const changed = byCode(await waitForDiagnostics(uri, (d) => d.length === 5));
    assert.equal(changed['invalid-port'], 'Error');
    assert.equal(changed['unknown-error-message'], undefined);
    assert.equal(changed['invalid-json'], 'Error', 'codes not named keep their default');

    await config().update('diagnostics.severity', undefined, vscode.ConfigurationTarget.Global);
    const restored = byCode(await waitForDiagnostics(uri, (d) => d.length === 6));
    assert.deepEqual(restored, before);
  });

  it('applies to files opened after the change, and ignores what it does not know', async () => {
    await config().update(
      'diagnostics.severity',
      { 'invalid-json': 'information', 'no-such-code': 'off', 'not-a-tls-entry': 'loud' },
      vscode.ConfigurationTarget.Global,
    );
    const editor = await openDocument(AWS_NAMED);
    const diagnostics = byCode(
      await waitForDiagnostics(
        editor.document.uri,
        (d) => d.length === 6 && d.some((x) => x.code === 'invalid-json' && x.severity === vscode.DiagnosticSeverity.Information),
      ),
    );
    assert.equal(diagnostics['not-a-tls-entry'], 'Warning');
  });
});
