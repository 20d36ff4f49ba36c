import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Batch } from '../core/batch';
import { looksLikeBatchInput, type InputCheck } from '../core/batchInput';
import { defaultDescription, describeDuration, expiryProblem, MAX_DESCRIPTION, parseDuration } from '../core/createOptions';
import { countOf, formatCount, formatUsd } from '../core/format';
import type { InputEstimate } from '../core/inputEstimate';
import { retryMetadata } from '../core/retry/retryMetadata';
import { totalInputTokens } from '../core/tokenEstimate';
import { isBatchInputDocument } from '../documents/liveInputChecks';
import { BACK, inputStep, pickStep, type PickItem, type PromptTracker } from './quickSteps';

export interface FileToCreate {
  readonly uri: vscode.Uri;
  readonly name: string;
  readonly check: InputCheck;
  /** The batch this file retries (Retry Failed Requests…, or a file its Review First wrote). */
  readonly retryOf?: Batch;
}

/** What the flow asks for; each absent value is the default (the file's name, the API's expiry). */
export interface CreateChoices {
  readonly description?: string;
  readonly outputExpiresAfterSeconds?: number;
  readonly inputExpiresAfterSeconds?: number;
}

/** Workspace files sniffed for the chooser: enough to list, not to slow a large workspace down. */
const MAX_LISTED = 50;
const SNIFF_BYTES = 16 * 1024;

type Chosen = vscode.Uri | 'browse';

/**
 * The "+" button's and the palette's chooser, always shown: the batch input files at hand (the active
 * editor's first, pre-selected, when it looks like batch input; never an output file) and Browse….
 */
export async function chooseInputFiles(tracker: PromptTracker): Promise<vscode.Uri[] | undefined> {
  const activeDoc = vscode.window.activeTextEditor?.document;
  const active = activeDoc && isBatchInputDocument(activeDoc) ? activeDoc.uri : undefined;
  const browse: PickItem<Chosen> = { label: '$(folder-opened) Browse…', description: 'one or more .jsonl files', value: 'browse' };
  const items = (async () => {
    const found = await candidates(active);
    const fileItems = found.map((uri): PickItem<Chosen> => {
      const relative = vscode.workspace.asRelativePath(uri, false);
      const folder = relative === uri.fsPath ? path.dirname(uri.fsPath) : path.dirname(relative);
      return { label: `$(file) ${path.basename(uri.fsPath)}`, description: uri === active ? 'active editor' : folder === '.' ? '' : folder, value: uri };
    });
    return active ? [...fileItems, browse] : [browse, ...fileItems];
  })();
  const chosen = await pickStep<Chosen>(tracker, {
    id: 'chooseFile',
    title: 'Create Batch from JSONL',
    placeholder: 'Choose a batch input file',
    busyPlaceholder: () => 'Looking for batch input files…',
    items,
  });
  if (chosen === undefined || chosen === BACK) return undefined;
  if (chosen !== 'browse') return [chosen];
  const picked = await vscode.window.showOpenDialog({ title: 'Create Batch from JSONL', filters: { 'JSON Lines': ['jsonl'] }, canSelectMany: true, openLabel: 'Check' });
  return picked && picked.length > 0 ? picked : undefined;
}

async function candidates(active: vscode.Uri | undefined): Promise<vscode.Uri[]> {
  const seen = new Set<string>();
  const out: vscode.Uri[] = [];
  const add = (uri: vscode.Uri) => {
    if (seen.has(uri.toString())) return;
    seen.add(uri.toString());
    out.push(uri);
  };
  if (active) add(active);
  for (const doc of vscode.workspace.textDocuments) if (isBatchInputDocument(doc)) add(doc.uri);
  const found = await vscode.workspace.findFiles('**/*.jsonl', '**/{node_modules,.git}/**', MAX_LISTED);
  const sniffed = await Promise.all(found.map(async (uri) => ((await sniff(uri)) ? uri : undefined)));
  for (const uri of sniffed) if (uri) add(uri);
  return out;
}

async function sniff(uri: vscode.Uri): Promise<boolean> {
  if (uri.scheme !== 'file') return false;
  try {
    const handle = await fs.open(uri.fsPath, 'r');
    try {
      const buf = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
      return looksLikeBatchInput(buf.toString('utf8', 0, bytesRead));
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

type Expiry = number | 'default' | 'custom';

/**
 * The options and the confirmation, as a short multi-step flow of quick inputs (Back goes one step
 * back; Escape cancels): description, how long the results are kept, how long the uploaded input is
 * kept, and "Before you pay" with the requests, model, estimated tokens and cost, and the 24-hour window.
 * Accepting every default gives a batch described by its file name, with the API's expiries.
 */
export async function askCreateChoices(
  tracker: PromptTracker,
  files: readonly FileToCreate[],
  estimates: Promise<readonly (InputEstimate | Error)[]>,
  leftOut: readonly string[],
  progress: () => number,
): Promise<CreateChoices | undefined> {
  const several = files.length > 1;
  const title = several ? `Create ${files.length} Batches` : `Create Batch from ${files[0].name}`;
  const totalSteps = 4;
  let description: string | undefined;
  let output: number | undefined;
  let input: number | undefined;
  for (let step = 1; ; ) {
    if (step === 1) {
      const answer = await inputStep(tracker, {
        id: 'description',
        title,
        step,
        totalSteps,
        value: description ?? (several ? '' : describedAs(files[0])),
        prompt: several
          ? 'Description for every batch, stored as metadata.description. Blank: each is described by its file name (a retry, as one).'
          : files[0].retryOf
            ? `Description, stored as the batch's metadata.description. This file retries ${files[0].retryOf.id}: metadata.retry_of names it.`
            : 'Description, stored as the batch\'s metadata.description.',
        placeholder: several ? 'Blank: each file\'s name' : undefined,
        validate: (v) => (v.length > MAX_DESCRIPTION ? `At most ${MAX_DESCRIPTION} characters.` : undefined),
      });
      if (answer === undefined || answer === BACK) return undefined;
      description = answer;
      step++;
    } else if (step === 2 || step === 3) {
      const which = step === 2 ? 'output' : 'input';
      const answer = await expiryStep(tracker, which, { title, step, totalSteps }, step === 2 ? output : input);
      if (answer === undefined) return undefined;
      if (answer === BACK) {
        step--;
        continue;
      }
      if (which === 'output') output = answer === 'default' ? undefined : answer;
      else input = answer === 'default' ? undefined : answer;
      step++;
    } else {
      const choices: CreateChoices = {
        ...(description && description.trim() !== '' ? { description } : {}),
        ...(output === undefined ? {} : { outputExpiresAfterSeconds: output }),
        ...(input === undefined ? {} : { inputExpiresAfterSeconds: input }),
      };
      const answer = await pickStep<'create' | 'cancel'>(tracker, {
        id: 'confirm',
        title: `${title}: before you pay`,
        step,
        totalSteps,
        placeholder: 'Check the estimate, then create',
        busyPlaceholder: () => `Estimating the input tokens… ${Math.round(progress() * 100)}%`,
        items: estimates.then((list) => confirmItems(files, list, choices, leftOut)),
      });
      if (answer === undefined || answer === 'cancel') return undefined;
      if (answer === BACK) {
        step--;
        continue;
      }
      return choices;
    }
  }
}

async function expiryStep(
  tracker: PromptTracker,
  which: 'output' | 'input',
  title: { title: string; step: number; totalSteps: number },
  current: number | undefined,
): Promise<number | 'default' | typeof BACK | undefined> {
  const what = which === 'output' ? 'the output and error files' : 'the uploaded input file';
  const defaults = which === 'output' ? 'the API keeps results 30 days' : 'the API keeps batch input 30 days';
  const items: PickItem<Expiry>[] = [
    { label: 'Default', description: defaults, value: 'default' },
    ...[86400, 7 * 86400, 14 * 86400].map((s): PickItem<Expiry> => ({ label: describeDuration(s), value: s })),
    { label: 'Custom…', description: 'from 1 hour to 30 days', value: 'custom' },
  ];
  for (;;) {
    const active = current === undefined ? 0 : Math.max(0, items.findIndex((i) => i.value === current));
    const answer = await pickStep<Expiry>(tracker, {
      id: which === 'output' ? 'outputExpiry' : 'inputExpiry',
      ...title,
      placeholder: `Delete ${what} after… (counted from ${which === 'output' ? 'when they are written' : 'the upload'})`,
      items,
      active,
    });
    if (answer !== 'custom') return answer;
    const typed = await inputStep(tracker, {
      id: which === 'output' ? 'outputExpiryCustom' : 'inputExpiryCustom',
      ...title,
      prompt: `Delete ${what} after this long: hours or days, e.g. 36h or 10d (1 hour to 30 days).`,
      value: current === undefined ? '' : describeDuration(current),
      validate: (v) => {
        const seconds = parseDuration(v);
        return seconds === undefined ? 'Hours or days, e.g. 36h or 10d.' : expiryProblem(seconds);
      },
    });
    if (typed === undefined) return undefined;
    if (typed !== BACK) return parseDuration(typed);
  }
}

/** What a file's batch is described as by default: its name, or for a retry what it retries. */
function describedAs(file: FileToCreate): string {
  return file.retryOf ? retryMetadata(file.retryOf, file.check.requests).description : defaultDescription(file.name);
}

function confirmItems(files: readonly FileToCreate[], estimates: readonly (InputEstimate | Error)[], choices: CreateChoices, leftOut: readonly string[]): PickItem<'create' | 'cancel'>[] {
  const several = files.length > 1;
  const costs = estimates.map((e) => (e instanceof Error ? undefined : e.cost));
  const total = costs.every((c) => c !== undefined) ? costs.reduce((sum, c) => sum + c!.usd, 0) : undefined;
  const described = choices.description === undefined ? (several ? 'each by its file name' : JSON.stringify(describedAs(files[0]))) : JSON.stringify(choices.description);
  const kept = (seconds: number | undefined) => (seconds === undefined ? '30 days (default)' : describeDuration(seconds));
  const items: PickItem<'create' | 'cancel'>[] = [
    {
      label: several ? `$(check) Create ${files.length} Batches` : '$(check) Create Batch',
      description: total !== undefined ? `est. ${formatUsd(total)} for the input` : 'tokens only: no price known',
      detail: 'Runs within 24 hours at batch prices; requests not done by then expire, unbilled.',
      value: 'create',
    },
    { label: `$(note) Described ${described}`, description: `kept: results ${kept(choices.outputExpiresAfterSeconds)}, input ${kept(choices.inputExpiresAfterSeconds)}` },
  ];
  files.forEach((file, i) => {
    const estimate = estimates[i];
    const { check } = file;
    const embeddings = check.embeddingInputs === undefined ? '' : ` · ${countOf(check.embeddingInputs, 'input')}`;
    items.push({
      label: `$(file) ${file.name}`,
      description: `${countOf(check.requests, 'request')} · ${check.model} · ${check.endpoint}${embeddings}`,
      detail: estimate instanceof Error ? `No token estimate: ${estimate.message}` : estimateLine(estimate),
    });
    if (file.retryOf) items.push({ label: `$(debug-rerun) Retry of ${file.retryOf.id}`, description: 'metadata.retry_of names it; its other metadata is carried over' });
  });
  // Where each cost comes from, or why there is none.
  const notes = new Map<string, PickItem<'create' | 'cancel'>>();
  files.forEach((file, i) => {
    const estimate = estimates[i];
    if (estimate instanceof Error) return;
    if (estimate.cost) notes.set(estimate.cost.source, { label: `$(info) Prices: ${estimate.cost.source}`, description: 'input only; output is billed as it is generated' });
    else notes.set(`?${file.check.model}`, { label: `$(info) No price known for ${file.check.model}`, description: 'add it to the openaiBatches.prices setting for a cost estimate' });
  });
  items.push(...notes.values());
  if (leftOut.length > 0) items.push({ label: '$(info) Left out', description: `${leftOut.join(', ')}: not .jsonl` });
  items.push({ label: '$(close) Cancel', value: 'cancel' });
  return items;
}

/** `~2,104,332 input tokens: text counted with o200k_base; 3 images and tool definitions estimated · est. $0.53` */
function estimateLine(estimate: InputEstimate): string {
  const t = estimate.tokens;
  const estimated = [t.images > 0 ? countOf(t.images, 'image') : '', t.toolTokens > 0 ? 'tool definitions' : ''].filter(Boolean);
  const how = [`text counted with ${t.encoding}${t.sampled ? ' on a sample' : ''}`, estimated.length ? `${estimated.join(' and ')} estimated` : '', t.uncounted > 0 ? `${countOf(t.uncounted, 'part')} not counted` : '']
    .filter(Boolean)
    .join('; ');
  return `~${formatCount(totalInputTokens(t))} input tokens: ${how} · ${estimate.cost ? `est. ${formatUsd(estimate.cost.usd)}` : 'tokens only'}`;
}
