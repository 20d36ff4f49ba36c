// Extension-tests entry for `npm run bench`: times the extension's activation in a real extension host
// (module load + activate()), before anything else has activated it.
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../../src/constants';
import type { BatchesExtensionApi } from '../../src/extension';

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not loaded`);
  if (ext.isActive) throw new Error('The extension was already active: activation cannot be measured.');
  console.log(`VS Code ${vscode.version} (extension host Node ${process.version})`);
  const started = performance.now();
  const api = await ext.activate();
  // activate() itself, and the whole wait (loading the bundle, and VS Code's own work around the call).
  console.log(`BENCH activateMs=${(api as BatchesExtensionApi).activationMs.toFixed(2)} activateWallMs=${(performance.now() - started).toFixed(2)}`);
}
