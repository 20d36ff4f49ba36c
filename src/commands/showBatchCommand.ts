import * as vscode from 'vscode';
import { BATCHES_VIEW_ID, Command } from '../constants';
import type { ConnectionsTreeProvider } from '../views/connectionsTree';
import type { TreeNode } from '../views/treeNodes';

export function registerShowBatchCommand(view: vscode.TreeView<TreeNode>, tree: ConnectionsTreeProvider): vscode.Disposable[] {
  return [
    // `connection`: whose batch it is, when several are shown (the one in use when not said).
    vscode.commands.registerCommand(Command.showBatch, async (id?: unknown, connection?: unknown) => {
      const node = typeof id === 'string' ? tree.nodeFor(id, typeof connection === 'string' ? connection : undefined) : undefined;
      try {
        // Revealing opens the batch's group if it was collapsed.
        if (node) return await view.reveal(node, { select: true, focus: true, expand: false });
      } catch {
        // The tree may be mid-refresh (the batch just arrived); showing the view is the next best thing.
      }
      await vscode.commands.executeCommand(`${BATCHES_VIEW_ID}.focus`);
    }),
  ];
}
