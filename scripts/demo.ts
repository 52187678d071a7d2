// `npm run demo`: builds the extension, makes the Ref-Shapes sample in sample/ if missing, and opens VS Code on it with
// the extension loaded: the desktop `code` when installed, otherwise code-server (a real VS Code in the browser).
//   --code-server   use code-server even when `code` is installed
//   --check         (alias --no-open) start code-server, wait until it answers HTTP, stop; exit 0 when all worked
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCodeServer, installVsix, startCodeServer, type CodeServerDirs } from './lib/code-server';
import { REPO_ROOT, runStep } from './lib/run';
import { packageVsix } from './package-vsix';

const SAMPLE_DIR = join(REPO_ROOT, 'sample');
/** Kept between demo runs (installed extension, user settings, open editors), disposable at any time. */
const DEMO_DIRS: CodeServerDirs = {
  extensions: join(REPO_ROOT, '.cache', 'demo', 'extensions'),
  userData: join(REPO_ROOT, '.cache', 'demo', 'user-data'),
  state: join(REPO_ROOT, '.cache', 'demo', 'state'),
};

const step = (s: string) => console.log(`[demo] ${s}`);

function hasDesktopCode(): boolean {
  return spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
}

async function makeSample(): Promise<void> {
  if (existsSync(SAMPLE_DIR)) return step(`sample dataset: ${SAMPLE_DIR} (exists)`);
  step('making the Ref-Shapes sample dataset in sample/');
  await runStep('make the sample dataset', process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'sample', SAMPLE_DIR]);
}

async function runCodeServer(check: boolean): Promise<void> {
  step('setting up code-server');
  await ensureCodeServer();
  step('building and packaging the extension');
  const { path: vsix } = await packageVsix();
  await makeSample();
  step('installing it into code-server');
  await installVsix(vsix, DEMO_DIRS);
  step('starting code-server');
  const server = await startCodeServer(SAMPLE_DIR, DEMO_DIRS);
  process.on('exit', server.killNow);
  if (check) {
    step(`code-server answered at ${server.url}; stopping (--check)`);
    await server.stop();
    return;
  }
  console.log(`\nRVOS Inspector is running in VS Code at ${server.url}\nOpen it in a browser; press Ctrl+C here to stop.\n`);
  const shutdown = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  server.child.once('exit', (code) => {
    console.error(`code-server exited (${code}); log: ${server.logFile}`);
    process.exit(1);
  });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !['--check', '--no-open', '--code-server'].includes(a));
  if (unknown.length) throw new Error(`unknown option ${unknown[0]} (options: --check, --no-open, --code-server)`);
  const check = args.includes('--check') || args.includes('--no-open');
  const useDesktop = !check && !args.includes('--code-server') && hasDesktopCode();

  if (useDesktop) {
    step('building the extension and the rvos CLI');
    await runStep('build', process.execPath, ['esbuild.mjs']);
    await makeSample();
    step('opening desktop VS Code with the extension in development mode');
    await runStep('open VS Code', 'code', [`--extensionDevelopmentPath=${REPO_ROOT}`, SAMPLE_DIR]);
  } else {
    await runCodeServer(check);
  }
}

main().catch((err: Error) => {
  console.error(`[demo] error: ${err.message}`);
  process.exitCode = 1;
});
