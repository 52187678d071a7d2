// The built Failures panel (dist/failures.js, media/failures.css, the HTML of failuresHtml) in headless Chromium
// outside VS Code, for looking at its layout at several widths: a stand-in for the workbench gives the page the theme
// variables and an acquireVsCodeApi whose messages a real FailuresModel answers (a train-scale split with the real
// valid expression texts when ../shared is there, synthetic scores, a few tags and notes). Screenshots go to
// .artifacts/dev/. Run `npm run build` first.
//   node --import tsx scripts/dev/failures-panel.ts [--widths 480,800,1400] [--height 760] [--theme light|dark]
//                                                    [--measure JF|J|F|deltaJF] [--compare] [--select N]
//                                                    [--press t,Escape]   (keys pressed in the list before the shot)
//                                                    [--variants]   (unfolds the variant table: variantTable's rows over
//                                                                    the synthetic run, its frames taken as annotated)

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { expressionTexts, syntheticRun, trainScaleVideos } from '../../bench/lib/trainScaleSplit';
import { AnnotationsStore } from '../../src/core/analysis/annotationsStore';
import { Rng } from '../../src/core/random';
import { failuresHtml } from '../../src/host/failures/failuresHtml';
import { FailuresModel } from '../../src/host/failures/failuresModel';
import { runSummary } from '../../src/host/failures/failuresScores';
import {
  isFailuresWebviewMessage,
  isMeasure,
  type FailuresContext,
  type FailuresHostMessage,
  type FailuresQuery,
  type FailuresWebviewMessage,
  type VariantsView,
} from '../../src/shared/failures/protocol';
import { variantTable } from '../../src/core/benchmarks/variants/variants';
import { REPO_ROOT } from '../lib/run';
import { themeVariables, type ThemeName } from './webviewTheme';

const ORIGIN = 'https://webview.rvos.test';
const CHROMIUM = '/usr/bin/chromium';

const { values: args } = parseArgs({
  options: {
    widths: { type: 'string', default: '480,800,1400' },
    height: { type: 'string', default: '760' },
    theme: { type: 'string', default: 'light' },
    measure: { type: 'string', default: 'JF' },
    compare: { type: 'boolean', default: false },
    select: { type: 'string', default: '2' },
    press: { type: 'string', default: '' },
    variants: { type: 'boolean', default: false },
  },
});
const theme: ThemeName = args.theme === 'dark' ? 'dark' : 'light';
const widths = args.widths.split(',').map(Number);
if (!widths.every((w) => Number.isInteger(w) && w > 0))
  throw new Error(`--widths takes pixel widths like 480,800,1400, got ${args.widths}`);
if (!isMeasure(args.measure)) throw new Error(`--measure takes JF, J, F or deltaJF, got ${args.measure}`);
const measure = args.measure;
for (const built of ['dist/failures.js', 'media/failures.css']) {
  if (!existsSync(path.join(REPO_ROOT, built))) throw new Error(`${built} is missing: run npm run build first`);
}

// ── the host: a real FailuresModel over a train-scale split ───────────────────────────────────────────────────────
const rng = new Rng(2022, 'dev-failures-panel');
const { texts, source } = expressionTexts(rng);
const videos = trainScaleVideos(rng, texts);
const runs = { yofo: syntheticRun(1, videos), baseline: syntheticRun(2, videos) };
const model = args.compare
  ? new FailuresModel({
      mode: 'compare',
      runs: [
        { name: 'yofo', score: runs.yofo },
        { name: 'baseline', score: runs.baseline },
      ],
      videos,
    })
  : new FailuresModel({
      mode: 'single',
      runs: [{ name: 'yofo', score: runs.yofo }],
      baselines: new Map([['baseline', runs.baseline]]),
      videos,
    });
const annotationsFile =
  '/home/user/.config/Code/User/workspaceStorage/0123abcd/rvos-inspector.rvos-inspector/annotations.json';
const store = AnnotationsStore.empty(annotationsFile);
for (let i = 0; i < runs.yofo.expressions.length; i += 37) {
  const e = runs.yofo.expressions[i];
  store.setTags(e.video, e.expId, i % 74 === 0 ? ['wrong object', 'occlusion'] : ['small']);
  if (i % 111 === 0) store.setNote(e.video, e.expId, 'The mask jumps to the other person once they cross.');
}

function context(): FailuresContext {
  const index = model.index();
  return {
    mode: args.compare ? 'compare' : 'single',
    datasetRoot: '/data/ref-youtube-vos',
    split: 'train',
    expressions: runs.yofo.expressions.length,
    run: 'yofo',
    compareRuns: args.compare ? ['yofo', 'baseline'] : [],
    runs: Object.entries(runs).map(([name, score]) => runSummary(name, score, true)),
    videos: [...index.videos],
    categories: [...index.categories],
    subsets: [],
    objectCategories: [...index.objectCategories],
    tags: store.allTags(),
    annotationsFile,
  };
}

/** The variant table of the synthetic run (real rows of variantTable; every frame annotated, none empty). */
function variantsAnswer(): VariantsView {
  const expressions = runs.yofo.expressions.map((e) => ({
    video: e.video,
    expId: e.expId,
    objectKey: `${e.video}/${e.expId}`,
    targets: 1,
    tags: e.category === undefined ? [] : [e.category],
    frames: e.frames.map((f) => ({ frame: f.frame, annotated: true, gtEmpty: false, J: f.J, F: f.F })),
  }));
  const rows = variantTable(expressions, 'annotated');
  return {
    run: 'yofo',
    benchmark: 'Ref-YouTube-VOS (stand-in data)',
    rows: rows.map((r) => ({ ...r, delta: Number.isFinite(r.delta) ? r.delta : null })),
  };
}

/** The answer FailuresPanel would post, or undefined for a notification (logged). */
function answer(m: FailuresWebviewMessage): FailuresHostMessage | undefined {
  switch (m.type) {
    case 'getContext':
      return { type: 'context', requestId: m.requestId, context: context() };
    case 'query':
      return { type: 'rows', requestId: m.requestId, ...model.page(m.query, m.offset, m.limit, store, m.histograms) };
    case 'annotate':
      if (m.tags) store.setTags(m.video, m.expId, m.tags);
      if (m.note !== undefined) store.setNote(m.video, m.expId, m.note);
      return { type: 'annotated', requestId: m.requestId, ...store.get(m.video, m.expId) };
    case 'variants':
      return { type: 'variants', requestId: m.requestId, table: variantsAnswer() };
    default:
      console.log(`  webview → host: ${JSON.stringify(m)}`);
      return undefined;
  }
}

// ── the page ──────────────────────────────────────────────────────────────────────────────────────────────────────
const html = failuresHtml({
  cspSource: ORIGIN,
  scriptUri: `${ORIGIN}/dist/failures.js`,
  styleUri: `${ORIGIN}/media/failures.css`,
  title: 'RVOS Failures',
});
const savedQuery: FailuresQuery = {
  measure,
  order: 'worst-first',
  ...(measure === 'deltaJF' ? { baseline: 'baseline' } : {}),
};

/**
 * Runs in the page before its scripts: the workbench's theme and a VS Code API that forwards to the host above. A
 * string, not a function: tsx would wrap a function's inner functions in a helper the page does not have.
 */
function standIn(vars: Record<string, string>, themeClass: string, state: unknown): string {
  return `(() => {
    // <html> does not exist yet; the page's module script runs before DOMContentLoaded, which is fine.
    document.addEventListener('DOMContentLoaded', () => {
      for (const [k, v] of Object.entries(${JSON.stringify(vars)})) document.documentElement.style.setProperty(k, v);
      document.body.classList.add(${JSON.stringify(themeClass)});
    });
    let saved = ${JSON.stringify(state)};
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => void window.rvosHost(m).then((a) => a && window.postMessage(a, '*')),
      getState: () => saved,
      setState: (s) => (saved = s),
    });
  })();`;
}

async function open(page: Page): Promise<void> {
  await page.exposeFunction('rvosHost', (m: unknown) => (isFailuresWebviewMessage(m) ? answer(m) : undefined));
  await page.addInitScript(
    standIn(themeVariables(theme), `vscode-${theme}`, { query: savedQuery, selected: Number(args.select) }),
  );
  await page.route(`${ORIGIN}/**`, (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/failures.html') return route.fulfill({ contentType: 'text/html', body: html });
    const file = path.join(REPO_ROOT, path.normalize(url.pathname));
    const type = file.endsWith('.js')
      ? 'text/javascript'
      : file.endsWith('.css')
        ? 'text/css'
        : 'application/octet-stream';
    return file.startsWith(REPO_ROOT + path.sep) && existsSync(file)
      ? route.fulfill({ contentType: type, body: readFileSync(file) })
      : route.fulfill({ status: 404 });
  });
  page.on('pageerror', (err) => console.error(`  page error: ${err.message}`));
  page.on('console', (m) => m.type() === 'error' && console.error(`  console: ${m.text()}`));
  await page.goto(`${ORIGIN}/failures.html`);
  await page.waitForSelector('[data-testid="failure-row"]');
  await page.waitForSelector('[data-testid="histogram"]');
}

async function main(): Promise<void> {
  const outDir = path.join(REPO_ROOT, '.artifacts', 'dev');
  mkdirSync(outDir, { recursive: true });
  console.log(
    `Failures panel stand-in: ${runs.yofo.expressions.length} expressions (texts: ${source}), ${args.compare ? 'compare yofo | baseline' : `sorted by ${measure}`}, ${theme} theme`,
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    for (const width of widths) {
      const page = await browser.newPage({ viewport: { width, height: Number(args.height) } });
      await open(page);
      const keys = args.press.split(',').filter((k) => k !== '');
      if (keys.length) await page.locator('[data-testid="failure-list"]').focus();
      for (const key of keys) await page.keyboard.press(key);
      if (args.variants) {
        await page.locator('#variants > summary').click();
        await page.waitForSelector('[data-testid="variants-table"]');
      }
      const pressed = (keys.length ? `-${keys.join('-')}` : '') + (args.variants ? '-variants' : '');
      const file = path.join(outDir, `failures-${args.compare ? 'compare' : measure}-${theme}-${width}${pressed}.png`);
      await page.screenshot({ path: file });
      console.log(`  ${width} px: ${path.relative(process.cwd(), file)}`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((err: Error) => {
  console.error(`error: ${err.message}`);
  process.exitCode = 1;
});
