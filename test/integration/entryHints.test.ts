import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { closeAllEditors, openDocument, repoRoot, waitForDiagnostics } from './util';

const SAMPLE = join(
  repoRoot(),
  'samples/AWSLogs/111122223333/network-firewall/tls/us-east-1/egress-fw/2024/07/02/18/111122223333_network-firewall_tls_us-east-1_egress-fw_20240702T1805Z_a1b2c3d4.log',
);

interface Event {
  timestamp?: string;
  sni?: string;
  tls_error?: { error_message?: string };
  revocation_check?: { status?: string; action?: string };
}

/** A line's event read independently of the extension: undefined when the line is not a JSON entry. */
function eventOf(text: string): Event | undefined {
  try {
    const value = JSON.parse(text) as { event?: Event };
    return typeof value.event === 'object' && value.event !== null ? value.event : undefined;
  } catch {
    return undefined;
  }
}

function labelText(hint: vscode.InlayHint): string {
  return typeof hint.label === 'string' ? hint.label : hint.label.map((p) => p.value).join('');
}

async function hintsOf(uri: vscode.Uri, range: vscode.Range): Promise<vscode.InlayHint[]> {
  return vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', uri, range);
}

describe('entry hints', () => {
  afterEach(async () => {
    await vscode.workspace.getConfiguration('nfwTlsLogs').update('inlayHints.show', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
  });

  it('puts the time, outcome and SNI of every entry at column 0 of the visible lines', async () => {
    const editor = await openDocument(SAMPLE);
    const uri = editor.document.uri;
    const diagnostics = await waitForDiagnostics(uri, (d) => d.length > 0);
    const problemLines = new Map<number, string[]>();
    for (const d of diagnostics) problemLines.set(d.range.start.line, [...(problemLines.get(d.range.start.line) ?? []), String(d.code)]);
    // Both the first screen and a screen further down that holds a problem line.
    const problemLine = [...problemLines.keys()].sort((a, b) => a - b)[0];
    const screens = [editor.visibleRanges[0], new vscode.Range(Math.max(0, problemLine - 10), 0, problemLine + 10, 0)];
    for (const screen of screens) {
      const hints = await hintsOf(uri, screen);
      let checked = 0;
      for (let line = screen.start.line; line <= screen.end.line && line < editor.document.lineCount; line++) {
        const text = editor.document.lineAt(line).text;
        const atLine = hints.filter((h) => h.position.line === line);
        if (text.trim() === '') {
          assert.equal(atLine.length, 0, `no hint on blank line ${line}`);
          continue;
        }
        const event = eventOf(text);
        const codes = problemLines.get(line);
        if (!event && !codes) continue;
        assert.equal(atLine.length, 1, `one hint on line ${line}`);
        const hint = atLine[0];
        assert.equal(hint.position.character, 0, `the hint of line ${line} is at column 0`);
        const label = labelText(hint);
        if (codes) {
          assert.ok(
            codes.some((c) => label.includes(c)),
            `line ${line}'s hint "${label}" names its problem (${codes.join(', ')})`,
          );
        } else if (event?.revocation_check) {
          assert.ok(label.includes(`${event.revocation_check.status}→${event.revocation_check.action}`), `line ${line}: "${label}"`);
        } else {
          const message = event?.tls_error?.error_message ?? '';
          assert.ok(label.includes(message.startsWith('Server name is not found') ? 'no SNI' : 'mismatch'), `line ${line}: "${label}"`);
        }
        if (event?.timestamp && !codes)
          assert.ok(label.startsWith(new Date(event.timestamp).toISOString().slice(11, 19)), `line ${line}'s time: "${label}"`);
        if (event?.sni && event.sni !== '-') assert.ok(label.includes(event.sni), `line ${line}'s SNI ${event.sni}: "${label}"`);
        assert.equal(typeof hint.tooltip, 'string');
        assert.ok((hint.tooltip as string).length > 20, `line ${line} has a tooltip`);
        checked++;
      }
      assert.ok(checked >= 10, `checked ${checked} hints on lines ${screen.start.line}-${screen.end.line}`);
    }
  });

  it('shows what the setting asks for, and nothing when it is empty', async () => {
    const editor = await openDocument(SAMPLE);
    const uri = editor.document.uri;
    await waitForDiagnostics(uri, (d) => d.length > 0);
    const firstEntry = [...Array(editor.document.lineCount).keys()].find((i) => eventOf(editor.document.lineAt(i).text)?.revocation_check);
    assert.ok(firstEntry !== undefined);
    const range = new vscode.Range(firstEntry, 0, firstEntry, 0);
    const config = vscode.workspace.getConfiguration('nfwTlsLogs');
    await config.update('inlayHints.show', ['destination'], vscode.ConfigurationTarget.Global);
    const [hint] = await hintsOf(uri, range);
    assert.match(labelText(hint), /^→ [0-9.:[\]a-f]+$/);
    await config.update('inlayHints.show', [], vscode.ConfigurationTarget.Global);
    assert.deepEqual(await hintsOf(uri, range), []);
  });
});
