// scripts/python-deps.sh, npm test's first step, on a machine state without python3-torch: an interpreter whose
// `import torch` fails (a wrapper that puts a broken torch package first on its path), never by uninstalling anything.

import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';

const SCRIPT = path.resolve(__dirname, '../../scripts/python-deps.sh');
const isRoot = process.getuid?.() === 0;
const dir = mkdtempSync(path.join(tmpdir(), 'rvos-pydeps-'));
chmodSync(dir, 0o755); // the non-root run below must reach it
after(() => rmSync(dir, { recursive: true, force: true }));

/** An interpreter like /usr/bin/python3 except that `import torch` fails while `blocker` exists. */
function pythonWithoutTorch(name: string): { python: string; blocker: string } {
  const shadow = path.join(dir, name);
  const blocker = path.join(shadow, 'torch');
  mkdirSync(blocker, { recursive: true });
  writeFileSync(path.join(blocker, '__init__.py'), 'raise ImportError("torch is not installed on this machine")\n');
  const python = path.join(dir, `${name}-python3`);
  writeFileSync(python, `#!/bin/sh\nPYTHONPATH=${shadow} exec /usr/bin/python3 "$@"\n`);
  chmodSync(python, 0o755);
  return { python, blocker };
}

function check(env: Record<string, string>, asNobody = false): SpawnSyncReturns<string> {
  const command = asNobody
    ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', 'bash', SCRIPT]
    : ['bash', SCRIPT];
  return spawnSync(command[0], command.slice(1), {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('scripts/python-deps.sh (npm test: the Python tests need Debian packages)', () => {
  it('this machine as it is: the real interpreter imports everything, so nothing happens', () => {
    const r = check({});
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
  });

  it('not root, torch missing: stops at once with one line naming the package and the install command', () => {
    const { python } = pythonWithoutTorch('nonroot');
    const r = check({ PYTHON: python }, isRoot); // as root, really drop to an unprivileged user
    assert.equal(r.status, 1, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr,
      `error: the Python tests need Debian packages that are missing for ${python}: python3-torch; install them with: sudo apt-get install -y --no-install-recommends python3-torch\n`,
    );
  });

  it('not root, no interpreter at all: names python3 and every package', () => {
    const r = check({ PYTHON: path.join(dir, 'no-such-python3') }, isRoot);
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /: python3 python3-torch python3-onnx python3-numpy python3-pil python3-opencv python3-scipy black; install them with: sudo apt-get install -y --no-install-recommends python3 python3-torch /,
    );
  });

  it(
    'root, torch missing: apt-get update, then installs exactly the missing package, then checks again',
    { skip: !isRoot && 'installing needs root (CI runs as root)' },
    () => {
      const { python, blocker } = pythonWithoutTorch('root');
      // The apt-get seam records its arguments; its install makes torch importable again, as the real one would.
      const log = path.join(dir, 'apt.log');
      const aptGet = path.join(dir, 'apt-get');
      writeFileSync(aptGet, `#!/bin/sh\necho "$@" >> ${log}\n[ "$1" = install ] && rm -rf ${blocker}\nexit 0\n`);
      chmodSync(aptGet, 0o755);
      const r = check({ PYTHON: python, APT_GET: aptGet });
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), [
        'update -qq',
        'install -y -qq --no-install-recommends python3-torch',
      ]);
      assert.equal(existsSync(blocker), false);

      // An install that does not fix the import is an error, not a pass.
      const again = pythonWithoutTorch('root2');
      writeFileSync(aptGet, '#!/bin/sh\nexit 0\n');
      const failed = check({ PYTHON: again.python, APT_GET: aptGet });
      assert.equal(failed.status, 1);
      assert.match(failed.stderr, /error: after installing, .* still cannot import the modules of: python3-torch\n$/);
    },
  );
});
