// Entry point of the `rvos` command (bundled to dist/cli.js).

import { runCli } from './main';

const controller = new AbortController();
// The first Ctrl-C stops the running command cleanly; a second one kills the process as usual.
const onSigint = () => controller.abort();
process.once('SIGINT', onSigint);

void runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  signal: controller.signal,
  debug: process.env.RVOS_DEBUG === '1',
}).then((code) => {
  process.exitCode = code;
  process.off('SIGINT', onSigint);
});
