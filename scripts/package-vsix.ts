// `npm run package`: production build, then a linux-x64 .vsix that carries the native runtime modules the bundles keep
// external (onnxruntime-node, sharp). Checks the archive before publishing it to .artifacts/rvos-inspector.vsix.
import { mkdtemp, mkdir, readdir, readFile, rename, rm, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readZip, type ZipEntry } from '../src/core/report/zip';
import { REPO_ROOT, runCaptured, runStep } from './lib/run';

export const VSIX_PATH = join(REPO_ROOT, '.artifacts', 'rvos-inspector.vsix');
/** Catches packaging regressions such as shipping every platform's ONNX Runtime (~290 MB unpacked). */
const MAX_VSIX_BYTES = 120 * 1024 * 1024;
const PREFIX = 'extension/';

/** Native files the extension needs at run time on linux-x64, read from the local install so versions never drift. */
async function requiredNativeFiles(): Promise<string[]> {
  const modules = join(REPO_ROOT, 'node_modules');
  const files: string[] = [];
  const ortBin = join(modules, 'onnxruntime-node', 'bin');
  for (const napi of await readdir(ortBin)) {
    const dir = join(ortBin, napi, 'linux', 'x64');
    for (const f of await readdir(dir)) files.push(relative(REPO_ROOT, join(dir, f)));
  }
  for (const pkg of ['@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64']) {
    const dir = join(modules, pkg, 'lib');
    for (const f of await readdir(dir, { recursive: true })) {
      const full = join(dir, f);
      if ((await stat(full)).isFile() && /\.(node|so(\.\d+)*)$/.test(f)) files.push(relative(REPO_ROOT, full));
    }
  }
  return files;
}

/** Every file under media/ (icons, the bundled YOFO model): shipped whole. */
async function mediaFiles(): Promise<string[]> {
  const dir = join(REPO_ROOT, 'media');
  const files: string[] = [];
  for (const f of await readdir(dir, { recursive: true }).catch(() => [] as string[])) {
    if ((await stat(join(dir, f))).isFile()) files.push(`media/${f}`);
  }
  return files;
}

/** Throws listing every problem with the archive's contents. */
async function checkEntries(entries: ZipEntry[]): Promise<void> {
  const names = new Set(entries.map((e) => e.name));
  const pkg = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
    main: string;
  };
  const required = [
    'package.json',
    pkg.main.replace(/^\.\//, ''),
    'dist/webview.js',
    ...(await requiredNativeFiles()),
    ...(await mediaFiles()),
  ];
  const problems = required.filter((f) => !names.has(PREFIX + f)).map((f) => `missing ${f}`);
  const forbidden = [
    ...['src/', 'test/', 'scripts/', 'training/', 'bench/', 'sample/', '.cache/', 'node_modules/@vscode-elements/'],
    ...['darwin/', 'win32/', 'linux/arm64/'].map((p) => `node_modules/onnxruntime-node/bin/napi-v6/${p}`),
    ...Object.keys(pkg.devDependencies ?? {}).map((d) => `node_modules/${d}/`),
  ];
  for (const f of forbidden) {
    const hits = entries.filter((e) => e.name.startsWith(PREFIX + f)).length;
    if (hits) problems.push(`${hits} unwanted file(s) under ${f}`);
  }
  if (problems.length) throw new Error(`vsix check failed:\n  ${problems.join('\n  ')}`);
}

/** Loads onnxruntime-node and sharp from an extracted copy of the archive's node_modules, nothing else on the path. */
async function checkNativeModulesLoad(entries: ZipEntry[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'rvos-vsix-check-'));
  try {
    for (const e of entries) {
      if (!e.name.startsWith(PREFIX + 'node_modules/') || e.name.endsWith('/')) continue;
      const target = join(dir, e.name.slice(PREFIX.length));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, e.data);
    }
    const probe = [
      "const ort = require('onnxruntime-node');",
      "if (!ort.listSupportedBackends().some((b) => b.name === 'cpu')) throw new Error('onnxruntime-node: no cpu backend');",
      "require('sharp')({ create: { width: 2, height: 2, channels: 3, background: '#f00' } }).png().toBuffer()",
      "  .then((b) => { if (b.length < 8) throw new Error('sharp: empty png'); });",
    ].join('\n');
    await runCaptured('load native modules from the vsix', process.execPath, ['-e', probe], {
      cwd: dir,
      env: { ...process.env, NODE_PATH: '' },
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Builds and packages the extension; returns the published .vsix path and its size. */
export async function packageVsix(): Promise<{ path: string; bytes: number }> {
  await runStep('production build', process.execPath, ['esbuild.mjs', '--production']);
  await mkdir(dirname(VSIX_PATH), { recursive: true });
  const partial = `${VSIX_PATH}.partial-${process.pid}.vsix`;
  try {
    const vsce = join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    await runCaptured('vsce package', process.execPath, [
      vsce,
      'package',
      '--target',
      'linux-x64',
      '--out',
      partial,
      '--allow-missing-repository',
      '--skip-license',
      '--no-rewrite-relative-links',
    ]);
    const zip = await readFile(partial);
    if (zip.length > MAX_VSIX_BYTES)
      throw new Error(
        `vsix is ${(zip.length / 2 ** 20).toFixed(1)} MiB, over the ${MAX_VSIX_BYTES / 2 ** 20} MiB limit: check .vscodeignore`,
      );
    const entries = readZip(zip); // also checks every entry's size and CRC
    await checkEntries(entries);
    await checkNativeModulesLoad(entries);
    await rename(partial, VSIX_PATH);
    return { path: VSIX_PATH, bytes: zip.length };
  } finally {
    await rm(partial, { force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  packageVsix().then(
    ({ path, bytes }) => console.log(`packaged ${relative(REPO_ROOT, path)} (${(bytes / 2 ** 20).toFixed(1)} MiB)`),
    (err: Error) => {
      console.error(`error: ${err.message}`);
      process.exitCode = 1;
    },
  );
}
