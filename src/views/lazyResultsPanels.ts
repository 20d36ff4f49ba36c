import * as vscode from 'vscode';
import type { Batch } from '../core/batch';
import { describeError } from '../core/apiError';
import { RESULTS_VIEW_TYPE } from '../constants';
import type { ResultsPanel, ResultsPanelDeps, ResultsPanels } from './resultsPanel';

/**
 * What activation holds of the Results panels: the serializer VS Code asks to restore them, which must be
 * registered at once, and the panels themselves (views/resultsPanel.ts, in dist/results.js with the engine),
 * loaded when a panel is first opened or restored. Until then no panel is open, so there is nothing to find.
 */
export class LazyResultsPanels implements vscode.Disposable {
  private loading?: Promise<ResultsPanels>;
  private loaded?: ResultsPanels;
  private disposed = false;
  private readonly serializer: vscode.Disposable;

  constructor(private readonly deps: ResultsPanelDeps) {
    this.serializer = vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => {
        try {
          (await this.load()).restore(panel, state);
        } catch (e) {
          deps.log.error(`A Results panel could not be restored: ${describeError(e)}`);
          panel.dispose();
        }
      },
    });
  }

  /** Reveals the panel of the batch of `connection` (by default the one in use), or opens one. */
  async open(batch: Batch, connection?: string): Promise<ResultsPanel> {
    return (await this.load()).open(batch, connection);
  }

  get(batchId: string, connection?: string): ResultsPanel | undefined {
    return this.loaded?.get(batchId, connection);
  }

  /** The panel in front, for commands run from the palette. */
  get active(): ResultsPanel | undefined {
    return this.loaded?.active;
  }

  get all(): readonly ResultsPanel[] {
    return this.loaded?.all ?? [];
  }

  dispose(): void {
    this.disposed = true;
    this.serializer.dispose();
    this.loaded?.dispose();
  }

  private load(): Promise<ResultsPanels> {
    return (this.loading ??= this.deps.engine().then(({ module }) => {
      if (this.disposed) throw new Error('The extension is shutting down.');
      return (this.loaded = new module.ResultsPanels(this.deps));
    }));
  }
}
