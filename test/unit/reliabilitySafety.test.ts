// Safety of the extension (docs/reliability.md, "Safety"): every webview page keeps a strict CSP, webviews only load
// files from the extension and the opened dataset, and in an untrusted workspace (Restricted Mode) no model is loaded
// from the workspace while browsing and scoring need no trust.

import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, symlink } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../src/core/errors';
import { checkModelTrust, modelDirToLoad } from '../../src/host/common/config';
import { clipViewerHtml } from '../../src/host/clipViewer/clipViewerHtml';
import { localResourceFolders } from '../../src/host/webviews/webviewPage';
import { defaultModelDir } from '../../src/inference/defaultModel';
import { REPO } from '../helpers/badData';
import { tempDir } from '../helpers/tinyDataset';

const CSP_SOURCE = 'https://file+.vscode-resource.vscode-cdn.net';
const NONCE = 'bm9uY2Utb2YtdGhlLXRlc3Q=';

/** What a page builder is called with (PanelHtmlInput), with a fixed nonce so the CSP can be checked exactly. */
const INPUT = {
  cspSource: CSP_SOURCE,
  scriptUri: `${CSP_SOURCE}/ext/dist/page.js`,
  styleUri: `${CSP_SOURCE}/ext/media/page.css`,
  nonce: NONCE,
  title: 'page <1>',
};

interface PageBuilder {
  /** Where the host sets a webview's HTML with it. */
  usedIn: string;
  name: string;
  build: (input: typeof INPUT) => string;
}

/**
 * Every builder the host code sets a webview's HTML with (`.html = builder(…)` anywhere under src/), loaded through
 * the import of the file that uses it: a new webview page is checked without being listed here. Builders must be in
 * a module without vscode (so they can be tested) and take PanelHtmlInput.
 */
async function pageBuilders(): Promise<PageBuilder[]> {
  const out: PageBuilder[] = [];
  for (const file of await sources(path.join(REPO, 'src'))) {
    const text = await readFile(file, 'utf8');
    for (const m of text.matchAll(/\.html\s*=\s*([A-Za-z_$][\w$]*)\s*\(/g)) {
      const name = m[1];
      const from = new RegExp(`import\\s*{[^}]*\\b${name}\\b[^}]*}\\s*from\\s*'(\\.[^']+)'`).exec(text)?.[1];
      const usedIn = path.relative(REPO, file);
      assert.ok(
        from,
        `${usedIn}: ${name}() must be imported from a module of its own (without vscode), so its page can be checked`,
      );
      const mod = (await import(path.resolve(path.dirname(file), from))) as Record<string, unknown>;
      assert.equal(typeof mod[name], 'function', `${usedIn}: ${name} from ${from}`);
      out.push({ usedIn, name, build: mod[name] as PageBuilder['build'] });
    }
  }
  return out;
}

function cspOf(html: string): Map<string, string[]> {
  const metas = [...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/gi)];
  assert.equal(metas.length, 1, 'exactly one CSP meta tag');
  const head = html.slice(0, html.search(/<\/head>/i));
  assert.ok(head.includes(metas[0][0]), 'the CSP is in the head');
  const text = metas[0][1].replaceAll('&#39;', "'");
  return new Map(
    text
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0] !== '')
      .map(([name, ...sources]) => [name, sources] as [string, string[]]),
  );
}

/** The rules of the issue: no inline script without the nonce, no remote resources, nothing allowed by default. */
function assertStrictPage(name: string, html: string): void {
  const csp = cspOf(html);
  assert.deepEqual(csp.get('default-src'), ["'none'"], `${name}: default-src 'none'`);
  for (const [directive, sources] of csp) {
    for (const s of sources) {
      const allowed =
        s === CSP_SOURCE ||
        s === `'nonce-${NONCE}'` ||
        s === "'none'" ||
        (directive === 'img-src' && (s === 'data:' || s === 'blob:'));
      assert.ok(allowed, `${name}: ${directive} allows ${s}`);
    }
  }
  assert.deepEqual(csp.get('script-src'), [`'nonce-${NONCE}'`], `${name}: scripts only with the nonce`);
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    assert.ok(tag.includes(`nonce="${NONCE}"`) && /\ssrc="/.test(tag), `${name}: ${tag} has the nonce and a src`);
  }
  assert.ok(!/<script\b[^>]*>\s*[^<\s]/i.test(html), `${name}: no inline script body`);
  assert.ok(!/\son[a-z]+\s*=/i.test(html), `${name}: no inline event handlers`);
  assert.ok(!/javascript:/i.test(html), `${name}: no javascript: URLs`);
  for (const tag of html.match(/<style\b[^>]*>/gi) ?? [])
    assert.ok(tag.includes(`nonce="${NONCE}"`), `${name}: ${tag} has the nonce`);
  const urls = html.replaceAll(CSP_SOURCE, '').match(/\b(?:https?|wss?|ftp):\/\/[^\s"'<>]+/gi) ?? [];
  assert.deepEqual(urls, [], `${name}: no remote URL`);
}

/** Source files under `dir`, recursively. */
async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sources(p)));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('webviews', () => {
  it('every webview page of the host code has a strict CSP (builders found by scanning src/)', async () => {
    const builders = await pageBuilders();
    assert.ok(
      builders.some((b) => b.name === 'clipViewerHtml'),
      'found the clip viewer',
    );
    for (const b of builders) assertStrictPage(`${b.name} (${b.usedIn})`, b.build(INPUT));
  });

  it('the CSP check catches what it is for', () => {
    const page = clipViewerHtml(INPUT);
    const broken: [string, string][] = [
      ['inline script', page.replace('</body>', '<script>alert(1)</script></body>')],
      [
        'remote script',
        page.replace('</body>', `<script nonce="${NONCE}" src="https://cdn.example.com/x.js"></script></body>`),
      ],
      [
        'unsafe-inline',
        page.replace(
          `script-src &#39;nonce-${NONCE}&#39;`,
          `script-src &#39;nonce-${NONCE}&#39; &#39;unsafe-inline&#39;`,
        ),
      ],
      ['a handler', page.replace('<canvas ', '<canvas onclick="x()" ')],
      ['default-src *', page.replace('default-src &#39;none&#39;', 'default-src *')],
    ];
    for (const [what, html] of broken) assert.throws(() => assertStrictPage(what, html), assert.AssertionError, what);
  });

  it('no webview HTML from a string literal (it would escape the check above)', async () => {
    for (const file of await sources(path.join(REPO, 'src'))) {
      assert.doesNotMatch(
        await readFile(file, 'utf8'),
        /\.html\s*=\s*[`'"]/,
        `${path.relative(REPO, file)}: webview HTML from a literal`,
      );
    }
  });

  it('webviews load files only from the extension (dist, media) and the opened dataset', async () => {
    assert.deepEqual(localResourceFolders('/ext', '/data/ryvos/'), ['/ext/dist', '/ext/media', '/data/ryvos']);
    assert.deepEqual(localResourceFolders('/ext'), ['/ext/dist', '/ext/media']);
    for (const file of await sources(path.join(REPO, 'src'))) {
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/localResourceRoots\s*:\s*([^,\n]*)/g)) {
        assert.ok(
          m[1].startsWith('localResourceFolders('),
          `${path.relative(REPO, file)}: localResourceRoots must come from localResourceFolders, got ${m[1]}`,
        );
      }
      if (/createWebviewPanel\(|createWebviewView|registerWebviewViewProvider/.test(text)) {
        assert.match(
          text,
          /localResourceFolders\(/,
          `${path.relative(REPO, file)} creates a webview without localResourceFolders`,
        );
      }
    }
  });
});

describe('workspace trust', () => {
  it('package.json: limited support in untrusted workspaces; the dataset, model and annotations paths are restricted settings', async () => {
    const pkg = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8'));
    const untrusted = pkg.capabilities.untrustedWorkspaces;
    assert.equal(untrusted.supported, 'limited');
    assert.deepEqual([...untrusted.restrictedConfigurations].sort(), [
      'rvos.annotationsFile',
      'rvos.datasetPath',
      'rvos.model.path',
    ]);
    assert.match(untrusted.description, /model/);
  });

  it('an untrusted workspace: a model inside a workspace folder (directly, relative, or through a link) is refused; outside, or trusted, it loads', async () => {
    const base = await tempDir('trust');
    const ws = path.join(base, 'ws');
    const other = path.join(base, 'models', 'yofo');
    const ext = path.join(base, 'ext');
    await mkdir(path.join(ws, 'models', 'yofo'), { recursive: true });
    await mkdir(other, { recursive: true });
    await symlink(path.join(ws, 'models'), path.join(base, 'link-into-ws'));
    const refused = (dir: string) => (e: unknown) =>
      e instanceof InputError &&
      e.file === dir &&
      e.problem ===
        `YOFO model inside the workspace folder ${ws}, which is not trusted (Restricted Mode); trust the workspace or choose a model folder outside it`;

    assert.throws(
      () => checkModelTrust(path.join(ws, 'models', 'yofo'), ext, [ws], false),
      refused(path.join(ws, 'models', 'yofo')),
    );
    assert.throws(
      () => checkModelTrust(path.join(base, 'link-into-ws', 'yofo'), ext, [ws], false),
      refused(path.join(base, 'link-into-ws', 'yofo')),
    );
    assert.throws(() => checkModelTrust(ws, ext, [path.join(base, 'elsewhere'), ws], false), refused(ws));
    assert.throws(() => modelDirToLoad('models/yofo', ext, [ws], false), refused(path.join(ws, 'models', 'yofo')));

    assert.doesNotThrow(() => checkModelTrust(path.join(ws, 'models', 'yofo'), ext, [ws], true), 'trusted');
    assert.doesNotThrow(() => checkModelTrust(other, ext, [ws], false), 'outside the workspace');
    assert.equal(modelDirToLoad('models/yofo', ext, [ws], true), path.join(ws, 'models', 'yofo'));
    assert.equal(modelDirToLoad(other, ext, [ws], false), other);
  });

  it('the bundled default model is always allowed, even when the extension folder is the workspace (developing it)', async () => {
    const ext = await tempDir('trust-ext');
    assert.equal(modelDirToLoad('', ext, [ext], false), defaultModelDir(ext));
    assert.throws(() => modelDirToLoad('other-model', ext, [ext], false), InputError);
  });
});
