import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../core/apiError';
import type { Batch } from '../core/batch';
import { checkBatchInputFile } from '../core/batchInput';
import { defaultDescription, expiryProblem, MAX_DESCRIPTION } from '../core/createOptions';
import { countOf, formatBytes } from '../core/format';
import type { InputEstimate } from '../core/inputEstimate';
import { multipartFromFile } from '../core/multipart';
import { abortSignalFor } from '../documents/cancellation';
import type { InputDiagnostics } from '../documents/inputDiagnostics';
import { linkedParent as linkedParentOf, type RetryLinkStore } from '../core/retry/retryLinks';
import { retryMetadata } from '../core/retry/retryMetadata';
import type { InputEstimator } from '../services/inputEstimator';
import { Command, type CreateBatchOptions } from '../constants';
import { batchById } from './batchTarget';
import type { CommandContext } from './context';
import { askCreateChoices, chooseInputFiles, type CreateChoices, type FileToCreate } from './createPrompts';
import type { PromptTracker } from './quickSteps';
import { showError } from './showError';

export interface CreateDeps {
  readonly diagnostics: InputDiagnostics;
  readonly estimator: InputEstimator;
  readonly prompts: PromptTracker;
  /** Files written by Review First and the batch each retries. */
  readonly links: RetryLinkStore;
}

/** Create Batch from JSONL… as its menus run it (see commands/flowCommands.ts). */
export async function createFromMenu(ctx: CommandContext, deps: CreateDeps, uri: unknown, uris: unknown): Promise<Batch[]> {
  try {
    const selected = Array.isArray(uris) && uris.length > 0 && uris.every((u) => u instanceof vscode.Uri) ? (uris as vscode.Uri[]) : uri instanceof vscode.Uri ? [uri] : undefined;
    const files = selected ?? (await chooseInputFiles(deps.prompts));
    if (!files || files.length === 0) return [];
    return await createBatches(ctx, deps, files, 'ask');
  } catch (e) {
    showError('Could not create the batch', e, ctx.log);
    return [];
  }
}

/** The internal command: a typed options object, for automation and tests. */
export async function createWithOptions(ctx: CommandContext, deps: CreateDeps, raw: unknown): Promise<Batch[]> {
  try {
    const options = parseOptions(raw);
    const parent = options.retryOf === undefined ? undefined : await batchById(ctx, options.retryOf);
    return await createBatches(ctx, deps, options.files, options, parent);
  } catch (e) {
    showError('Could not create the batch', e, ctx.log);
    return [];
  }
}

function parseOptions(raw: unknown): CreateBatchOptions {
  const o = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<Record<keyof CreateBatchOptions, unknown>>;
  if (!Array.isArray(o.files) || o.files.length === 0 || !o.files.every((f) => f instanceof vscode.Uri)) throw new Error('Give "files": the URIs of the batch input files.');
  if (o.description !== undefined && (typeof o.description !== 'string' || o.description.length > MAX_DESCRIPTION)) throw new Error(`"description" must be a string of at most ${MAX_DESCRIPTION} characters.`);
  if (o.retryOf !== undefined && (typeof o.retryOf !== 'string' || o.retryOf.trim() === '' || o.files.length !== 1)) throw new Error('"retryOf" is the id of the batch that one file retries.');
  for (const key of ['outputExpiresAfterSeconds', 'inputExpiresAfterSeconds'] as const) {
    const v = o[key];
    const problem = v === undefined ? undefined : typeof v === 'number' ? expiryProblem(v) : 'a number of seconds';
    if (problem) throw new Error(`"${key}": ${problem}`);
  }
  return o as CreateBatchOptions;
}

/**
 * The one pipeline behind every way of creating a batch: check every file locally (problems become
 * diagnostics on their lines, and nothing is uploaded), ask for the options and confirm with the estimate
 * (`'ask'`), then upload each file streaming, create its batch and show it on top of the tree. An upload
 * whose batch could not be created is deleted again; after a failure the remaining files are not sent.
 *
 * A file that retries another batch (`parent`, or a file Review First wrote) makes a batch linked to it:
 * metadata from `retryMetadata` (retry_of, a description saying so, the parent's other metadata) and the
 * parent's completion window.
 */
export async function createBatches(ctx: CommandContext, deps: CreateDeps, uris: readonly vscode.Uri[], how: 'ask' | CreateChoices, parent?: Batch): Promise<Batch[]> {
  const jsonl = uris.filter((u) => /\.jsonl$/i.test(u.path));
  const leftOut = uris.filter((u) => !jsonl.includes(u)).map((u) => path.basename(u.path));
  if (jsonl.length === 0) throw new Error(`Batch input files are .jsonl files${leftOut.length ? `; ${leftOut.join(', ')} is not one` : ''}.`);
  if (leftOut.length > 0) ctx.log.info(`Create Batch: left out ${leftOut.join(', ')} (not .jsonl).`);
  for (const uri of jsonl) {
    if (uri.scheme !== 'file') throw new Error(`Batch input files are read from disk; save ${path.basename(uri.path)} first.`);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open?.isDirty && !(await open.save())) return [];
  }

  const files: FileToCreate[] = [];
  for (const [i, uri] of jsonl.entries()) {
    const name = path.basename(uri.fsPath);
    const title = `Checking ${name}${jsonl.length > 1 ? ` (${i + 1} of ${jsonl.length})` : ''}`;
    const check = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title }, () => checkBatchInputFile(uri.fsPath));
    deps.diagnostics.set(uri, check);
    files.push({ uri, name, check, retryOf: parent ?? (await linkedParent(ctx, deps.links, uri)) });
  }
  const invalid = files.filter((f) => f.check.problemCount > 0);
  if (invalid.length > 0) {
    reportProblems(invalid, files.length);
    return [];
  }

  let choices: CreateChoices | undefined;
  if (how === 'ask') {
    const abort = new AbortController();
    const estimates = estimateAll(deps.estimator, files, abort.signal);
    try {
      choices = await askCreateChoices(deps.prompts, files, estimates.result, leftOut, estimates.progress);
    } finally {
      abort.abort();
    }
    if (!choices) return [];
  } else {
    choices = how;
  }
  return send(ctx, files, choices);
}

/** The batch a file written by Review First retries, while it is still that file. */
async function linkedParent(ctx: CommandContext, links: RetryLinkStore, uri: vscode.Uri): Promise<Batch | undefined> {
  const was = linkedParentOf(links.storage, uri.fsPath);
  if (was === undefined) return undefined;
  const id = await links.load().parentOf(uri.fsPath);
  if (id === undefined) {
    ctx.log.info(`${uri.fsPath} changed outside the editor since it was written as a retry of ${was}: it is created as a batch of its own.`);
    return undefined;
  }
  try {
    return await batchById(ctx, id);
  } catch (e) {
    throw new Error(`${path.basename(uri.fsPath)} retries ${id}, which could not be fetched: ${describeError(e)}`, { cause: e });
  }
}

/** Estimates every file in turn, in the token worker, while the options are being chosen. */
function estimateAll(estimator: InputEstimator, files: readonly FileToCreate[], signal: AbortSignal) {
  let done = 0;
  let current = 0;
  const progress = () => (files.length ? (done + current) / files.length : 1);
  const result = (async () => {
    const out: (InputEstimate | Error)[] = [];
    for (const f of files) {
      current = 0;
      out.push(
        await estimator.estimate(f.check.model!, { path: f.uri.fsPath }, { signal, onProgress: (fraction) => (current = fraction) }).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))),
      );
      done++;
    }
    return out;
  })();
  return { result, progress };
}

async function send(ctx: CommandContext, files: readonly FileToCreate[], choices: CreateChoices): Promise<Batch[]> {
  const created: Batch[] = [];
  const several = files.length > 1;
  let failed: FileToCreate | undefined;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: several ? `Creating ${files.length} batches` : `Creating a batch from ${files[0].name}`, cancellable: true },
    async (progress, token) => {
      const client = await ctx.session.readyClient();
      const signal = abortSignalFor(token);
      for (const [i, file] of files.entries()) {
        const prefix = several ? `${file.name} (${i + 1} of ${files.length}): ` : '';
        failed = file;
        let reported = 0;
        const fields: Record<string, string> = { purpose: 'batch' };
        if (choices.inputExpiresAfterSeconds !== undefined) {
          fields['expires_after[anchor]'] = 'created_at';
          fields['expires_after[seconds]'] = String(choices.inputExpiresAfterSeconds);
        }
        const upload = await multipartFromFile(file.uri.fsPath, fields, (sent, total) => {
          const pct = total ? (sent / total) * 100 : 100;
          progress.report({ message: `${prefix}uploading ${formatBytes(sent)} of ${formatBytes(total)}`, increment: ((pct - reported) * 0.9) / files.length });
          reported = pct;
        });
        const uploaded = await client.uploadFile(upload, signal);
        progress.report({ message: `${prefix}creating the batch` });
        let batch: Batch;
        try {
          batch = await client.createBatch(
            {
              inputFileId: uploaded.id,
              endpoint: file.check.endpoint!,
              metadata: metadataFor(file, choices),
              outputExpiresAfterSeconds: choices.outputExpiresAfterSeconds,
              completionWindow: file.retryOf?.completionWindow,
            },
            signal,
          );
        } catch (e) {
          // Leave nothing half-created: the upload is useless without its batch.
          await client.deleteFile(uploaded.id).catch((err: unknown) => ctx.log.warn(`Could not delete the uploaded ${uploaded.id}: ${describeError(err)}`));
          throw e;
        }
        // Its validation errors, if any, open their lines in this file.
        await ctx.origins.remember(uploaded.id, file.uri).catch((e: unknown) => ctx.log.warn(`Could not remember where ${uploaded.id} came from: ${describeError(e)}`));
        // Shown at once, even before the list is loaded, and named in the notification: never lost.
        ctx.store.upsert(batch);
        created.push(batch);
        ctx.log.info(`Created ${batch.id} from ${file.uri.fsPath} (${countOf(file.check.requests, 'request')} to ${file.check.endpoint}${file.retryOf ? `, a retry of ${file.retryOf.id}` : ''}).`);
      }
      failed = undefined;
    },
  ).then(undefined, (e: unknown) => {
    const rest = failed ? files.slice(files.indexOf(failed) + 1).map((f) => f.name) : [];
    if (rest.length > 0) ctx.log.info(`Not sent after the failure: ${rest.join(', ')}.`);
    showError(several && failed ? `Could not create the batch from ${failed.name}` : 'Could not create the batch', e, ctx.log);
  });
  if (created.length > 0) await announce(created, files, ctx.session.connection.name);
  return created;
}

/** The description chosen (or the file's name); for a retry, the retry's metadata with that description. */
function metadataFor(file: FileToCreate, choices: CreateChoices): Record<string, string> {
  if (!file.retryOf) return { description: choices.description ?? defaultDescription(file.name) };
  const metadata = retryMetadata(file.retryOf, file.check.requests);
  return choices.description === undefined ? metadata : { ...metadata, description: choices.description };
}

async function announce(created: readonly Batch[], files: readonly FileToCreate[], connection: string): Promise<void> {
  const last = created[created.length - 1];
  await vscode.commands.executeCommand(Command.showBatch, last.id, connection);
  const [file] = files;
  const text =
    created.length === 1 && files.length === 1
      ? `Created ${last.id}: ${countOf(file.check.requests, 'request')} to ${file.check.endpoint} (${file.check.model})${file.retryOf ? `, retrying ${file.retryOf.id}` : ''}.`
      : `Created ${countOf(created.length, 'batch', 'batches')} of ${files.length}: ${created.map((b) => b.id).join(', ')}.`;
  void vscode.window.showInformationMessage(text, 'Copy ID').then((choice) => {
    if (choice) void vscode.env.clipboard.writeText(created.map((b) => b.id).join('\n'));
  });
}

function reportProblems(invalid: readonly FileToCreate[], total: number): void {
  const [first] = invalid;
  const problem = first.check.problems[0];
  const more = first.check.problemCount > 1 ? ` ${countOf(first.check.problemCount - 1, 'more problem')} in this file.` : '';
  const others = invalid.length > 1 ? ` ${countOf(invalid.length - 1, 'other file')} ${invalid.length > 2 ? 'have' : 'has'} problems too.` : '';
  const nothing = total > 1 ? ' Nothing was sent.' : '';
  void vscode.window.showErrorMessage(`${first.name} is not a valid batch input: line ${problem.line}: ${problem.message}${more}${others}${nothing}`, 'Show Problems').then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.actions.view.problems');
  });
}
