// Building DOM by hand, text only: file content reaches the page as `textContent`, never as markup.

type Child = Node | string | undefined | false;

export interface ElementOptions {
  readonly className?: string;
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, string | undefined>>;
  readonly title?: string;
  readonly onClick?: (event: MouseEvent) => void;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options?: ElementOptions, children?: readonly Child[]): HTMLElementTagNameMap[K];
export function el(tag: string, options?: ElementOptions, children?: readonly Child[]): HTMLElement;
export function el(tag: string, options: ElementOptions = {}, children: readonly Child[] = []): HTMLElement {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.title !== undefined) node.title = options.title;
  for (const [name, value] of Object.entries(options.attrs ?? {})) if (value !== undefined) node.setAttribute(name, value);
  if (options.onClick) node.addEventListener('click', options.onClick);
  for (const child of children) if (child !== undefined && child !== false) node.append(child);
  return node;
}

/** A codicon as a decorative glyph (its meaning is always in the text beside it). */
export function codicon(name: string, className = ''): HTMLElement {
  return el('span', { className: `codicon codicon-${name} ${className}`.trim(), attrs: { 'aria-hidden': 'true' } });
}

/** A native button styled like VS Code's secondary buttons, for compact in-table actions. */
export function linkButton(text: string, onClick: () => void, options: { title?: string; pressed?: boolean; className?: string } = {}): HTMLButtonElement {
  const button = el('button', {
    className: `link-button ${options.className ?? ''}`.trim(),
    text,
    title: options.title,
    attrs: { type: 'button', 'aria-pressed': options.pressed === undefined ? undefined : String(options.pressed) },
  });
  button.addEventListener('click', onClick);
  return button;
}
