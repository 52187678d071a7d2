// One e2e session: code-server with the freshly packaged extension, a fresh Ref-Shapes sample, and headless Chromium.
// Everything it creates lives in one temp folder (plus screenshots in .artifacts/e2e/) and close() removes it, also after
// a failed step; the server runs in its own process group so its extension host goes with it.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  ensureCodeServer,
  installVsix,
  startCodeServer,
  type CodeServerDirs,
  type RunningCodeServer,
} from '../../scripts/lib/code-server';
import { REPO_ROOT, runCaptured } from '../../scripts/lib/run';
import { packageVsix } from '../../scripts/package-vsix';
import { after, before } from 'node:test';
import { recordNotifications, until, waitForWorkbench } from './workbench';

export const SCREENSHOT_DIR = join(REPO_ROOT, '.artifacts', 'e2e');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Workbench settings for the tests on top of the quiet defaults: overlay colours the pixel checks look for. */
export const OVERLAY_COLORS = { gt: [0, 255, 0], pred: [255, 0, 255] } as const;

/** The workspace dataset of a suite other than the Ref-Shapes sample: its folder name and what writes it. */
export interface E2eDataset {
  name: string;
  /** Writes the dataset into `dir`; `root` is the session's temp folder (prediction runs go beside the dataset). */
  write(dir: string, root: string): Promise<void>;
}

export class E2eSession {
  /** Temp folder holding everything below; siblings of the dataset, never inside it. */
  readonly root: string;
  readonly dataset: string;
  readonly dirs: CodeServerDirs;
  server?: RunningCodeServer;
  browser?: Browser;
  page?: Page;

  /** Where this suite's screenshots go: .artifacts/e2e/, or a subfolder of it named after the suite. */
  readonly screenshotDir: string;

  private constructor(
    root: string,
    suite: string | undefined,
    private readonly datasetSpec: E2eDataset | undefined,
  ) {
    this.root = root;
    this.screenshotDir = suite === undefined ? SCREENSHOT_DIR : join(SCREENSHOT_DIR, suite);
    this.dataset = join(root, datasetSpec?.name ?? 'ref-shapes');
    this.dirs = { extensions: join(root, 'extensions'), userData: join(root, 'user-data'), state: join(root, 'state') };
  }

  /**
   * `suite` names the screenshot subfolder of a suite other than the main one; `dataset` replaces the Ref-Shapes
   * sample as the workspace.
   */
  static async create(suite?: string, dataset?: E2eDataset): Promise<E2eSession> {
    return new E2eSession(await mkdtemp(join(tmpdir(), 'rvos-e2e-')), suite, dataset);
  }

  /** A started session (a suite's `before`): on failure the screenshot "start-failed" is taken, and the error thrown. */
  static async started(suite?: string, dataset?: E2eDataset): Promise<E2eSession> {
    const session = await E2eSession.create(suite, dataset);
    try {
      await session.start();
    } catch (err) {
      await session.screenshot('start-failed');
      throw err;
    }
    return session;
  }

  /** Runs one test step: a screenshot `name` after it, or `name-failed` when it throws. */
  async step<T>(name: string, fn: () => Promise<T>): Promise<T> {
    try {
      const result = await fn();
      await this.screenshot(name);
      return result;
    } catch (err) {
      await this.screenshot(`${name}-failed`);
      throw err;
    }
  }

  /** Packages and installs the extension, writes the sample (or the suite's dataset), starts code-server and opens the workbench. */
  async start(): Promise<void> {
    await clearScreenshots(this.screenshotDir);
    await ensureCodeServer();
    const { path: vsix } = await packageVsix();
    if (this.datasetSpec) await this.datasetSpec.write(this.dataset, this.root);
    else
      await runCaptured('make the sample dataset', process.execPath, [
        join(REPO_ROOT, 'dist', 'cli.js'),
        'sample',
        this.dataset,
      ]);
    await installVsix(vsix, this.dirs);
    await this.writeSettings();
    this.server = await startCodeServer(this.dataset, this.dirs);
    process.once('exit', this.server.killNow);
    this.browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    this.page = await this.browser.newPage({ viewport: { width: 1400, height: 900 } });
    await recordNotifications(this.page);
    // A loaded shared machine (several suites at once) can take longer than Playwright's default 30 s to serve it.
    await this.page.goto(this.server.url, { timeout: 120_000 });
    await waitForWorkbench(this.page, 60_000);
  }

  private async writeSettings(): Promise<void> {
    const file = join(this.dirs.userData, 'User', 'settings.json');
    const settings = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    const css = (c: readonly number[]) => `rgb(${c.join(', ')})`;
    Object.assign(settings, {
      'rvos.overlay.groundTruthColor': css(OVERLAY_COLORS.gt),
      'rvos.overlay.predictionColor': css(OVERLAY_COLORS.pred),
      'rvos.overlay.opacity': 1,
      'rvos.overlay.mode': 'outline',
    });
    await writeFile(file, JSON.stringify(settings, null, 2) + '\n');
  }

  /** A fresh folder next to the dataset (for prediction runs and bad datasets). */
  async tempDir(name: string): Promise<string> {
    const dir = join(this.root, name);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async screenshot(name: string): Promise<void> {
    if (!this.page) return;
    await mkdir(this.screenshotDir, { recursive: true });
    await this.page.screenshot({ path: join(this.screenshotDir, `${name}.png`) }).catch(() => undefined);
  }

  /** Closes the browser, stops the server (process group) and removes the temp folder; each part runs even if one fails. */
  async close(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    await this.server?.stop().catch(() => undefined);
    if (this.server) process.off('exit', this.server.killNow);
    await rm(this.root, { recursive: true, force: true });
  }
}

/**
 * Removes the screenshots of an earlier run of a suite (a step that failed then, a step since renamed, would pass for
 * this run's); only the PNGs directly in `dir`, so other suites' subfolders stay.
 */
export async function clearScreenshots(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const n of names) if (n.endsWith('.png')) await rm(join(dir, n), { force: true });
}

/**
 * A suite's session, started in its `before` (then `onStarted`, e.g. reading the dataset) and closed in its `after`,
 * with `step` and `until` bound to it.
 */
export function e2eSuite(suite: string, dataset?: E2eDataset, onStarted?: (session: E2eSession) => Promise<void>) {
  let session: E2eSession | undefined;
  before(
    async () => {
      session = await E2eSession.started(suite, dataset);
      await onStarted?.(session);
    },
    { timeout: 10 * 60_000 },
  );
  after(async () => {
    await session?.close();
  });
  const started = (): E2eSession => {
    if (!session?.page) throw new Error(`the e2e session of suite "${suite}" did not start`);
    return session;
  };
  return {
    get session(): E2eSession {
      return started();
    },
    get page(): Page {
      return started().page!;
    },
    step: <T>(name: string, fn: () => Promise<T>): Promise<T> => started().step(name, fn),
    until: <T>(read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs?: number): Promise<T> =>
      until(started().page!, read, ok, timeoutMs),
  };
}
