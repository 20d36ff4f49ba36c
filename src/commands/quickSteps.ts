import * as vscode from 'vscode';

/** The quick input a flow shows right now, for its tests: they answer it with workbench commands. */
export interface ShownPrompt {
  readonly id: string;
  readonly title: string;
  /** An input box's value, or a pick's item labels (and descriptions and details). */
  readonly value?: string;
  readonly items?: readonly string[];
  /** A multi-select pick's checked items, as `items` lists them. */
  readonly selected?: readonly string[];
  /** An input box's validation message (a failed check included). */
  readonly problem?: string;
  /** For tests: puts `text` in an input box as typing it would. */
  readonly enter?: (text: string) => void;
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
  /** Run on Enter once `validate` passes: a problem keeps the box open and says why (the box is busy meanwhile). */
  readonly check?: (value: string) => Promise<string | undefined>;
  /** A key: shown as dots, and never in the tracker. */
  readonly password?: boolean;
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
  box.password = step.password ?? false;
  box.ignoreFocusOut = true;
  const shown = (): ShownPrompt => ({
    id: step.id,
    title: box.title ?? '',
    value: step.password ? undefined : box.value,
    problem: box.validationMessage as string | undefined,
    enter: (text) => {
      box.value = text;
      box.validationMessage = step.validate?.(text);
      tracker.current = shown();
    },
  });
  let closed = false;
  const answer = run<string, vscode.InputBox>(box, tracker, (resolve) => [
    box.onDidChangeValue((v) => {
      box.validationMessage = step.validate?.(v);
      tracker.current = shown();
    }),
    box.onDidAccept(async () => {
      if (box.busy) return;
      const value = box.value;
      box.validationMessage = step.validate?.(value);
      if (!box.validationMessage && step.check) {
        box.busy = true;
        box.enabled = false;
        const problem = await step.check(value);
        // Escape while checking: the flow is over.
        if (closed) return;
        box.validationMessage = problem;
        box.busy = false;
        box.enabled = true;
        tracker.current = shown();
      }
      if (!box.validationMessage) resolve(value);
    }),
  ], shown);
  void answer.finally(() => (closed = true));
  return answer;
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

export type ManyItem<T> = vscode.QuickPickItem & {
  readonly value: T;
  /** The value of the item this one is under: checking the parent checks all its children, and back. */
  readonly parent?: T;
};

export interface PickManyStep<T> extends StepTitle {
  readonly placeholder?: string;
  /** Shown instead of the placeholder while nothing is checked (accepting then does nothing). */
  readonly emptyPlaceholder?: string;
  readonly items: readonly ManyItem<T>[];
  /** Accepting with nothing checked answers no values (it means "any"), instead of doing nothing. */
  readonly allowNone?: boolean;
}

/**
 * One multi-select pick of a multi-step flow: items start checked as their `picked` says, a parent and its
 * children stay in step, and accepting needs at least one checked item (unless `allowNone`). Answers the
 * checked values.
 */
export function pickManyStep<T>(tracker: PromptTracker, step: PickManyStep<T>): Promise<Answer<T[]>> {
  const pick = vscode.window.createQuickPick<ManyItem<T>>();
  applyTitle(pick, step);
  pick.canSelectMany = true;
  pick.ignoreFocusOut = true;
  pick.matchOnDescription = true;
  pick.items = step.items;
  const line = (i: ManyItem<T>) => [i.label, i.description, i.detail].filter(Boolean).join(' — ');
  const describe = (): ShownPrompt => ({ id: step.id, title: pick.title ?? '', items: pick.items.map(line), selected: pick.selectedItems.map(line) });
  const childrenOf = (item: ManyItem<T>) => step.items.filter((i) => i.parent !== undefined && i.parent === item.value);
  const parentOf = (item: ManyItem<T>) => (item.parent === undefined ? undefined : step.items.find((i) => i.value === item.parent));
  let checked = new Set(step.items.filter((i) => i.picked));
  const placeholder = () => (checked.size === 0 ? (step.emptyPlaceholder ?? step.placeholder) : step.placeholder);
  pick.selectedItems = [...checked];
  pick.activeItems = step.items.slice(0, 1);
  pick.placeholder = placeholder();
  return run<T[], vscode.QuickPick<ManyItem<T>>>(pick, tracker, (resolve) => [
    pick.onDidChangeSelection((selection) => {
      const now = new Set(selection);
      const next = new Set(now);
      for (const item of step.items) {
        if (now.has(item) === checked.has(item)) continue;
        // A parent toggled takes its children along; a child toggled decides whether its parent is checked.
        for (const child of childrenOf(item)) {
          if (now.has(item)) next.add(child);
          else next.delete(child);
        }
        const parent = parentOf(item);
        if (parent) {
          if (childrenOf(parent).every((c) => next.has(c))) next.add(parent);
          else next.delete(parent);
        }
      }
      checked = next;
      if (next.size !== now.size || [...next].some((i) => !now.has(i))) pick.selectedItems = step.items.filter((i) => next.has(i));
      pick.placeholder = placeholder();
      tracker.current = describe();
    }),
    pick.onDidAccept(() => {
      if (checked.size > 0 || step.allowNone) resolve(step.items.filter((i) => checked.has(i)).map((i) => i.value));
    }),
  ], describe);
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
