import * as vscode from 'vscode';

/** The quick input a flow shows right now, for its tests: they answer it with workbench commands. */
export interface ShownPrompt {
  readonly id: string;
  readonly title: string;
  /** An input box's value, or a pick's item labels (and descriptions and details). */
  readonly value?: string;
  readonly items?: readonly string[];
}

export class PromptTracker {
  current: ShownPrompt | undefined;
}

/** Answer of a step: a value, BACK (its Back button), or undefined (dismissed). */
export const BACK = Symbol('back');
export type Answer<T> = T | typeof BACK | undefined;

export interface StepTitle {
  readonly id: string;
  readonly title: string;
  /** 1-based; the Back button shows from step 2. */
  readonly step?: number;
  readonly totalSteps?: number;
}

export interface InputStep extends StepTitle {
  readonly value?: string;
  readonly prompt?: string;
  readonly placeholder?: string;
  readonly validate?: (value: string) => string | undefined;
}

export type PickItem<T> = vscode.QuickPickItem & { readonly value?: T };

export interface PickStep<T> extends StepTitle {
  readonly placeholder?: string;
  /** Items, or a promise of them (the pick is busy until they come). Items without a value are information. */
  readonly items: readonly PickItem<T>[] | Promise<readonly PickItem<T>[]>;
  /** The item active at first. */
  readonly active?: number;
  /** Shown while `items` is pending (e.g. progress). */
  readonly busyPlaceholder?: () => string;
}

/** One input box of a multi-step flow. Stays open when focus moves away: a flow is not lost by a click elsewhere. */
export function inputStep(tracker: PromptTracker, step: InputStep): Promise<Answer<string>> {
  const box = vscode.window.createInputBox();
  applyTitle(box, step);
  box.value = step.value ?? '';
  box.prompt = step.prompt;
  box.placeholder = step.placeholder;
  box.ignoreFocusOut = true;
  return run(box, tracker, (resolve) => [
    box.onDidChangeValue((v) => {
      box.validationMessage = step.validate?.(v);
      tracker.current = { id: step.id, title: box.title ?? '', value: v };
    }),
    box.onDidAccept(() => {
      const problem = step.validate?.(box.value);
      box.validationMessage = problem;
      if (!problem) resolve(box.value);
    }),
  ], () => ({ id: step.id, title: box.title ?? '', value: box.value }));
}

/** One pick of a multi-step flow; accepting an information item (no value) does nothing. */
export function pickStep<T>(tracker: PromptTracker, step: PickStep<T>): Promise<Answer<T>> {
  const pick = vscode.window.createQuickPick<PickItem<T>>();
  applyTitle(pick, step);
  pick.placeholder = step.placeholder;
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = true;
  let ready = false;
  let closed = false;
  const describe = () => ({
    id: step.id,
    title: pick.title ?? '',
    items: pick.items.map((i) => [i.label, i.description, i.detail].filter(Boolean).join(' — ')),
  });
  const answer = run<T, vscode.QuickPick<PickItem<T>>>(pick, tracker, (resolve) => {
    const fill = (items: readonly PickItem<T>[]) => {
      // Items that come after the pick was closed (Escape while estimating) have nowhere to go.
      if (closed) return;
      pick.items = items;
      pick.activeItems = [items[Math.min(step.active ?? 0, items.length - 1)]].filter(Boolean);
      pick.busy = false;
      pick.placeholder = step.placeholder;
      ready = true;
      tracker.current = describe();
    };
    if (Array.isArray(step.items)) fill(step.items as readonly PickItem<T>[]);
    else {
      pick.busy = true;
      const progress = setInterval(() => (pick.placeholder = step.busyPlaceholder?.() ?? pick.placeholder), 250);
      pick.placeholder = step.busyPlaceholder?.();
      void (step.items as Promise<readonly PickItem<T>[]>).then(fill).finally(() => clearInterval(progress));
    }
    return [
      pick.onDidAccept(() => {
        const item = pick.selectedItems[0] ?? pick.activeItems[0];
        if (ready && item && item.value !== undefined) resolve(item.value);
      }),
    ];
  }, () => (ready ? describe() : undefined));
  void answer.finally(() => (closed = true));
  return answer;
}

function applyTitle(input: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[] }, step: StepTitle): void {
  input.title = step.title;
  input.step = step.step;
  input.totalSteps = step.totalSteps;
  input.buttons = (step.step ?? 1) > 1 ? [vscode.QuickInputButtons.Back] : [];
}

function run<T, I extends vscode.InputBox | vscode.QuickPick<vscode.QuickPickItem>>(
  input: I,
  tracker: PromptTracker,
  wire: (resolve: (value: T) => void) => vscode.Disposable[],
  shown: () => ShownPrompt | undefined,
): Promise<Answer<T>> {
  return new Promise<Answer<T>>((resolve) => {
    let settled = false;
    const finish = (answer: Answer<T>) => {
      if (settled) return;
      settled = true;
      for (const d of disposables) d.dispose();
      tracker.current = undefined;
      input.dispose();
      resolve(answer);
    };
    const disposables = [
      ...wire((value) => finish(value)),
      input.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(BACK)),
      input.onDidHide(() => finish(undefined)),
    ];
    input.show();
    tracker.current = shown();
  });
}
