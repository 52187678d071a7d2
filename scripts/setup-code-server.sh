#!/usr/bin/env bash
# Installs code-server (a real VS Code that runs in a browser) into .cache/code-server/, offline except npm + apt.
# @vscode/test-electron cannot download VS Code on our machines, so the demo and the e2e tests use this instead.
# Idempotent: a stamp file records the installed version; a second run returns at once.
set -Eeuo pipefail

CODE_SERVER_VERSION=4.100.3
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="${RVOS_CODE_SERVER_DIR:-$ROOT/.cache/code-server}"
STAMP="$PREFIX/.installed-$CODE_SERVER_VERSION"
CS="$PREFIX/node_modules/code-server"
VSCODE="$CS/lib/vscode"
LOG="$PREFIX/setup.log"
APT_PACKAGES=(libkrb5-dev pkg-config ripgrep chromium)

current_step="start"
step() { current_step="$1"; printf '[setup-code-server] %s\n' "$1"; }
on_error() {
  printf '[setup-code-server] FAILED at step: %s (exit %s). Last lines of %s:\n' "$current_step" "$1" "$LOG" >&2
  tail -n 30 "$LOG" >&2 || true
  exit "$1"
}
trap 'on_error $?' ERR
# Runs a command with its output in the log, so a normal run prints only the step lines.
quiet() { "$@" >>"$LOG" 2>&1; }

if [[ -f "$STAMP" ]]; then
  echo "[setup-code-server] code-server $CODE_SERVER_VERSION already installed in $PREFIX"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$node_major" != 20 ]]; then
  echo "[setup-code-server] code-server $CODE_SERVER_VERSION needs Node 20 (its native modules are built for it); found $(node -v)" >&2
  exit 1
fi

mkdir -p "$PREFIX"
: >"$LOG"

step "apt packages (${APT_PACKAGES[*]})"
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [[ "$(id -u)" == 0 ]] || SUDO="sudo"
  quiet $SUDO apt-get update
  quiet env DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

# node-gyp would download Node's headers; use the ones installed with Node when present (we are offline).
if [[ -z "${npm_config_nodedir:-}" && -f /usr/include/node/common.gypi ]]; then
  export npm_config_nodedir=/usr
fi

step "npm install code-server@$CODE_SERVER_VERSION (scripts skipped)"
# A package.json of its own keeps this prefix apart from the repository's package.json and .npmrc.
[[ -f "$PREFIX/package.json" ]] || echo '{ "name": "rvos-code-server", "private": true }' >"$PREFIX/package.json"
(cd "$PREFIX" && quiet npm install --no-audit --no-fund --ignore-scripts "code-server@$CODE_SERVER_VERSION")

step "VS Code runtime dependencies"
(cd "$VSCODE" && quiet npm install --no-audit --no-fund --omit=dev --ignore-scripts)

step "ripgrep from Debian"
mkdir -p "$VSCODE/node_modules/@vscode/ripgrep/bin"
ln -sfn /usr/bin/rg "$VSCODE/node_modules/@vscode/ripgrep/bin/rg"

step "VS Code native modules"
# node-pty's post-install runs `npx node-gyp configure`; let npx fetch node-gyp without asking.
(cd "$VSCODE" && quiet env npm_config_yes=true npm rebuild kerberos node-pty @vscode/spdlog @parcel/watcher native-watchdog @vscode/deviceid)

step "VS Code links (node_modules.asar, remote-cli, browser helper)"
ln -sfn node_modules "$VSCODE/node_modules.asar"
ln -sfn code-linux.sh "$VSCODE/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$VSCODE/bin/helpers/browser.sh"

step "built-in extensions' dependencies"
(cd "$VSCODE/extensions" && quiet npm install --no-audit --no-fund --omit=dev)

step "code-server native module (argon2)"
# argon2 is hoisted to the prefix's node_modules, so rebuild it from there.
(cd "$PREFIX" && quiet npm rebuild argon2)

step "smoke check"
quiet node "$CS/out/node/entry.js" --version

echo "$CODE_SERVER_VERSION" >"$STAMP"
echo "[setup-code-server] done: $CS/out/node/entry.js"
