// Where the bundled default YOFO model lives: one constant, resolved against the extension / CLI root (the folder with
// this project's package.json), so the extension (dist/extension.js), the CLI (dist/cli.js) and sources run by tsx
// agree. The `--model` option and the `rvos.model.path` setting override it.

import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/** The default model folder, relative to the package root. */
export const DEFAULT_MODEL_RELATIVE_PATH = 'media/models/yofo-refshapes';

const PACKAGE_NAME = 'rvos-inspector';

/** The package root: the nearest folder above `from` whose package.json is this project's. */
export function packageRoot(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
      } catch {
        // not ours; keep looking upwards
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} package folder above ${from}`);
  }
}

/** The default model folder for an extension / CLI installed at `root`. */
export function defaultModelDir(root: string = packageRoot()): string {
  return path.join(root, DEFAULT_MODEL_RELATIVE_PATH);
}
