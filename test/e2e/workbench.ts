// Playwright helpers for the code-server workbench: command palette, folder picker, tree rows, notifications, webview.
import type { FrameLocator, Page } from 'playwright-core';

const QUICK_INPUT = '.quick-input-widget';

/** Runs a command from the palette by its title (as shown there, e.g. "RVOS: Open Dataset…"). */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator(`${QUICK_INPUT} input`);
  // While another quick input (the folder picker) is still closing, the key press can be lost, or the palette can open
  // and be closed with it (both seen in CI after step 11's picker): open and fill again rather than wait out the step.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+Shift+P');
    try {
      await input.waitFor({ state: 'visible', timeout: 5000 });
      await input.fill(`>${title}`, { timeout: 5000 });
      break;
    } catch (err) {
      if (attempt === 4) throw err;
    }
  }
  const row = page.locator(`${QUICK_INPUT} .monaco-list-row`, { hasText: title }).first();
  await row.waitFor({ state: 'visible' });
  await row.click();
}

/** Answers code-server's folder picker (VS Code's simple file dialog, a quick input) with an absolute path. */
export async function pickFolder(page: Page, folder: string): Promise<void> {
  const input = page.locator(`${QUICK_INPUT} input`);
  await input.waitFor({ state: 'visible' });
  // The dialog fills in its start folder asynchronously; typing before that would be overwritten.
  await page.waitForFunction(
    (sel) => (document.querySelector<HTMLInputElement>(sel)?.value ?? '').startsWith('/'),
    `${QUICK_INPUT} input`,
  );
  // One fill, not typing: the dialog autocompletes folder names after each typed character.
  const wanted = folder.endsWith('/') ? folder : `${folder}/`;
  // The dialog can still replace the value with its start folder, or ignore an early click on Open, while it lists a
  // folder (seen on a loaded machine): check what it holds and answer again until it closes.
  for (let attempt = 0; attempt < 5; attempt++) {
    if ((await input.inputValue()) !== wanted) await input.fill(wanted);
    await page.waitForTimeout(500); // the dialog lists the folder before it accepts it
    if ((await input.inputValue()) !== wanted) continue;
    if (attempt === 0) await page.locator(`${QUICK_INPUT} .monaco-button`).filter({ visible: true }).first().click();
    else await input.press('Enter');
    try {
      await input.waitFor({ state: 'hidden', timeout: 5000 });
      return;
    } catch {
      // still open: try again
    }
  }
  throw new Error(`the folder picker did not accept ${wanted}`);
}

/** Opens a view from its activity bar container (a click on an already open container would close it). */
export async function showView(page: Page, containerTitle: string, viewName: string): Promise<void> {
  // The body, not the header: a container with a single view hides that view's header.
  const body = page.locator(`.pane:has(.pane-header[aria-label*="${viewName}"]) .pane-body`);
  if (await body.isVisible()) return;
  await page.locator(`.activitybar .action-item a[aria-label^="${containerTitle}"]`).first().click();
  await body.waitFor({ state: 'visible' });
}

/** Tree rows of a view pane, found by the view's name in its header. */
export function treeRows(page: Page, viewName: string) {
  return page.locator(`.pane:has(.pane-header[aria-label*="${viewName}"]) .monaco-list-row`);
}

/** The row of a view pane's tree whose aria-label contains `labelPart`. */
export function treeRow(page: Page, viewName: string, labelPart: string) {
  return page
    .locator(`.pane:has(.pane-header[aria-label*="${viewName}"]) .monaco-list-row[aria-label*="${labelPart}"]`)
    .first();
}

/** Text of the visible notification toasts. */
export async function notificationTexts(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
}

/** The active webview's document (code-server nests it: the webview host iframe, then #active-frame). */
export function webview(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready >> visible=true').frameLocator('#active-frame');
}

/** Waits until the workbench has loaded (status bar and activity bar are up). */
export async function waitForWorkbench(page: Page, timeoutMs: number): Promise<void> {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * The visible webview whose document holds `[data-testid=<testid>]` (the Failures panel and a clip viewer can be
 * visible side by side, so "the visible webview" alone is ambiguous). Waits until exactly one matches.
 */
export async function webviewWith(page: Page, testid: string, timeoutMs = 30_000): Promise<FrameLocator> {
  const hosts = page.locator('iframe.webview.ready').filter({ visible: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const matches: FrameLocator[] = [];
    for (let i = 0; i < (await hosts.count()); i++) {
      const doc = hosts.nth(i).contentFrame().frameLocator('#active-frame');
      if (
        (await doc
          .locator(`[data-testid=${testid}]`)
          .count()
          .catch(() => 0)) > 0
      )
        matches.push(doc);
    }
    if (matches.length === 1) return matches[0];
    if (Date.now() > deadline)
      throw new Error(`${matches.length} visible webviews hold [data-testid=${testid}], expected one`);
    await page.waitForTimeout(250);
  }
}

/**
 * Records the text of every notification the workbench shows, from the first page load on (toasts come and go, and the
 * notification centre lists only what fits): read them with `shownNotifications`. Call before `page.goto`.
 */
export async function recordNotifications(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen = new Set<string>();
    (window as unknown as { __rvosNotifications: Set<string> }).__rvosNotifications = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('.notification-list-item-message')) {
        const text = el.textContent?.trim();
        if (text) seen.add(text);
      }
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
}

/** Every notification text shown since the page loaded (see `recordNotifications`). */
export async function shownNotifications(page: Page): Promise<string[]> {
  return page.evaluate(() => [
    ...((window as unknown as { __rvosNotifications?: Set<string> }).__rvosNotifications ?? []),
  ]);
}

/** Polls `read` until `ok` holds or the time runs out; returns the last value for the assertion message. */
export async function until<T>(
  page: Page,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await read();
  while (!ok(v) && Date.now() < deadline) {
    await page.waitForTimeout(250);
    v = await read();
  }
  return v;
}

/** Canvas pixels of exactly `rgb` (outlines are drawn at full strength, so the overlay's colour is exact). */
export async function colourPixels(view: FrameLocator, testid: string, rgb: readonly number[]): Promise<number> {
  return view.locator(`[data-testid=${testid}]`).evaluate((el, c) => {
    const canvas = el as HTMLCanvasElement;
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] === c[0] && data[i + 1] === c[1] && data[i + 2] === c[2]) n++;
    return n;
  }, rgb);
}

/** Waits until the Clips view lists a row for each of `videoIds` and returns the rows' labels (for messages). */
export async function clipRowLabels(page: Page, videoIds: readonly string[], timeoutMs = 30_000): Promise<string[]> {
  await showView(page, 'RVOS', 'Clips');
  const rows = treeRows(page, 'Clips');
  await rows.first().waitFor({ state: 'visible', timeout: timeoutMs });
  return until(
    page,
    () => rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? '')),
    (labels) => videoIds.every((id) => labels.some((l) => l.includes(id))),
    timeoutMs,
  );
}
