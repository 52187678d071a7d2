// `npm run demo`: builds the extension, makes the Ref-Shapes sample outside the repository if missing, and opens VS
// Code on it with the extension loaded: the desktop `code` when installed, otherwise code-server (a real VS Code in the
// browser). The workspace is the sample's own folder (~/.cache/rvos-inspector/demo, or $RVOS_DEMO_DIR): outside the
// repository, so VS Code's Git support finds no parent repository to ask about, and tags and notes go to its
// .rvos/annotations.json beside the dataset, never into it. Its workspace setting rvos.openFirstClipOnStart makes the
// extension reveal the RVOS view and open the first clip.
//   --code-server   use code-server even when `code` is installed
//   --check         (alias --no-open) start code-server, wait until it answers HTTP, stop; exit 0 when all worked
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServer, installVsix, startCodeServer, type CodeServerDirs } from './lib/code-server';
import { REPO_ROOT, runStep } from './lib/run';
import { packageVsix } from './package-vsix';

/** The workspace folder the demo opens; the dataset is its ref-shapes/ subfolder. */
const DEMO_WORKSPACE =
  process.env.RVOS_DEMO_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'rvos-inspector', 'demo');
const SAMPLE_DIR = join(DEMO_WORKSPACE, 'ref-shapes');
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
  if (existsSync(SAMPLE_DIR)) step(`sample dataset: ${SAMPLE_DIR} (exists)`);
  else {
    step(`making the Ref-Shapes sample dataset in ${SAMPLE_DIR}`);
    await runStep('make the sample dataset', process.execPath, [
      join(REPO_ROOT, 'dist', 'cli.js'),
      'sample',
      SAMPLE_DIR,
    ]);
  }
  // The demo workspace's settings: open the RVOS view and a first clip (written once; later edits are kept).
  const settings = join(DEMO_WORKSPACE, '.vscode', 'settings.json');
  if (!existsSync(settings)) {
    await mkdir(join(DEMO_WORKSPACE, '.vscode'), { recursive: true });
    await writeFile(settings, JSON.stringify({ 'rvos.openFirstClipOnStart': true }, null, 2) + '\n');
  }
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
  const server = await startCodeServer(DEMO_WORKSPACE, DEMO_DIRS);
  process.on('exit', server.killNow);
  if (check) {
    step(`code-server answered at ${server.url}; stopping (--check)`);
    await server.stop();
    return;
  }
  // ?folder= names the workspace: without it code-server reopens the folder of its last session (an earlier demo's).
  const url = `${server.url}?folder=${encodeURIComponent(DEMO_WORKSPACE)}`;
  console.log(`\nRVOS Inspector is running in VS Code at ${url}\nOpen it in a browser; press Ctrl+C here to stop.`);
  console.log(
    'A guided tour: Help > Welcome (or the palette: "Welcome: Open Walkthrough…", then "RVOS Inspector: first steps").\n',
  );
  // Ctrl+C or SIGTERM is the normal way to stop: exit 0 once the server is down. Only a server that exits on its own
  // is a failure.
  let stopping = false;
  const shutdown = () => {
    stopping = true;
    void server.stop().then(() => {
      step('code-server stopped');
      process.exit(0);
    });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  server.child.once('exit', (code) => {
    if (stopping) return;
    console.error(`code-server exited on its own (${code}); log: ${server.logFile}`);
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
    await runStep('open VS Code', 'code', [`--extensionDevelopmentPath=${REPO_ROOT}`, DEMO_WORKSPACE]);
  } else {
    await runCodeServer(check);
  }
}

main().catch((err: Error) => {
  console.error(`[demo] error: ${err.message}`);
  process.exitCode = 1;
});
