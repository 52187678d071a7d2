// Colours from the live VS Code theme: resolves CSS colour expressions with getComputedStyle and tells when the theme
// changes (VS Code swaps the body's theme class and rewrites the --vscode-* variables on <html>).

/** Resolves a CSS colour expression to the computed colour ('' when it is not one). */
export type ResolveCss = (css: string) => string;

/** A theme variable's value ("" when the theme does not define it), or any CSS colour, as computed by the browser. */
export const resolveCss: ResolveCss = (css) => {
  const variable = /^var\((--[\w-]+)\)$/.exec(css.trim());
  // An undefined variable would compute to the inherited text colour, not to "nothing": read it directly.
  const value = variable ? getComputedStyle(document.documentElement).getPropertyValue(variable[1]).trim() : css;
  if (!value) return '';
  const probe = document.createElement('span');
  probe.style.color = value;
  if (!probe.style.color) return ''; // not a colour
  document.body.append(probe);
  const computed = getComputedStyle(probe).color;
  probe.remove();
  return computed;
};

/** Calls `onChange` after each theme switch. */
export function onThemeChange(onChange: () => void): void {
  let scheduled = false;
  const observer = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      onChange();
    });
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
}
