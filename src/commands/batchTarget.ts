import type { Batch } from '../core/batch';
import type { BatchNode, FileNode } from '../views/treeNodes';
import { pickBatch, type PickOptions } from './batchPicker';
import type { CommandContext } from './context';

/** A batch or file row of the tree, as menus and row clicks pass it; anything else is not one. */
export function asBatchOrFileNode(arg: unknown): BatchNode | FileNode | undefined {
  const node = arg as Partial<BatchNode | FileNode> | undefined;
  return node && typeof node === 'object' && (node.type === 'batch' || node.type === 'file') && typeof node.batch?.id === 'string' ? (node as BatchNode | FileNode) : undefined;
}

/**
 * The batch a command acts on: the row it was invoked on, or — from the palette, which passes nothing —
 * the user's pick among the loaded batches that fit. Whatever else arrives is treated like the palette.
 */
export async function resolveBatch(ctx: CommandContext, arg: unknown, pick: PickOptions): Promise<Batch | undefined> {
  const node = asBatchOrFileNode(arg);
  if (node) return ctx.store.get(node.batch.id) ?? node.batch;
  await ctx.session.readyClient(); // not connected: say so (and offer Set API Key) rather than show an empty picker
  return pickBatch(ctx, pick);
}

/** A batch named by id (internal commands, notifications): the loaded copy, else fetched. */
export async function batchById(ctx: CommandContext, id: string): Promise<Batch> {
  return ctx.store.get(id) ?? (await (await ctx.session.readyClient()).retrieveBatch(id));
}
