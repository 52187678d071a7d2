// End-to-end: the demo as a new user starts it (issue 16 item 8): code-server opens the demo workspace outside the
// repository with the RVOS view and a first clip shown, no Git toast about parent folders; Ctrl+C (SIGINT to the
// foreground process group, as a terminal sends it) stops it with exit status 0. Screenshots in .artifacts/e2e/demo/.
// It runs scripts/demo.ts as `npm run demo` does, without npm: npm 11 itself dies by the SIGINT it got (the shell's
// 130, as for any interrupted command) whatever its script exits with.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from '../../scripts/lib/run';
import { CHROMIUM, CHROMIUM_ARGS, clearScreenshots, SCREENSHOT_DIR } from './session';
import { recordNotifications, shownNotifications, waitForWorkbench, webviewWith } from './workbench';

const SHOTS = join(SCREENSHOT_DIR, 'demo');
let demo: ChildProcess | undefined;
let browser: Browser | undefined;
let workspace: string | undefined;

after(async () => {
  await browser?.close().catch(() => undefined);
  try {
    if (demo?.pid !== undefined && demo.exitCode === null && demo.signalCode === null)
      process.kill(-demo.pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
  if (workspace) await rm(workspace, { recursive: true, force: true });
});

/** Resolves with the demo's address once it prints it; rejects if it exits first. */
function demoUrl(child: ChildProcess, output: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const look = (chunk: Buffer) => {
      output.push(chunk.toString());
      const m = /running in VS Code at (http:\/\/\S+)/.exec(output.join(''));
      if (m) resolve(m[1]);
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
    child.once('exit', (code) => reject(new Error(`the demo exited (${code}) before it started:\n${output.join('')}`)));
  });
}

test(
  'npm run demo: the RVOS view and a first clip, no Git toast; Ctrl+C exits 0',
  { timeout: 10 * 60_000 },
  async () => {
    await clearScreenshots(SHOTS);
    await mkdir(SHOTS, { recursive: true });
    workspace = await mkdtemp(join(tmpdir(), 'rvos-demo-'));
    assert.ok(relative(REPO_ROOT, workspace).startsWith('..'), 'the demo workspace must lie outside the repository');
    // Its own process group, so the SIGINT below reaches the whole group, as Ctrl+C in a terminal does.
    demo = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--code-server'], {
      cwd: REPO_ROOT,
      env: { ...process.env, RVOS_DEMO_DIR: workspace },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const url = await demoUrl(demo, output);
    // The workspace is named in the address: code-server would otherwise reopen its last session's folder.
    assert.equal(new URL(url).searchParams.get('folder'), workspace);
    const exited = new Promise<number | null>((resolve) => demo!.once('exit', (code) => resolve(code)));

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await recordNotifications(page);
    await page.goto(url, { timeout: 120_000 });
    await waitForWorkbench(page, 60_000);
    try {
      const clips = page.locator('.pane:has(.pane-header[aria-label*="Clips"]) .pane-body');
      await clips.waitFor({ state: 'visible', timeout: 120_000 });
      const viewer = await webviewWith(page, 'viewer', 120_000);
      await viewer.locator('[data-testid=expression]').first().waitFor({ state: 'visible', timeout: 30_000 });
      await page.waitForTimeout(3000); // the Git extension asks (or not) once the workspace has been scanned
      const shown = await shownNotifications(page);
      assert.deepEqual(
        shown.filter((m) => /git repository/i.test(m)),
        [],
        `notifications: ${shown.join(' | ')}`,
      );
      await page.screenshot({ path: join(SHOTS, '1-first-view.png') });
    } catch (err) {
      await page.screenshot({ path: join(SHOTS, '1-first-view-failed.png') }).catch(() => undefined);
      throw err;
    }

    process.kill(-demo.pid!, 'SIGINT');
    const code = await exited;
    assert.equal(code, 0, `the demo exited with ${code} after Ctrl+C:\n${output.join('')}`);
    assert.match(output.join(''), /code-server stopped/);
    assert.doesNotMatch(output.join(''), /exited on its own/);
  },
);
