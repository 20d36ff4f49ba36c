import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { BATCHES_VIEW_ID, EXTENSION_ID } from '../../src/constants';
import { extensionApi, waitFor } from './support';

describe('Activation', () => {
  it('the extension is installed', () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is not among the loaded extensions`);
  });

  it('activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('registers every contributed command', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    await ext.activate();
    const contributed = ((ext.packageJSON as { contributes?: { commands?: { command: string }[] } }).contributes?.commands ?? []).map(
      (c) => c.command,
    );
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.ok(missing.length === 0, `contributed but not registered: ${missing.join(', ')}`);
  });

  it('the Batches view can be focused', async () => {
    const api = await extensionApi();
    await vscode.commands.executeCommand('workbench.view.explorer');
    await waitFor('the Batches view to be hidden', () => !api.view.visible);
    await vscode.commands.executeCommand(`${BATCHES_VIEW_ID}.focus`);
    await waitFor('the Batches view to be visible', () => api.view.visible);
    await vscode.commands.executeCommand('workbench.view.explorer');
  });
});
