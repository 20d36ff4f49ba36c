// Filter Batches… and Find in All Batches, bundled with the other flows (dist/flows.js) and loaded when one of
// them is first used. commands/filterCommands.ts registers the commands and holds the view's filter.
import * as vscode from 'vscode';
import type { Batch } from '../core/batch';
import { ageCutoff, batchMatcher, filterDescription, findInAllBatches as findPages, FILTER_AGES, isFilterActive, NO_FILTER, type BatchFilter, type FilterAge, type FindResult } from '../core/batchFilter';
import { formatCount } from '../core/format';
import { KNOWN_STATUSES, statusAppearance, statusLabel } from '../core/status';
import { abortSignalFor } from '../documents/cancellation';
import { setting } from '../services/settings';
import type { CommandContext } from '../commands/context';
import type { ActiveFilter, FilterDeps } from '../commands/filterCommands';
import { BACK, inputStep, pickManyStep, pickStep, type ManyItem, type PickItem } from '../commands/quickSteps';
import { showError } from '../commands/showError';

const TITLE = 'Filter Batches';

/**
 * Asks for the statuses, words and age (the current filter's, to change), and shows only the loaded
 * batches that match. Resolves with the filter set, undefined when dismissed; an empty filter clears it.
 */
export async function filterBatches(ctx: CommandContext, deps: FilterDeps): Promise<BatchFilter | undefined> {
  let filter: BatchFilter = deps.filter.current?.filter ?? NO_FILTER;
  for (let step = 1; step <= 3; ) {
    const at = { title: TITLE, step, totalSteps: 3 };
    if (step === 1) {
      const statuses = await pickManyStep<string>(deps.prompts, {
        ...at,
        id: 'filterStatuses',
        placeholder: 'The statuses to show',
        emptyPlaceholder: 'Nothing checked: any status (Enter to go on)',
        // The filter applies under every connection's root: the counts cover them all.
        items: statusItems(ctx.everyConnection().flatMap((c) => c.store.batches), filter.statuses),
        allowNone: true,
      });
      if (statuses === undefined || statuses === BACK) return undefined;
      filter = { ...filter, statuses };
      step++;
    } else if (step === 2) {
      const text = await inputStep(deps.prompts, {
        ...at,
        id: 'filterText',
        value: filter.text,
        prompt: 'Words to find (each of them, any case) in the id, description and other metadata, model, endpoint or input file name. Blank: any batch.',
        placeholder: 'e.g. gpt-4o nightly',
      });
      if (text === undefined) return undefined;
      if (text === BACK) step--;
      else {
        filter = { ...filter, text: text.trim() };
        step++;
      }
    } else {
      const ages = Object.keys(FILTER_AGES) as FilterAge[];
      const age = await pickStep<FilterAge>(deps.prompts, {
        ...at,
        id: 'filterAge',
        placeholder: 'Created within',
        items: ages.map((value) => ({ label: FILTER_AGES[value].label, value })),
        active: ages.indexOf(filter.age),
      });
      if (age === undefined) return undefined;
      if (age === BACK) step--;
      else {
        filter = { ...filter, age };
        step++;
      }
    }
  }
  deps.filter.apply(activeFilter(ctx, filter));
  return filter;
}

/**
 * Pages through the account (one request per page, newest first) until a page's worth more batches
 * (openaiBatches.pageSize) match the filter, a page reaches past its age, the list ends or the user
 * cancels. What it loads stays loaded. Without a filter, asks for one first. Resolves with how it ended.
 */
export async function findInAllBatches(ctx: CommandContext, deps: FilterDeps): Promise<FindResult | undefined> {
  if (!deps.filter.current && !(await filterBatches(ctx, deps))) return undefined;
  const current = deps.filter.current;
  if (!current) return undefined;
  try {
    await ctx.session.readyClient();
  } catch (e) {
    showError('Cannot find batches', e, ctx.log);
    return undefined;
  }
  // Ages are measured from now, for the rows shown and the pages asked for alike.
  const now = Date.now();
  const active = activeFilter(ctx, current.filter, now) ?? current;
  deps.filter.apply(active);
  const want = ctx.store.batches.filter(active.matches).length + setting('pageSize');
  const cutoff = ageCutoff(current.filter.age, now);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Finding ${active.description}`, cancellable: true },
    (progress, token) =>
      findPages(ctx.store, active.matches, {
        want,
        cutoff,
        signal: abortSignalFor(token),
        onPage: (pages, matches) => progress.report({ message: `${formatCount(pages)} ${pages === 1 ? 'page' : 'pages'} loaded · ${formatCount(matches)} matching` }),
      }),
  );
  const found = `${formatCount(result.matches)} loaded ${result.matches === 1 ? 'batch matches' : 'batches match'} ${active.description}`;
  if (result.end === 'failed') showError(`Find in All Batches stopped after ${formatCount(result.pages)} pages (${found})`, result.error, ctx.log, () => findInAllBatches(ctx, deps));
  else {
    const why: Record<Exclude<FindResult['end'], 'failed'>, string> = {
      enough: 'There may be more: Find in All Batches again looks further.',
      ageLimit: `Every batch of the ${FILTER_AGES[current.filter.age].label.toLowerCase()} is loaded.`,
      end: 'Every batch is loaded.',
      cancelled: 'Cancelled; what was loaded stays.',
    };
    const message = `${found}. ${why[result.end]}`;
    ctx.log.info(`Find in All Batches: ${formatCount(result.pages)} pages requested; ${message}`);
    void vscode.window.showInformationMessage(message);
  }
  return result;
}

function activeFilter(ctx: CommandContext, filter: BatchFilter, now = Date.now()): ActiveFilter | undefined {
  if (!isFilterActive(filter)) return undefined;
  const fileName = (fileId: string) => {
    const info = ctx.files.get(fileId);
    return info?.state === 'ready' ? info.file.filename : undefined;
  };
  return { filter, matches: batchMatcher(filter, now, fileName), description: filterDescription(filter) };
}

/** Every known status, then any other status a loaded batch has, each with how many are loaded. */
function statusItems(batches: readonly Batch[], checked: readonly string[]): ManyItem<string>[] {
  const counts = new Map<string, number>();
  for (const b of batches) counts.set(b.status, (counts.get(b.status) ?? 0) + 1);
  const statuses = [...new Set<string>([...KNOWN_STATUSES, ...counts.keys(), ...checked])];
  return statuses.map((status) => {
    const n = counts.get(status) ?? 0;
    const item: PickItem<string> & ManyItem<string> = {
      label: `$(${statusAppearance(status).icon}) ${statusLabel(status)}`,
      description: n > 0 ? `${formatCount(n)} loaded` : undefined,
      value: status,
      picked: checked.includes(status),
    };
    return item;
  });
}
