// Bundles the extension host, the CLI and the inference worker (Node) and the webview (browser).
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };

/** Native or host-provided modules are loaded at run time, never bundled. */
const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'onnxruntime-node', 'sharp'],
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli/rvos.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } },
  // YOFO inference runs in a child process (src/inference/inferenceClient.ts forks dist/inferenceWorker.js).
  { ...node, entryPoints: { inferenceWorker: 'src/inference/worker.ts' }, outdir: 'dist' },
  // Split scoring runs on worker threads (src/core/scoring/pool.ts starts dist/scoreWorker.js next to the bundle).
  { ...node, entryPoints: { scoreWorker: 'src/core/scoring/worker.ts' }, outdir: 'dist' },
  {
    ...common,
    entryPoints: { webview: 'src/webview/clipViewer/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  },
  {
    ...common,
    entryPoints: { failures: 'src/webview/failures/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
