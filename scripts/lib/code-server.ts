// Runs code-server (VS Code in a browser; scripts/setup-code-server.sh installs it) for the demo and the e2e tests:
// installs a .vsix, starts the server on a free loopback port in its own process group, and stops it again.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdir, open, writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { REPO_ROOT, runCaptured, runStep } from './run';

export const CODE_SERVER_ENTRY = join(
  REPO_ROOT,
  '.cache',
  'code-server',
  'node_modules',
  'code-server',
  'out',
  'node',
  'entry.js',
);

/** Settings for a quiet, deterministic workbench: no welcome page, tips, trust prompts, update checks or telemetry. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  // A folder inside some repository's tree would otherwise get the toast "A git repository was found in the parent
  // folders of the workspace…".
  'git.openRepositoryInParentFolders': 'never',
};

/** Folders one code-server instance reads and writes; `state` also receives its config, logs and XDG data. */
export interface CodeServerDirs {
  extensions: string;
  userData: string;
  state: string;
}

/** Installs code-server into .cache/code-server/ unless already there (the script is idempotent and instant then). */
export async function ensureCodeServer(): Promise<void> {
  await runStep('code-server setup', 'bash', [join(REPO_ROOT, 'scripts', 'setup-code-server.sh')]);
}

/** Environment for code-server: VS Code variables of a surrounding editor removed, XDG paths kept inside `state`. */
function serverEnv(dirs: CodeServerDirs): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('VSCODE_')) env[k] = v;
  return {
    ...env,
    XDG_DATA_HOME: join(dirs.state, 'data'),
    XDG_CONFIG_HOME: join(dirs.state, 'config'),
    XDG_CACHE_HOME: join(dirs.state, 'cache'),
  };
}

function commonArgs(dirs: CodeServerDirs): string[] {
  return [
    '--config',
    join(dirs.state, 'config.yaml'),
    '--extensions-dir',
    dirs.extensions,
    '--user-data-dir',
    dirs.userData,
  ];
}

/** Creates the folders and, when absent, the user settings (an existing settings.json is the user's and kept). */
export async function prepareDirs(dirs: CodeServerDirs): Promise<void> {
  for (const d of [dirs.extensions, dirs.userData, dirs.state, join(dirs.userData, 'User')])
    await mkdir(d, { recursive: true });
  const settings = join(dirs.userData, 'User', 'settings.json');
  if (
    !(await access(settings).then(
      () => true,
      () => false,
    ))
  )
    await writeFile(settings, JSON.stringify(USER_SETTINGS, null, 2) + '\n');
}

/** Installs (or replaces) a .vsix into `dirs.extensions`. */
export async function installVsix(vsix: string, dirs: CodeServerDirs): Promise<void> {
  await prepareDirs(dirs);
  await runCaptured(
    'install the extension into code-server',
    process.execPath,
    [CODE_SERVER_ENTRY, ...commonArgs(dirs), '--force', '--install-extension', vsix],
    { env: serverEnv(dirs) },
  );
}

/** A free TCP port on 127.0.0.1 (asked from the OS, then released for the server to bind). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningCodeServer {
  url: string;
  /** code-server's stdout and stderr. */
  logFile: string;
  child: ChildProcess;
  /** Stops the server and everything it started (its process group); safe to call more than once. */
  stop(): Promise<void>;
  /** Synchronous last-resort kill for process 'exit' handlers. */
  killNow: () => void;
}

/** Starts code-server on `folder` and resolves once it answers HTTP; rejects (server stopped) if it exits or times out. */
export async function startCodeServer(
  folder: string,
  dirs: CodeServerDirs,
  timeoutMs = 60_000,
): Promise<RunningCodeServer> {
  await prepareDirs(dirs);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const logFile = join(dirs.state, 'code-server.log');
  const log = await open(logFile, 'w');
  const args = [
    CODE_SERVER_ENTRY,
    ...commonArgs(dirs),
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-workspace-trust',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    folder,
  ];
  // detached: its own process group, so stop() also ends the extension host and other helpers it spawns.
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: serverEnv(dirs),
    detached: true,
    stdio: ['ignore', log.fd, log.fd],
  });
  await log.close();
  let exited = child.exitCode !== null;
  const exitedPromise = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      /* group already gone */
    }
  };
  const stop = async () => {
    if (exited) return;
    killGroup('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
    await exitedPromise;
    clearTimeout(timer);
    killGroup('SIGKILL'); // children that outlived the server
  };
  const server: RunningCodeServer = { url, logFile, child, stop, killNow: () => killGroup('SIGKILL') };
  try {
    await waitForHttp(`${url}healthz`, timeoutMs, () => exited);
  } catch (err) {
    await stop();
    throw new Error(`code-server did not start (log: ${logFile}): ${(err as Error).message}`);
  }
  return server;
}

/** Polls `url` until it answers with a status below 500; fails early once `gone()` says the server exited. */
export async function waitForHttp(url: string, timeoutMs: number, gone: () => boolean = () => false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone()) throw new Error('the server exited');
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status < 500) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
