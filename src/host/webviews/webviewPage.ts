// The one HTML document shell of every webview panel: strict CSP (a nonce for the one module script and the stylesheet
// link, no inline code), viewport, title, then the page's body markup. Pure (takes URIs as strings) so the CSP is
// unit-tested for every page.
//
// vscode-elements (Lit) style their shadow roots with constructable stylesheets (adoptedStyleSheets), which CSP
// style-src does not govern, and set dynamic styles through the CSSOM (element.style), which it allows; so no
// 'unsafe-inline' is needed.

import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { escapeHtml } from '../../core/report/htmlReport';

export interface PanelHtmlInput {
  /** `webview.cspSource` */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce?: string;
  title: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

/**
 * The only folders a webview may load files from (its `localResourceRoots`): the extension's bundle and styles and,
 * for a clip viewer, the opened dataset (its frames). Never the workspace as a whole or the file system root.
 */
export function localResourceFolders(extensionRoot: string, datasetRoot?: string): string[] {
  const folders = [path.join(extensionRoot, 'dist'), path.join(extensionRoot, 'media')];
  return datasetRoot === undefined ? folders : [...folders, path.resolve(datasetRoot)];
}

/** A complete page: `body` is the page's own trusted markup (it must escape anything it interpolates). */
export function webviewPage(input: PanelHtmlInput, body: string): string {
  const nonce = input.nonce ?? makeNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(input.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${escapeHtml(nonce)}" href="${escapeHtml(input.styleUri)}">
<title>${escapeHtml(input.title)}</title>
</head>
<body>
${body}
<script type="module" nonce="${escapeHtml(nonce)}" src="${escapeHtml(input.scriptUri)}"></script>
</body>
</html>`;
}
