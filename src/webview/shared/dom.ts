// Small DOM helpers shared by the webviews.

/** An element with properties and children, in one expression. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** Where letters and signs are typed or pick an option by their first letter: shortcut keys stay away. */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return (
    tag === 'VSCODE-TEXTFIELD' ||
    tag === 'TEXTAREA' ||
    tag === 'SELECT' ||
    tag === 'VSCODE-SINGLE-SELECT' ||
    (tag === 'INPUT' && (target as HTMLInputElement).type === 'text')
  );
}
