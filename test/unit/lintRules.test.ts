// The project's ESLint rules (scripts/lint/rvosRules.mjs) on small sources placed in each layer, and the check that
// eslint.config.mjs turns them on for the files they guard.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const root = path.resolve(__dirname, '../..');

async function lint(file: string, code: string): Promise<string[]> {
  const rulesUrl = pathToFileURL(path.join(root, 'scripts/lint/rvosRules.mjs')).href;
  const { default: rvos } = (await import(rulesUrl)) as { default: ESLint.Plugin };
  const linter = new Linter({ configType: 'flat', cwd: root });
  const config: Linter.Config[] = [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { rvos },
      rules: { 'rvos/layers': 'error', 'rvos/duplicate-branches': 'error' },
    },
  ];
  return linter.verify(code, config, { filename: path.join(root, file) }).map((m) => `${m.ruleId}: ${m.message}`);
}

test('vscode is imported only by the host and the entry point', async () => {
  assert.deepEqual(await lint('src/host/clips/tree.ts', "import * as vscode from 'vscode';"), []);
  assert.deepEqual(await lint('src/extension.ts', "import * as vscode from 'vscode';"), []);
  for (const file of [
    'src/core/png.ts',
    'src/core/report/zip.ts',
    'src/webview/clipViewer/main.ts',
    'src/shared/a/b.ts',
  ]) {
    const found = await lint(file, "import type { Uri } from 'vscode';");
    assert.equal(found.length, 1, file);
    assert.match(found[0], /^rvos\/layers: src\/\w+\/ may not import 'vscode'/);
  }
  assert.equal((await lint('src/cli/main.ts', "const v = await import('vscode');")).length, 1);
});

test('no layer but the host imports host code, at any folder depth', async () => {
  const cases: [string, string][] = [
    ['src/webview/failures/format.ts', "import { formatPercent } from '../../host/treeLabels';"],
    ['src/webview/shared/rpc.ts', "export { x } from '../../host/clips/treeLabels';"],
    ['src/shared/clipViewer/protocol.ts', "import type { Session } from '../../host/session/session';"],
    ['src/inference/worker.ts', "import { guarded } from '../host/errors';"],
    ['src/cli/main.ts', "import { activate } from '../extension';"],
  ];
  for (const [file, code] of cases) {
    const found = await lint(file, code);
    assert.equal(found.length, 1, `${file}: ${code}`);
    assert.match(found[0], /^rvos\/layers: src\/\w+\/ may not import src\/(host\/|extension\.ts)/);
  }
  // Folders named like a layer inside another layer are not that layer.
  assert.deepEqual(await lint('src/webview/clipViewer/main.ts', "import { rpc } from '../shared/rpc';"), []);
  assert.deepEqual(await lint('src/host/clips/tree.ts', "import { Session } from '../session/session';"), []);
});

test('core imports no other layer; the other layers may import core', async () => {
  for (const target of ['../inference/x', '../shared/protocol', '../webview/zoom', '../cli/table']) {
    assert.equal((await lint('src/core/evaluate.ts', `import { x } from '${target}';`)).length, 1, target);
  }
  assert.deepEqual(await lint('src/core/report/zip.ts', "import { crc32 } from '../crc32';"), []);
  assert.deepEqual(
    await lint('src/webview/failures/main.ts', "import { h } from '../../core/analysis/histogram';"),
    [],
  );
  assert.deepEqual(await lint('src/cli/eval.ts', "import { run } from '../inference/yofoRunner';"), []);
  // Files outside src/ are not layered.
  assert.deepEqual(await lint('test/unit/x.test.ts', "import { guarded } from '../../src/host/errors';"), []);
});

test('a branch that repeats the one before it is reported', async () => {
  const ternary = await lint(
    'src/host/a.ts',
    'export const m = (err: unknown) => (err instanceof RangeError ? String(err) : err instanceof Error ? String(err) : "?");',
  );
  assert.equal(ternary.length, 1);
  assert.match(ternary[0], /^rvos\/duplicate-branches: this branch repeats the one before \(`String\(err\)`\)/);
  assert.equal((await lint('src/core/a.ts', 'export const f = (a: boolean) => (a ? 1 : 1);')).length, 1);
  const chain = 'export function f(a: number) { if (a > 1) { return 1; } else if (a < 0) { return 1; } return 0; }';
  assert.equal((await lint('src/core/a.ts', chain)).length, 1);
  assert.deepEqual(await lint('src/core/a.ts', 'export const f = (a: number) => (a > 1 ? 1 : a < 0 ? -1 : 0);'), []);
});

test('eslint.config.mjs applies the project rules and the type-aware rules to every layer', async () => {
  const eslint = new ESLint({ cwd: root });
  for (const file of ['src/webview/failures/format.ts', 'src/core/png.ts', 'src/extension.ts']) {
    const { rules } = (await eslint.calculateConfigForFile(path.join(root, file))) as Linter.Config;
    assert.deepEqual(rules?.['rvos/layers'], [2], file);
    assert.deepEqual(rules?.['rvos/duplicate-branches'], [2], file);
    assert.equal((rules?.['@typescript-eslint/no-floating-promises'] as unknown[] | undefined)?.[0], 2, file);
  }
  const { rules } = (await eslint.calculateConfigForFile(path.join(root, 'test/unit/json.test.ts'))) as Linter.Config;
  assert.equal(rules?.['rvos/layers'], undefined);
});
