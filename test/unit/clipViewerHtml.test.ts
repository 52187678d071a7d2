import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clipViewerHtml } from '../../src/host/clipViewer/clipViewerHtml';
import { VIEWER_IDS } from '../../src/shared/clipViewer/elementIds';
import { contentSecurityPolicy, makeNonce } from '../../src/host/webviews/webviewPage';

const input = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://x/dist/webview.js',
  styleUri: 'https://x/media/clipViewer.css',
  nonce: 'abc123',
  title: 'vid<1>',
};

test('CSP: nothing by default, our resources and the nonce only', () => {
  assert.equal(
    contentSecurityPolicy(input.cspSource, 'abc123'),
    "default-src 'none'; img-src https://file+.vscode-resource.vscode-cdn.net data: blob:; style-src https://file+.vscode-resource.vscode-cdn.net 'nonce-abc123'; script-src 'nonce-abc123'; font-src https://file+.vscode-resource.vscode-cdn.net",
  );
});

test('html: one module script and one stylesheet, both with the nonce; no inline script or remote URL', () => {
  const html = clipViewerHtml(input);
  assert.ok(html.includes(`content="default-src &#39;none&#39;;`));
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.deepEqual(scripts, ['<script type="module" nonce="abc123" src="https://x/dist/webview.js">']);
  assert.ok(html.includes('<link rel="stylesheet" nonce="abc123" href="https://x/media/clipViewer.css">'));
  assert.ok(!/<style\b/.test(html) && !/\son\w+=/.test(html), 'no inline styles or handlers');
  assert.ok(!/https?:\/\/(?!x\/)/.test(html.replaceAll(input.cspSource, '')), 'no other URL');
  assert.ok(html.includes('<title>vid&lt;1&gt;</title>'));
  // Every element the webview looks up is in the page exactly once, and the page has no id the webview does not know.
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual([...ids].sort(), Object.values(VIEWER_IDS).sort());
  // hooks of the end-to-end tests
  for (const testid of [
    'viewer',
    'frame-canvas',
    'frame-canvas-b',
    'diff-toggle',
    'diff-legend',
    'score-chart',
    'compare-with',
    'help',
  ])
    assert.ok(html.includes(`data-testid="${testid}"`), testid);
});

test('nonces are fresh and base64', () => {
  const a = makeNonce();
  assert.match(a, /^[A-Za-z0-9+/]{24}$/);
  assert.notEqual(a, makeNonce());
  assert.ok(!clipViewerHtml({ ...input, nonce: undefined }).includes('abc123'));
});
