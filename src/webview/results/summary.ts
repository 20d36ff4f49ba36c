// The summary above the table: outcomes (text and one stacked bar), error groups, finish reasons, token
// totals, anomalies and the state of each file. Every figure is text; the bar repeats it for the eye.
import { countOf, formatBytes, formatCount, formatUsd } from '../../core/format';
import { combinedSummaryText, outcomeLabel, type JoinAnomalies, type LineRef, type Outcome, type ResultFileState, type ResultsCost, type ResultsQuery, type ResultsSummary } from '../../core/results/protocol';
import { codicon, el, linkButton } from './dom';

export interface SummaryActions {
  /** Shows only this outcome's rows. */
  filterOutcome(outcome: Outcome): void;
  /** Shows only the rows of this error group. */
  filterError(key: string): void;
  /** Opens the prices setting (from the cost line). */
  openPrices(): void;
}

/** `0.981` → `98.1%`; a share too small to show as a figure still reads as more than nothing. */
export function formatShare(share: number): string {
  if (share > 0 && share < 0.001) return '<0.1%';
  return `${(share * 100).toFixed(share === 1 || share === 0 ? 0 : 1)}%`;
}

export function renderSummary(summary: ResultsSummary, query: ResultsQuery, actions: SummaryActions): HTMLElement {
  return el('section', { className: 'summary', attrs: { 'aria-label': 'Summary' } }, [
    outcomesBlock(summary, query, actions),
    errorsBlock(summary, query, actions),
    finishReasonsBlock(summary),
    tokensBlock(summary, actions),
    anomaliesBlock(summary.anomalies),
    filesBlock(summary.files),
  ]);
}

function block(title: string, className: string, children: (Node | undefined | false)[]): HTMLElement {
  return el('div', { className: `summary-block ${className}` }, [el('h2', { text: title }), ...children]);
}

function outcomesBlock(summary: ResultsSummary, query: ResultsQuery, actions: SummaryActions): HTMLElement {
  const shown = summary.outcomes.filter((o) => o.count > 0);
  const label = (outcome: Outcome) => outcomeLabel(outcome, summary.pending);
  const describe = shown.map((o) => `${label(o.outcome)} ${formatCount(o.count)} (${formatShare(o.share)})`).join(', ');
  const bar = el('div', { className: 'outcome-bar', attrs: { role: 'img', 'aria-label': describe ? `Outcomes: ${describe}` : 'No requests' } });
  for (const o of shown) {
    const segment = el('div', { className: `segment outcome-${o.outcome}`, title: `${label(o.outcome)}: ${formatCount(o.count)} (${formatShare(o.share)})` });
    segment.style.flexGrow = String(o.count); // CSSOM, not a style attribute: allowed by the page's CSP
    bar.append(segment);
  }
  const only = query.outcomes?.length === 1 ? query.outcomes[0] : undefined;
  const list = el(
    'ul',
    { className: 'outcome-list' },
    summary.outcomes.map((o) =>
      el('li', { className: o.count === 0 ? 'zero' : '' }, [
        el('span', { className: `swatch outcome-${o.outcome}`, attrs: { 'aria-hidden': 'true' } }),
        o.count > 0
          ? linkButton(label(o.outcome), () => actions.filterOutcome(o.outcome), {
              title: `Show only the ${label(o.outcome).toLowerCase()} requests`,
              pressed: only === o.outcome,
              className: 'outcome-name',
            })
          : el('span', { className: 'outcome-name', text: label(o.outcome) }),
        el('span', { className: 'count', text: formatCount(o.count) }),
        el('span', { className: 'share', text: formatShare(o.share) }),
      ]),
    ),
  );
  const total = el('p', { className: 'total', text: `${formatCount(summary.total)} request${summary.total === 1 ? '' : 's'} in the input${summary.pending ? `; ${summary.combined ? 'a retry' : 'the batch'} is still running` : ''}.` });
  const c = summary.combined;
  const combined = c && el('p', { className: 'combined-total', text: `${combinedSummaryText(c)}: each request’s latest outcome across ${countOf(c.batchIds.length, 'batch', 'batches')}.` });
  return block('Outcomes', 'outcomes', [combined, total, bar, list]);
}

function errorsBlock(summary: ResultsSummary, query: ResultsQuery, actions: SummaryActions): HTMLElement | undefined {
  if (summary.errors.length === 0) return undefined;
  const table = el('table', { className: 'error-table' }, [
    el('caption', { className: 'visually-hidden', text: 'Errors by code or HTTP status; choose one to show its requests.' }),
    el('thead', {}, [el('tr', {}, [el('th', { text: 'Error', attrs: { scope: 'col' } }), el('th', { text: 'Count', attrs: { scope: 'col' } }), el('th', { text: 'Example', attrs: { scope: 'col' } })])]),
    el(
      'tbody',
      {},
      summary.errors.map((group) => {
        const name = group.code ?? (group.status !== undefined ? `HTTP ${group.status}` : group.key);
        return el('tr', {}, [
          el('td', {}, [
            linkButton(name, () => actions.filterError(group.key), {
              title: `Show only the requests that failed with ${name}`,
              pressed: query.errorKey === group.key,
              className: `outcome-text-${group.outcome}`,
            }),
          ]),
          el('td', { className: 'count', text: formatCount(group.count) }),
          el('td', { className: 'example', text: group.example, title: group.example }),
        ]);
      }),
    ),
  ]);
  return block('Errors', 'errors', [table]);
}

function finishReasonsBlock(summary: ResultsSummary): HTMLElement | undefined {
  if (summary.finishReasons.length === 0) return undefined;
  const cut = summary.finishReasons.filter((r) => r.cutOff && r.count > 0);
  const cutTotal = cut.reduce((sum, r) => sum + r.count, 0);
  const list = el(
    'ul',
    { className: 'inline-list' },
    summary.finishReasons.map((r) => el('li', { className: r.cutOff ? 'cut-off' : '' }, [el('span', { className: 'reason', text: r.reason }), ' ', el('span', { className: 'count', text: formatCount(r.count) })])),
  );
  const warning =
    cutTotal > 0 &&
    el('p', { className: 'warning', attrs: { role: 'note' } }, [
      codicon('warning'),
      ` ${formatCount(cutTotal)} answer${cutTotal === 1 ? ' was' : 's were'} cut off (${cut.map((r) => `${r.reason}: ${formatCount(r.count)}`).join(', ')}).`,
    ]);
  return block('Finish reasons', 'finish-reasons', [list, warning]);
}

function tokensBlock(summary: ResultsSummary, actions: SummaryActions): HTMLElement {
  const t = summary.tokens;
  if (!t || t.responses === 0) return block('Tokens', 'tokens', [el('p', { className: 'muted', text: 'No response carried token usage.' })]);
  const entry = (name: string, value: number) => el('div', {}, [el('dt', { text: name }), el('dd', { text: formatCount(value) })]);
  return block('Tokens', 'tokens', [
    el('dl', { className: 'token-list' }, [entry('Input', t.input), entry('Cached', t.cached), entry('Output', t.output), entry('Reasoning', t.reasoning)]),
    el('p', { className: 'muted', text: `From ${formatCount(t.responses)} response${t.responses === 1 ? '' : 's'} with usage.` }),
    summary.cost && costLine(summary.cost, actions),
  ]);
}

/**
 * `Estimated cost: $1.23 at batch prices (gpt-tokenizer 4.0.0 catalogue, batch prices) · Set prices`; what
 * has no price is named, never guessed.
 */
function costLine(cost: ResultsCost, actions: SummaryActions): HTMLElement {
  const parts: string[] = [];
  if (cost.usd !== undefined) {
    const some = cost.unpriced.length > 0 ? ` for ${formatCount(cost.pricedResponses)} response${cost.pricedResponses === 1 ? '' : 's'}` : '';
    parts.push(`Estimated cost: ${formatUsd(cost.usd)}${some}, an estimate at batch prices from ${cost.sources.join('; ')}.`);
  } else {
    parts.push('Estimated cost: none.');
  }
  for (const { model, responses } of cost.unpriced) {
    const n = `${formatCount(responses)} response${responses === 1 ? '' : 's'}`;
    parts.push(model === '' ? `${n} name no model: tokens only.` : `No price known for ${model} (${n}): tokens only.`);
  }
  return el('p', { className: 'cost' }, [
    el('span', { text: `${parts.join(' ')} ` }),
    linkButton('Set prices', () => actions.openPrices(), { title: 'Your own prices per model: the openaiBatches.prices setting' }),
  ]);
}

const FILE_NAME: Record<LineRef['file'], string> = { input: 'input', output: 'output', error: 'error' };

function lineRefs(refs: readonly LineRef[], count: number): string {
  const shown = refs.map((r) => {
    const about = [r.customId, r.reason].filter((s) => s !== undefined && s !== '').join(': ');
    return `${FILE_NAME[r.file]} line ${formatCount(r.line)}${about ? ` (${about})` : ''}`;
  });
  const more = count > refs.length ? `, and ${formatCount(count - refs.length)} more` : '';
  return `${shown.join(', ')}${more}`;
}

function anomaliesBlock(a: JoinAnomalies): HTMLElement {
  const items: HTMLElement[] = [];
  const item = (count: number, what: string, refs: readonly LineRef[]) => {
    if (count === 0) return;
    items.push(el('li', {}, [codicon('warning', 'warning-icon'), el('span', { text: ` ${formatCount(count)} ${what}: ` }), el('span', { className: 'refs', text: lineRefs(refs, count) })]));
  };
  item(a.orphanCount, a.orphanCount === 1 ? 'result whose custom_id is not in the input' : 'results whose custom_id is not in the input', a.orphans);
  item(a.duplicateCount, a.duplicateCount === 1 ? 'input line repeats a custom_id' : 'input lines repeat a custom_id', a.duplicates);
  item(a.unreadableCount, a.unreadableCount === 1 ? 'unreadable line' : 'unreadable lines', a.unreadable);
  const body = items.length > 0 ? el('ul', { className: 'anomaly-list' }, items) : el('p', { className: 'muted', text: 'No orphans, duplicates or unreadable lines.' });
  return block('Anomalies', 'anomalies', [body]);
}

const FILE_TITLE: Record<ResultFileState['kind'], string> = { input: 'Input', output: 'Output', error: 'Errors' };

function filesBlock(files: readonly ResultFileState[]): HTMLElement {
  return block('Files', 'files', [
    el(
      'ul',
      { className: 'file-list' },
      files.map((f) => {
        const name = el('span', { className: 'file-kind', text: `${FILE_TITLE[f.kind]}` });
        const id = f.fileId ? el('span', { className: 'file-id', text: ` ${f.fileId}` }) : undefined;
        if (f.state === 'failed') {
          return el('li', { className: 'file-failed', attrs: { role: 'alert' } }, [codicon('error'), ' ', name, id, el('span', { text: ` could not be loaded: ${f.message ?? 'unknown error'}` })]);
        }
        if (f.state === 'none') return el('li', { className: 'muted' }, [codicon('circle-slash'), ' ', name, el('span', { text: ': none' })]);
        const size = [f.bytes !== undefined ? formatBytes(f.bytes) : undefined, f.lines !== undefined ? `${formatCount(f.lines)} line${f.lines === 1 ? '' : 's'}` : undefined].filter(Boolean).join(', ');
        return el('li', {}, [codicon('pass'), ' ', name, id, el('span', { className: 'muted', text: size ? ` · ${size}` : '' })]);
      }),
    ),
  ]);
}
