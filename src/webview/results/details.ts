// A chosen row's request and response (or error), side by side, as text.
import type { ResultRow, RowDetails } from '../../core/results/protocol';
import { el } from './dom';

export interface DetailsActions {
  openInEditor(id: number, part: 'request' | 'result'): void;
  copy(text: string): void;
}

const RESULT_TITLE: Record<RowDetails['resultKind'], string> = { output: 'Response', error: 'Error', none: 'Result' };

export class DetailsPane {
  readonly element = el('section', { className: 'details', attrs: { 'aria-label': 'Details', hidden: '' } });
  /** The row whose details were asked for last; answers for any other are stale. */
  private wanted?: number;

  constructor(private readonly actions: DetailsActions) {}

  /** Shows the row's heading at once; its bodies arrive with {@link show}. */
  expect(row: ResultRow): void {
    this.wanted = row.id;
    this.element.hidden = false;
    this.element.replaceChildren(this.heading(row.customId, row.line), el('p', { className: 'muted', text: 'Loading…', attrs: { role: 'status' } }));
  }

  show(details: RowDetails, line: number | undefined): void {
    if (details.id !== this.wanted) return;
    const note = details.truncated ? el('p', { className: 'muted', text: 'Long bodies are cut here; Open in Editor shows them whole.' }) : undefined;
    this.element.replaceChildren(
      this.heading(details.customId, line),
      el('div', { className: 'details-split' }, [
        this.part('Request', 'request', details.id, details.request, 'No input line for this result.'),
        this.part(RESULT_TITLE[details.resultKind], 'result', details.id, details.result, 'No response or error for this request.'),
      ]),
      note ?? '',
    );
    // Below the table: bring it into view without taking the focus from the grid.
    this.element.scrollIntoView({ block: 'nearest' });
  }

  clear(): void {
    this.wanted = undefined;
    this.element.hidden = true;
    this.element.replaceChildren();
  }

  private heading(customId: string | undefined, line: number | undefined): HTMLElement {
    const where = line === undefined ? 'Result without an input line' : `Request #${line}`;
    const copy =
      customId !== undefined &&
      el('vscode-button', { attrs: { secondary: '', 'aria-label': `Copy custom_id ${customId}` }, text: 'Copy custom_id', onClick: () => this.actions.copy(customId) });
    return el('div', { className: 'details-heading' }, [
      el('h2', { text: where }),
      el('span', { className: 'details-id', text: customId === undefined ? '(no custom_id)' : customId }),
      copy,
    ]);
  }

  private part(title: string, part: 'request' | 'result', id: number, text: string | undefined, absent: string): HTMLElement {
    const open =
      text !== undefined &&
      el('vscode-button', { attrs: { secondary: '', 'aria-label': `Open ${title.toLowerCase()} in editor` }, text: 'Open in Editor', onClick: () => this.actions.openInEditor(id, part) });
    return el('div', { className: `details-part details-${part}` }, [
      el('div', { className: 'details-part-heading' }, [el('h3', { text: title }), open]),
      text === undefined ? el('p', { className: 'muted', text: absent }) : el('pre', { className: 'body', text, attrs: { tabindex: '0', 'aria-label': title } }),
    ]);
  }
}
