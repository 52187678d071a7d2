#!/usr/bin/env bash
# npm test's first step: the Debian packages the Python tests and golden scoring tests import, and black (the
# formatter of training/ that format:check runs) — the list .ci/run installs. Present: nothing
# happens. Missing and root: `apt-get update`, then install only those. Missing and not root: one line naming them
# and the command that installs them, exit 1 — before minutes of TypeScript tests end in ModuleNotFoundError.
#   PYTHON   the interpreter the Python tests run with (default /usr/bin/python3, as package.json's test:python)
#   APT_GET  the apt-get to run as root (default apt-get)
set -uo pipefail

PYTHON="${PYTHON:-/usr/bin/python3}"
APT_GET="${APT_GET:-apt-get}"
# Debian package → the module npm test imports from it.
PACKAGES=(python3-torch python3-onnx python3-numpy python3-pil python3-opencv python3-scipy black)
MODULES=(torch onnx numpy PIL cv2 scipy black)

missing_packages() {
  if ! [ -x "$PYTHON" ]; then
    echo python3 "${PACKAGES[@]}"
    return
  fi
  # One interpreter start for all imports (torch alone takes seconds); prints the modules that fail to import.
  local failed
  failed=$("$PYTHON" - "${MODULES[@]}" <<'EOF' 2>/dev/null
import importlib, sys
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception:
        print(name)
EOF
  ) || failed="${MODULES[*]}" # the interpreter itself is broken: every package is suspect
  local i out=()
  for i in "${!MODULES[@]}"; do
    if grep -qx "${MODULES[$i]}" <<<"$failed"; then out+=("${PACKAGES[$i]}"); fi
  done
  echo "${out[@]}"
}

missing=$(missing_packages)
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "error: the Python tests need Debian packages that are missing for $PYTHON: $missing; install them with: sudo apt-get install -y --no-install-recommends $missing" >&2
  exit 1
fi

echo "installing the Debian packages the Python tests need: $missing" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086 # one word per package
"$APT_GET" update -qq && "$APT_GET" install -y -qq --no-install-recommends $missing >/dev/null || {
  echo "error: apt-get could not install $missing (see above)" >&2
  exit 1
}
still=$(missing_packages)
if [ -n "$still" ]; then
  echo "error: after installing, $PYTHON still cannot import the modules of: $still" >&2
  exit 1
fi
