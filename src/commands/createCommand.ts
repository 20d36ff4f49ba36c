import * as path from 'node:path';
import { describeError } from '../core/apiError';
import * as vscode from 'vscode';
import type { Batch } from '../core/batch';
import { checkBatchInputFile, type InputCheck } from '../core/batchInput';
import { formatBytes, formatCount } from '../core/format';
import { multipartFromFile } from '../core/multipart';
import { abortSignalFor } from '../documents/cancellation';
import { Command } from '../constants';
import type { CommandContext } from './context';
import { showError } from './showError';

export function registerCreateCommand(ctx: CommandContext, diagnostics: vscode.DiagnosticCollection): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(Command.createBatch, (uri?: vscode.Uri, description?: string) => createBatch(ctx, diagnostics, uri, description)),
  ];
}

/**
 * Create Batch from JSONL…: checks the file locally (problems become diagnostics with line numbers),
 * uploads it streaming, creates the batch and shows it on top of the tree. `description` skips the
 * prompt (automation); an upload whose batch could not be created is deleted again.
 */
async function createBatch(ctx: CommandContext, diagnostics: vscode.DiagnosticCollection, arg: vscode.Uri | undefined, description: string | undefined): Promise<Batch | undefined> {
  try {
    const uri = arg instanceof vscode.Uri ? arg : await pickInputFile();
    if (!uri) return undefined;
    if (uri.scheme !== 'file') throw new Error('Batch input files are read from disk; save this file first.');
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty && !(await open.save())) return undefined;
    const name = path.basename(uri.fsPath);

    const check = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Checking ${name}` }, () => checkBatchInputFile(uri.fsPath));
    diagnostics.set(uri, toDiagnostics(check));
    if (check.problemCount > 0) {
      reportProblems(name, check);
      return undefined;
    }
    const note = description ?? (await askDescription(name, check));
    if (note === undefined) return undefined;

    const batch = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Creating a batch from ${name}`, cancellable: true },
      async (progress, token) => {
        const client = await ctx.session.readyClient();
        const signal = abortSignalFor(token);
        let reported = 0;
        const upload = await multipartFromFile(uri.fsPath, { purpose: 'batch' }, (sent, total) => {
          const pct = total ? (sent / total) * 100 : 100;
          progress.report({ message: `uploading ${formatBytes(sent)} of ${formatBytes(total)}`, increment: (pct - reported) * 0.9 });
          reported = pct;
        });
        const file = await client.uploadFile(upload, signal);
        progress.report({ message: 'creating the batch' });
        try {
          return await client.createBatch({ inputFileId: file.id, endpoint: check.endpoint!, metadata: note ? { description: note } : undefined }, signal);
        } catch (e) {
          // Leave nothing half-created: the upload is useless without its batch.
          await client.deleteFile(file.id).catch((err: unknown) => ctx.log.warn(`Could not delete the uploaded ${file.id}: ${describeError(err)}`));
          throw e;
        }
      },
    );
    // Shown at once, even before the list is loaded, and named in the notification: never lost.
    ctx.store.upsert(batch);
    ctx.log.info(`Created ${batch.id} from ${uri.fsPath} (${check.requests} requests to ${check.endpoint}).`);
    await vscode.commands.executeCommand(Command.showBatch, batch.id);
    void vscode.window.showInformationMessage(`Created ${batch.id}: ${formatCount(check.requests)} requests to ${check.endpoint} (${check.model}).`, 'Copy ID').then((choice) => {
      if (choice) void vscode.env.clipboard.writeText(batch.id);
    });
    return batch;
  } catch (e) {
    showError('Could not create the batch', e, ctx.log);
    return undefined;
  }
}

async function pickInputFile(): Promise<vscode.Uri | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && /\.jsonl$/i.test(active.fsPath)) return active;
  const picked = await vscode.window.showOpenDialog({ title: 'Create Batch from JSONL', filters: { 'JSON Lines': ['jsonl'] }, canSelectMany: false, openLabel: 'Check and Upload' });
  return picked?.[0];
}

function askDescription(name: string, check: InputCheck): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: `Create Batch from ${name}`,
    prompt: `${formatCount(check.requests)} requests to ${check.endpoint} (${check.model}), 24 h window. Optional description, stored as metadata; Enter to create.`,
    placeHolder: 'e.g. nightly eval, search team',
    validateInput: (v) => (v.length > 512 ? 'At most 512 characters.' : undefined),
  });
}

function toDiagnostics(check: InputCheck): vscode.Diagnostic[] {
  return check.problems.map((p) => {
    const line = Math.max(0, p.line - 1);
    const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER), p.message, vscode.DiagnosticSeverity.Error);
    d.source = 'OpenAI Batches';
    return d;
  });
}

function reportProblems(name: string, check: InputCheck): void {
  const [first] = check.problems;
  const where = first.line > 0 ? `line ${first.line}: ` : '';
  const more = check.problemCount > 1 ? ` (and ${formatCount(check.problemCount - 1)} more)` : '';
  void vscode.window.showErrorMessage(`${name} is not a valid batch input: ${where}${first.message}${more}`, 'Show Problems').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
}
