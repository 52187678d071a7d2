// Hooks for the end-to-end tests (test/e2e/vscode.test.ts) that the markup cannot carry by itself.

/** The e2e hook goes on the textfield's inner <input>: Playwright fills only real inputs (it pierces open shadow roots). */
export async function tagInputForTests(input: HTMLElement): Promise<void> {
  await customElements.whenDefined('vscode-textfield');
  await (input as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete;
  const inner = input.shadowRoot?.querySelector('input');
  if (inner) inner.dataset.testid = 'expression-input';
  else input.dataset.testid = 'expression-input';
}
