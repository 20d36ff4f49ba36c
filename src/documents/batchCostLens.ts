import * as vscode from 'vscode';
import { describeError } from '../core/apiError';
import { parseBatch } from '../core/batch';
import { parseConnectionAuthority } from '../core/documentPaths';
import { PRICES_SETTING } from '../core/pricing';
import type { UsageCosts } from '../services/usageCosts';

/**
 * Above a batch JSON's `"usage"`: its estimated cost at batch prices and where the prices come from; the
 * document itself stays exactly what the server sent. Choosing it opens the prices setting.
 */
export class BatchCostLens implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly costs: UsageCosts) {}

  /** The prices changed: every lens says it again. */
  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const text = doc.getText();
    const at = /^[ \t]*"usage"[ \t]*:/m.exec(text);
    if (!at) return [];
    let batch;
    try {
      batch = parseBatch(JSON.parse(text)).batch;
    } catch {
      return [];
    }
    if (!batch?.usage) return [];
    let title: string | undefined;
    try {
      const { price, usage } = await this.costs.prices(parseConnectionAuthority(doc.uri.authority));
      title = usage.batchCostTitle(usage.batchCost(batch, price));
    } catch (e) {
      title = `Estimated cost: unavailable — the prices could not be loaded (${describeError(e)})`;
    }
    if (!title) return [];
    const line = doc.positionAt(at.index).line;
    return [
      new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
        title,
        tooltip: `Set your own prices per model: ${PRICES_SETTING}`,
        command: 'workbench.action.openSettings',
        arguments: [PRICES_SETTING],
      }),
    ];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
