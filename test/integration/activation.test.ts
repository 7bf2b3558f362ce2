import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { EXTENSION_ID } from './util';

describe('activation', () => {
  it('reports how long activate() took', async () => {
    const ext = vscode.extensions.getExtension<ExtensionApi>(EXTENSION_ID);
    assert.ok(ext);
    const api = await ext.activate();
    assert.ok(Number.isFinite(api.activationMs) && api.activationMs >= 0);
    // A figure for the log, not a bound: timings depend on the machine.
    console.log(`      activate() took ${api.activationMs.toFixed(1)} ms`);
  });
});
