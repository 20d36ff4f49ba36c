import * as vscode from 'vscode';
import { FILE_KIND, FILE_KINDS, fileIdOf, type Batch, type FileKind } from '../core/batch';
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

/** One file of one batch. */
export interface FileTarget {
  readonly batch: Batch;
  readonly kind: FileKind;
  readonly fileId: string;
}

/**
 * The file a command acts on: the file row it was invoked on; from a batch row, which of its files (asked
 * when it has several); from the palette, a batch first.
 */
export async function resolveFile(ctx: CommandContext, arg: unknown, title: string): Promise<FileTarget | undefined> {
  const node = asBatchOrFileNode(arg);
  if (node?.type === 'file') return { batch: node.batch, kind: node.kind, fileId: node.fileId };
  const batch = await resolveBatch(ctx, arg, { title, filter: (b) => FILE_KINDS.some((k) => fileIdOf(b, k)) });
  if (!batch) return undefined;
  const kinds = FILE_KINDS.filter((k) => fileIdOf(batch, k));
  if (kinds.length === 0) {
    void vscode.window.showInformationMessage(`${batch.id} has no files yet.`);
    return undefined;
  }
  const kind =
    kinds.length === 1
      ? kinds[0]
      : (await vscode.window.showQuickPick(
          kinds.map((k) => ({ label: `$(${FILE_KIND[k].icon}) ${FILE_KIND[k].label}`, description: fileIdOf(batch, k), fileKind: k })),
          { title: `${title.replace(/…$/, '')}: which file of ${batch.id}?` },
        ))?.fileKind;
  return kind ? { batch, kind, fileId: fileIdOf(batch, kind)! } : undefined;
}

/** A file as a file row carries it: what the large-file offers pass to the file commands. */
export function fileNode(target: FileTarget): FileNode {
  return { type: 'file', batch: target.batch, kind: target.kind, fileId: target.fileId };
}
