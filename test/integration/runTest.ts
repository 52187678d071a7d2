// Runs the integration suite in a real VS Code (downloaded by @vscode/test-electron, or VSCODE_EXECUTABLE_PATH):
// bundles suite/index.ts, writes a tiny dataset and a perfect prediction run to temp folders, and opens VS Code on
// the dataset folder so activation (workspaceContains) is exercised too. `npm run test:integration`; needs a
// machine that can download or already has VS Code, so it is not part of `npm test`.

import { runTests } from '@vscode/test-electron';
import * as esbuild from 'esbuild';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { writePerfectRun, writeTinyDataset } from '../helpers/tinyDataset';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const outDir = path.join(root, 'out', 'integration');
  await esbuild.build({
    entryPoints: [path.join(__dirname, 'suite', 'index.ts')],
    outfile: path.join(outDir, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  const dataset = await writeTinyDataset();
  const run = await writePerfectRun();
  const userData = await mkdtemp(path.join(tmpdir(), 'rvos-vscode-user-'));
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(outDir, 'index.js'),
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH || undefined,
    launchArgs: [dataset, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${userData}`],
    extensionTestsEnv: { RVOS_TEST_DATASET: dataset, RVOS_TEST_RUN: run },
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
