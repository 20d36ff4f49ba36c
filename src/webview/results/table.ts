// The table of requests: an ARIA grid whose rows are virtualised (@tanstack/virtual-core) and fetched from
// the extension in blocks as they scroll into view, so the page never holds more than a few thousand rows.
import { elementScroll, observeElementOffset, observeElementRect, Virtualizer, type VirtualizerOptions } from '@tanstack/virtual-core';
import { formatCount } from '../../core/format';
import { MAX_ROWS_PER_MESSAGE, outcomeLabel, type Outcome, type ResultRow, type ResultsQuery, type SortColumn } from '../../core/results/protocol';
import { codicon, el } from './dom';

export const COLUMNS: readonly { readonly key: SortColumn; readonly title: string }[] = [
  { key: 'line', title: '#' },
  { key: 'customId', title: 'custom_id' },
  { key: 'outcome', title: 'Outcome' },
  { key: 'status', title: 'Status' },
  { key: 'finishReason', title: 'Finish reason' },
  { key: 'tokens', title: 'Tokens' },
  { key: 'preview', title: 'Preview' },
];

export const OUTCOME_ICON: Readonly<Record<Outcome, string>> = {
  succeeded: 'pass',
  failed: 'error',
  expired: 'watch',
  cancelled: 'circle-slash',
  missing: 'question',
};

const ROW_HEIGHT = 24;
/** Rows asked for at once: aligned blocks, so scrolling back and forth asks for each block once. */
const BLOCK = Math.min(100, MAX_ROWS_PER_MESSAGE);
/** Blocks kept in the page; the farthest from view are dropped beyond this. */
const KEEP_BLOCKS = 40;
const CUT_OFF = new Set(['length', 'content_filter']);

export interface TableHost {
  /** Asks the extension for rows `start..start+count` of query `seq` (count ≤ MAX_ROWS_PER_MESSAGE). */
  requestRows(seq: number, start: number, count: number): void;
  /** A column header was clicked. */
  sortBy(column: SortColumn): void;
  /** A row was chosen with the mouse, Enter or Space. */
  open(row: ResultRow): void;
}

interface RenderedRow {
  readonly element: HTMLElement;
  row?: ResultRow;
  selected: boolean;
}

export class ResultsTable {
  readonly element: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly sizer: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly headers = new Map<SortColumn, HTMLElement>();
  private readonly virtualizer: Virtualizer<HTMLElement, HTMLElement>;
  private readonly options: VirtualizerOptions<HTMLElement, HTMLElement>;
  private seq = -1;
  private total = 0;
  private pendingLabel = false;
  private readonly blocks = new Map<number, readonly ResultRow[]>();
  private readonly requested = new Set<number>();
  private readonly rendered = new Map<number, RenderedRow>();
  private selected = -1;
  /** Enter on a row whose data has not arrived yet: opened when it does. */
  private openWhenLoaded = -1;

  constructor(private readonly host: TableHost) {
    const headerRow = el(
      'div',
      { className: 'grid-row header', attrs: { role: 'row', 'aria-rowindex': '1' } },
      COLUMNS.map((column) => {
        const cell = el('div', { className: `cell col-${column.key}`, attrs: { role: 'columnheader', 'aria-sort': 'none' } }, [
          el('button', { className: 'sort-button', attrs: { type: 'button' }, title: `Sort by ${column.title}`, onClick: () => host.sortBy(column.key) }, [
            el('span', { text: column.title }),
            codicon('arrow-up', 'sort-icon'),
          ]),
        ]);
        this.headers.set(column.key, cell);
        return cell;
      }),
    );
    this.sizer = el('div', { className: 'grid-sizer', attrs: { role: 'presentation' } });
    this.scroller = el('div', { className: 'grid-body', attrs: { role: 'rowgroup' } }, [this.sizer]);
    this.empty = el('p', { className: 'grid-empty', text: 'No request matches.', attrs: { hidden: '' } });
    this.element = el(
      'div',
      { className: 'grid', attrs: { role: 'grid', tabindex: '0', 'aria-label': 'Requests', 'aria-rowcount': '1', 'aria-colcount': String(COLUMNS.length), 'aria-multiselectable': 'false' } },
      [el('div', { className: 'grid-head', attrs: { role: 'rowgroup' } }, [headerRow]), this.scroller, this.empty],
    );
    this.element.addEventListener('keydown', (e) => this.onKey(e));
    this.sizer.addEventListener('click', (e) => {
      const rowElement = (e.target as Element).closest<HTMLElement>('[data-index]');
      if (!rowElement) return;
      const index = Number(rowElement.dataset.index);
      this.element.focus({ preventScroll: true });
      this.select(index, true);
    });
    this.options = {
      count: 0,
      getScrollElement: () => this.scroller,
      estimateSize: () => ROW_HEIGHT,
      scrollToFn: elementScroll,
      observeElementRect,
      observeElementOffset,
      overscan: 12,
      onChange: () => this.render(),
    };
    this.virtualizer = new Virtualizer(this.options);
  }

  /** Call once the element is in the document. */
  mount(): void {
    this.virtualizer._didMount();
    this.virtualizer._willUpdate();
  }

  /** Missing outcomes read "Pending" while the batch runs. */
  setPending(pending: boolean): void {
    this.pendingLabel = pending;
  }

  setSort(sort: ResultsQuery['sort']): void {
    const active = sort ?? { column: 'line', descending: false };
    for (const [key, cell] of this.headers) {
      const on = key === active.column;
      cell.setAttribute('aria-sort', on ? (active.descending ? 'descending' : 'ascending') : 'none');
      cell.classList.toggle('sorted', on);
      cell.classList.toggle('descending', on && active.descending);
    }
  }

  /** A new query's row count: everything fetched for the previous one is dropped. */
  reset(seq: number, total: number): void {
    this.seq = seq;
    this.total = total;
    this.blocks.clear();
    this.requested.clear();
    for (const r of this.rendered.values()) r.element.remove();
    this.rendered.clear();
    this.selected = -1;
    this.openWhenLoaded = -1;
    this.element.removeAttribute('aria-activedescendant');
    this.element.setAttribute('aria-rowcount', String(total + 1));
    this.empty.hidden = total > 0;
    this.virtualizer.setOptions({ ...this.options, count: total });
    this.virtualizer._willUpdate();
    this.virtualizer.scrollToOffset(0);
    this.render();
  }

  /** Rows the extension sent; ignored when they answer an older query. */
  acceptRows(seq: number, start: number, rows: readonly ResultRow[]): void {
    if (seq !== this.seq) return;
    const block = Math.floor(start / BLOCK);
    this.blocks.set(block, rows);
    this.requested.delete(block);
    this.evictFarBlocks(block);
    this.render();
    if (this.openWhenLoaded >= 0) {
      const row = this.rowAt(this.openWhenLoaded);
      if (row) {
        this.openWhenLoaded = -1;
        this.host.open(row);
      }
    }
  }

  get selectedRow(): ResultRow | undefined {
    return this.selected >= 0 ? this.rowAt(this.selected) : undefined;
  }

  private rowAt(index: number): ResultRow | undefined {
    return this.blocks.get(Math.floor(index / BLOCK))?.[index % BLOCK];
  }

  private select(index: number, open: boolean): void {
    if (this.total === 0) return;
    this.selected = Math.max(0, Math.min(this.total - 1, index));
    this.virtualizer.scrollToIndex(this.selected, { align: 'auto' });
    this.render();
    if (!open) return;
    const row = this.rowAt(this.selected);
    if (row) this.host.open(row);
    else this.openWhenLoaded = this.selected;
  }

  private onKey(e: KeyboardEvent): void {
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 1);
    const from = this.selected < 0 ? -1 : this.selected;
    const moves: Record<string, () => number> = {
      ArrowDown: () => from + 1,
      ArrowUp: () => Math.max(0, from - 1),
      Home: () => 0,
      End: () => this.total - 1,
      PageDown: () => from + page,
      PageUp: () => Math.max(0, from - page),
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      this.select(move(), false);
    } else if ((e.key === 'Enter' || e.key === ' ') && this.selected >= 0) {
      e.preventDefault();
      this.select(this.selected, true);
    }
  }

  private render(): void {
    const items = this.virtualizer.getVirtualItems();
    this.sizer.style.height = `${this.virtualizer.getTotalSize()}px`;
    const wanted = new Set<number>();
    for (const item of items) {
      wanted.add(item.index);
      let r = this.rendered.get(item.index);
      if (!r) {
        const element = el('div', { className: 'grid-row', attrs: { role: 'row', id: `row-${item.index}`, 'aria-rowindex': String(item.index + 2), 'aria-selected': 'false', 'data-index': String(item.index) } });
        r = { element, selected: false };
        fillRow(element, undefined, this.pendingLabel);
        this.rendered.set(item.index, r);
        this.sizer.append(element);
      }
      r.element.style.transform = `translateY(${item.start}px)`;
      const row = this.rowAt(item.index);
      if (row && row !== r.row) {
        r.row = row;
        fillRow(r.element, row, this.pendingLabel);
      }
      const selected = item.index === this.selected;
      if (selected !== r.selected) {
        r.selected = selected;
        r.element.setAttribute('aria-selected', String(selected));
      }
    }
    for (const [index, r] of this.rendered) {
      if (wanted.has(index)) continue;
      r.element.remove();
      this.rendered.delete(index);
    }
    if (this.selected >= 0 && this.rendered.has(this.selected)) this.element.setAttribute('aria-activedescendant', `row-${this.selected}`);
    else this.element.removeAttribute('aria-activedescendant');
    if (items.length > 0) this.fetch(items[0].index, items[items.length - 1].index);
  }

  private fetch(first: number, last: number): void {
    for (let block = Math.floor(first / BLOCK); block <= Math.floor(last / BLOCK); block++) {
      if (this.blocks.has(block) || this.requested.has(block)) continue;
      this.requested.add(block);
      const start = block * BLOCK;
      this.host.requestRows(this.seq, start, Math.min(BLOCK, this.total - start));
    }
  }

  private evictFarBlocks(near: number): void {
    if (this.blocks.size <= KEEP_BLOCKS) return;
    const far = [...this.blocks.keys()].sort((a, b) => Math.abs(b - near) - Math.abs(a - near));
    for (const block of far.slice(0, this.blocks.size - KEEP_BLOCKS)) this.blocks.delete(block);
  }
}

/** The cells of one row; a row not yet received shows as loading. */
function fillRow(element: HTMLElement, row: ResultRow | undefined, pending: boolean): void {
  const cell = (key: SortColumn, children: (Node | string)[], title?: string) => el('div', { className: `cell col-${key}`, attrs: { role: 'gridcell' }, title }, children);
  if (!row) {
    element.replaceChildren(...COLUMNS.map((c) => cell(c.key, c.key === 'preview' ? [el('span', { className: 'muted', text: 'Loading…' })] : [])));
    element.setAttribute('aria-busy', 'true');
    return;
  }
  element.removeAttribute('aria-busy');
  const label = outcomeLabel(row.outcome, pending);
  const flags: (Node | string)[] = [];
  if (row.duplicate) flags.push(el('span', { className: 'flag', text: 'duplicate', title: 'This custom_id was used on an earlier input line' }));
  if (row.orphan) flags.push(el('span', { className: 'flag', text: 'orphan', title: 'No input line has this custom_id' }));
  if (row.unreadable) flags.push(el('span', { className: 'flag', text: 'unreadable', title: 'This input line is not a JSON object with a string custom_id' }));
  if (row.attempt) flags.push(el('span', { className: 'flag', text: `retry ${row.attempt}`, title: `The result of retry ${row.attempt}` }));
  const id = row.customId === undefined ? el('span', { className: 'muted', text: '(none)' }) : row.customId;
  element.replaceChildren(
    cell('line', [row.line === undefined ? '—' : String(row.line)]),
    cell('customId', [id, ...flags], row.customId),
    cell('outcome', [codicon(row.outcome === 'missing' && pending ? 'clock' : OUTCOME_ICON[row.outcome], `outcome-text-${row.outcome}`), ` ${label}`]),
    cell('status', [row.status === undefined ? '' : String(row.status)]),
    cell('finishReason', row.finishReason === undefined ? [] : [el('span', { className: CUT_OFF.has(row.finishReason) ? 'cut-off' : '', text: row.finishReason })]),
    cell('tokens', [row.tokens === undefined ? '' : formatCount(row.tokens)]),
    cell('preview', [row.preview], row.preview),
  );
}
