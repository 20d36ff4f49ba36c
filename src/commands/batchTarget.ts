import type { Batch } from '../core/batch';
import type { TreeNode } from '../views/treeNodes';
import { pickBatch, type PickOptions } from './batchPicker';
import type { CommandContext } from './context';

/**
 * The batch a command acts on: the tree node it was invoked on, a batch id (from code or a
 * notification), or — from the palette — the user's pick among the loaded batches that fit.
 */
export async function resolveBatch(ctx: CommandContext, arg: unknown, pick: PickOptions): Promise<Batch | undefined> {
  if (typeof arg === 'string') return ctx.store.get(arg) ?? (await ctx.session.requireClient().retrieveBatch(arg));
  const node = arg as TreeNode | undefined;
  if (node && (node.type === 'batch' || node.type === 'file')) return ctx.store.get(node.batch.id) ?? node.batch;
  ctx.session.requireClient(); // not connected: say so (and offer Set API Key) rather than show an empty picker
  return pickBatch(ctx, pick);
}
