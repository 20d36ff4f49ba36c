// The Results page: summary, filters, the virtual table and a row's details. It knows nothing but the
// messages of protocol.ts; everything it shows arrives from the extension and is inserted as text.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { VscodeTextfield } from '@vscode-elements/elements/dist/vscode-textfield/vscode-textfield.js';
import { formatCount } from '../../core/format';
import {
  OUTCOMES,
  outcomeLabel,
  type Outcome,
  type PageMessage,
  type PanelMessage,
  type ResultRow,
  type ResultsPanelState,
  type ResultsQuery,
  type ResultsSummary,
  type SortColumn,
} from '../../core/results/protocol';
import { DetailsPane } from './details';
import { el } from './dom';
import { renderSummary } from './summary';
import { ResultsTable } from './table';
import './results.css';

interface VsCodeApi {
  postMessage(message: PageMessage): void;
  getState(): unknown;
  setState(state: ResultsPanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const SEARCH_DEBOUNCE_MS = 250;

const vscode = acquireVsCodeApi();
const saved = vscode.getState() as ResultsPanelState | undefined;
let state: ResultsPanelState = { batchId: saved?.batchId ?? document.body.dataset.batchId ?? '', connection: saved?.connection ?? document.body.dataset.connection, query: saved?.query ?? {} };
let summary: ResultsSummary | undefined;
/** Combined was asked for and its answer has not come yet (a summary without it means it failed). */
let combinedAsked = false;
let seq = 0;
let matching = 0;
/** The row whose details are showing (its line number titles the pane). */
let openRow: ResultRow | undefined;

const post = (message: PageMessage) => vscode.postMessage(message);

// ---------------------------------------------------------------------------------------------------
// Layout

const title = el('h1', { text: `Results: ${state.batchId}` });
const meta = el('span', { className: 'meta' });
const exportButton = el('vscode-button', { attrs: { icon: 'export' }, text: 'Export Results…', onClick: () => post({ type: 'export' }) });
const retryButton = el('vscode-button', {
  attrs: { icon: 'debug-rerun', secondary: '' },
  text: 'Retry Failed Requests…',
  title: 'Resubmit the requests that did not succeed (only the current filter’s, when one is set)',
  onClick: () => post({ type: 'retry' }),
});
const combinedButton = el('vscode-button', {
  attrs: { icon: 'combine', secondary: '', hidden: '', 'aria-pressed': 'false' },
  text: 'Combined',
  title: 'Each request’s latest outcome across this batch and its retries',
  onClick: toggleCombined,
});
const reloadButton = el('vscode-button', { attrs: { icon: 'refresh', secondary: '' }, text: 'Reload', title: 'Fetch the batch and its files again', onClick: reload });
const header = el('header', { className: 'page-header' }, [el('div', { className: 'titles' }, [title, meta]), el('div', { className: 'actions' }, [combinedButton, retryButton, exportButton, reloadButton])]);

const loadingText = el('span', { text: 'Loading the results…' });
const loading = el('div', { className: 'loading', attrs: { role: 'status', 'aria-live': 'polite' } }, [el('vscode-progress-ring', { attrs: { 'aria-hidden': 'true' } }), loadingText]);
const failureText = el('p', {});
const failure = el('div', { className: 'failure', attrs: { role: 'alert', hidden: '' } }, [
  failureText,
  el('vscode-button', { attrs: { icon: 'refresh' }, text: 'Reload', onClick: reload }),
]);

const summaryHost = el('div', { className: 'summary-host' });
const outcomeFilters = el('div', { className: 'outcome-filters', attrs: { role: 'group', 'aria-label': 'Filter by outcome' } });
const errorFilter = el('div', { className: 'error-filter' });
const search = el('vscode-textfield', { attrs: { label: 'Search', placeholder: 'Search custom_id, answer or error', type: 'search' } }, [
  el('vscode-icon', { attrs: { slot: 'content-before', name: 'search', 'aria-hidden': 'true' } }),
]) as VscodeTextfield;
search.id = 'search';
const count = el('span', { className: 'count-text', attrs: { role: 'status', 'aria-live': 'polite' } });
const clearFilters = el('vscode-button', { attrs: { secondary: '', icon: 'clear-all', hidden: '' }, text: 'Clear Filters', onClick: clearAllFilters });
const filters = el('div', { className: 'filters' }, [
  el('div', { className: 'search-box' }, [el('label', { className: 'search-label', text: 'Search', attrs: { for: 'search' } }), search]),
  outcomeFilters,
  errorFilter,
  clearFilters,
  count,
]);

const table = new ResultsTable({
  requestRows: (rowsSeq, start, rowCount) => post({ type: 'rows', seq: rowsSeq, start, count: rowCount }),
  sortBy,
  open: (row) => {
    openRow = row;
    details.expect(row);
    post({ type: 'details', id: row.id });
  },
});
const details = new DetailsPane({
  openInEditor: (id, part) => post({ type: 'openInEditor', id, part }),
  copy: (text) => post({ type: 'copy', text }),
});
const content = el('main', { className: 'content', attrs: { hidden: '' } }, [summaryHost, filters, table.element, details.element]);
document.body.replaceChildren(header, loading, failure, content);
table.mount();

// ---------------------------------------------------------------------------------------------------
// Query: every change is saved (a reload restores it) and sent with a new sequence number.

function setQuery(query: ResultsQuery): void {
  state = { ...state, query: compact(query) };
  vscode.setState(state);
  runQuery();
}

function runQuery(): void {
  if (!summary) return;
  seq++;
  post({ type: 'query', seq, query: state.query ?? {} });
  renderFilters();
}

/** Only what is set, so the saved state and the messages stay small and comparable. */
function compact(query: ResultsQuery): ResultsQuery {
  return {
    ...(query.outcomes?.length ? { outcomes: query.outcomes } : {}),
    ...(query.errorKey ? { errorKey: query.errorKey } : {}),
    ...(query.search ? { search: query.search } : {}),
    ...(query.sort && !(query.sort.column === 'line' && !query.sort.descending) ? { sort: query.sort } : {}),
  };
}

function sortBy(column: SortColumn): void {
  const current = state.query?.sort ?? { column: 'line', descending: false };
  setQuery({ ...state.query, sort: { column, descending: current.column === column ? !current.descending : false } });
}

function toggleOutcome(outcome: Outcome): void {
  const outcomes = new Set(state.query?.outcomes ?? []);
  if (outcomes.has(outcome)) outcomes.delete(outcome);
  else outcomes.add(outcome);
  setQuery({ ...state.query, outcomes: OUTCOMES.filter((o) => outcomes.has(o)) });
}

let searchTimer: ReturnType<typeof setTimeout> | undefined;
search.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => setQuery({ ...state.query, search: search.value.trim() }), SEARCH_DEBOUNCE_MS);
});

function clearAllFilters(): void {
  clearTimeout(searchTimer);
  search.value = '';
  setQuery({ sort: state.query?.sort });
}

function toggleCombined(): void {
  if (!summary) return;
  const on = !summary.combined;
  state = { ...state, combined: on };
  vscode.setState(state);
  combinedAsked = on;
  post({ type: 'combined', on });
}

function reload(): void {
  summary = undefined;
  showLoading('Loading the results…');
  post({ type: 'reload' });
}

// ---------------------------------------------------------------------------------------------------
// Rendering

function renderFilters(): void {
  if (!summary) return;
  const query = state.query ?? {};
  const pending = summary.pending;
  outcomeFilters.replaceChildren(
    ...summary.outcomes
      .filter((o) => o.count > 0)
      .map((o) => {
        const pressed = query.outcomes?.includes(o.outcome) ?? false;
        const button = el('button', { className: `chip outcome-chip-${o.outcome}`, attrs: { type: 'button', 'aria-pressed': String(pressed) } }, [
          el('span', { className: `swatch outcome-${o.outcome}`, attrs: { 'aria-hidden': 'true' } }),
          `${outcomeLabel(o.outcome, pending)} ${formatCount(o.count)}`,
        ]);
        button.addEventListener('click', () => toggleOutcome(o.outcome));
        return button;
      }),
  );
  clearFilters.hidden = !(query.outcomes?.length || query.errorKey || query.search);
  const group = query.errorKey ? summary.errors.find((g) => g.key === query.errorKey) : undefined;
  errorFilter.replaceChildren(
    ...(query.errorKey
      ? [
          el('span', { text: `Error: ${group?.code ?? (group?.status !== undefined ? `HTTP ${group.status}` : query.errorKey)}` }),
          el('vscode-button', { attrs: { secondary: '', icon: 'close', 'icon-only': '', 'aria-label': 'Clear the error filter', title: 'Clear the error filter' }, onClick: () => setQuery({ ...state.query, errorKey: undefined }) }),
        ]
      : []),
  );
  summaryHost.replaceChildren(
    renderSummary(summary, query, {
      filterOutcome: (outcome) => setQuery({ ...state.query, outcomes: [outcome], errorKey: undefined }),
      filterError: (key) => setQuery({ ...state.query, errorKey: key, outcomes: undefined }),
      openPrices: () => post({ type: 'openPrices' }),
    }),
  );
  table.setSort(query.sort);
}

function showSummary(next: ResultsSummary, combinable: boolean): void {
  summary = next;
  const endpoint = next.endpoint ? ` · ${next.endpoint}` : '';
  // Named as the tab is: the description people gave the batch, its id beside the status then.
  const id = next.description ? `${next.batchId} · ` : '';
  const name = next.description ?? next.batchId;
  meta.textContent = `${id}${next.batchStatus}${endpoint} · ${formatCount(next.total)} request${next.total === 1 ? '' : 's'}`;
  const retries = (next.combined?.batchIds.length ?? 1) - 1;
  title.textContent = next.combined ? `Combined results: ${name} and ${retries === 1 ? 'its retry' : `${formatCount(retries)} retries`}` : `Results: ${name}`;
  combinedButton.hidden = !combinable;
  combinedButton.setAttribute('aria-pressed', String(!!next.combined));
  exportButton.textContent = next.combined ? 'Export Combined Results…' : 'Export Results…';
  // Combined was on before a reload: ask for it again (once; a summary without it means it failed).
  const wanted = state.combined === true && combinable;
  if (wanted && !next.combined && !combinedAsked) {
    combinedAsked = true;
    post({ type: 'combined', on: true });
  } else if (!next.combined && combinedAsked) {
    combinedAsked = false;
    state = { ...state, combined: false };
  } else if (next.combined) combinedAsked = false;
  state = { ...state, batchId: state.batchId || next.batchId };
  vscode.setState(state);
  loading.hidden = true;
  failure.hidden = true;
  content.hidden = false;
  exportButton.toggleAttribute('disabled', false);
  retryButton.toggleAttribute('disabled', false);
  table.setPending(next.pending);
  if (search.value !== (state.query?.search ?? '')) search.value = state.query?.search ?? '';
  runQuery();
}

function showLoading(message: string): void {
  loadingText.textContent = message;
  loading.hidden = false;
  failure.hidden = true;
  content.hidden = true;
  exportButton.toggleAttribute('disabled', true);
  retryButton.toggleAttribute('disabled', true);
}

function showFailure(message: string): void {
  failureText.textContent = message;
  loading.hidden = true;
  failure.hidden = false;
  content.hidden = true;
  exportButton.toggleAttribute('disabled', true);
  retryButton.toggleAttribute('disabled', true);
}

function showCount(total: number): void {
  matching = total;
  const all = summary ? summary.total + summary.anomalies.orphanCount : total;
  count.textContent = `Showing ${formatCount(matching)} of ${formatCount(all)}`;
}

window.addEventListener('message', (event: MessageEvent<PanelMessage>) => {
  const message = event.data;
  switch (message.type) {
    case 'progress':
      showLoading(message.fraction === undefined ? message.message : `${message.message} (${Math.round(message.fraction * 100)}%)`);
      break;
    case 'summary':
      showSummary(message.summary, message.combinable === true);
      break;
    case 'queryResult':
      if (message.seq !== seq) return; // answers an older query
      showCount(message.total);
      table.reset(message.seq, message.total);
      break;
    case 'rows':
      table.acceptRows(message.seq, message.start, message.rows);
      break;
    case 'details':
      details.show(message.details, openRow?.id === message.details.id ? openRow.line : undefined);
      break;
    case 'failed':
      showFailure(message.message);
      break;
  }
});

vscode.setState(state);
post({ type: 'ready' });
