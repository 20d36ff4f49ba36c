import type * as vscode from 'vscode';
import type { BatchStore } from '../core/batchStore';
import type { FileInfoCache } from '../core/fileInfo';
import type { BatchFileProvider } from '../documents/batchFileProvider';
import type { BatchJsonProvider } from '../documents/batchJsonProvider';
import type { ApiSession } from '../services/apiSession';
import type { InputOriginStore } from '../services/inputOrigins';
import type { TreeNode } from '../views/treeNodes';

/** What command handlers work with; built once by the composition root. */
export interface CommandContext {
  readonly session: ApiSession;
  readonly store: BatchStore;
  /** File metadata of the account, shared with the tree. */
  readonly files: FileInfoCache;
  readonly batchJson: BatchJsonProvider;
  readonly batchFiles: BatchFileProvider;
  /** Which local file each input uploaded from this workspace came from. */
  readonly origins: InputOriginStore;
  readonly log: vscode.LogOutputChannel;
  /** The OpenAI Batches view: what it shows need not be said again in a notification. */
  readonly view: vscode.TreeView<TreeNode>;
  /**
   * The context of the connection a tree row belongs to (a row of a connection not in use carries its
   * name); the context of the connection in use for anything else.
   */
  readonly scope: (arg: unknown) => CommandContext;
  /** Every connection the view shows, in its order: one, or each root's when there are several. */
  readonly everyConnection: () => readonly CommandContext[];
}
