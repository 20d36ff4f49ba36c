import * as vscode from 'vscode';
import { dashboardLink } from '../core/providers';
import { resolveBatch } from './batchTarget';
import type { CommandContext } from './context';
import { showError } from './showError';

/**
 * Open in OpenAI Dashboard / Open in Azure Portal (a batch row, or the palette): the page the connection in
 * use has for the batch (core/providers.ts). Loaded with the flows (dist/flows.js).
 */
export async function openInDashboard(ctx: CommandContext, arg: unknown, title: string): Promise<void> {
  try {
    const batch = await resolveBatch(ctx, arg, { title });
    const state = ctx.session.state;
    if (!batch || !state.ok) return;
    const link = dashboardLink(state.connection, batch.id);
    if (!link) return;
    if (state.connection.provider === 'azure' && !state.connection.resourceId) {
      const which = link.resourceName ? `"${link.resourceName}"` : 'the resource';
      void vscode.window.showInformationMessage(`The Azure portal lists your Azure OpenAI resources: choose ${which}. Add its "resourceId" to the connection in the openaiBatches.connections setting to open its page directly.`);
    }
    await vscode.env.openExternal(vscode.Uri.parse(link.url));
  } catch (e) {
    showError('Could not open the dashboard', e, ctx.log);
  }
}
