#!/usr/bin/env bash
# Installs VS Code 1.100.3 (embedded in code-server 4.100.3) into a cache folder, offline-friendly:
# only the npm registry is needed. Idempotent: a finished install is marked and reused.
set -euo pipefail
VERSION=4.100.3
DIR="${CODE_SERVER_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.vscode-test/code-server-$VERSION}"
MARK="$DIR/.installed"
[ -f "$MARK" ] && { echo "$DIR"; exit 0; }
command -v rg >/dev/null || { echo "ripgrep (rg) is required: apt-get install ripgrep" >&2; exit 1; }
rm -rf "$DIR"; mkdir -p "$DIR"
npmi() { npm install --no-audit --no-fund --ignore-scripts --loglevel=error "$@"; }
# code-server's postinstall refuses root, builds kerberos/node-pty and downloads ripgrep: skip it and
# rebuild only the native modules the server needs.
npmi --prefix "$DIR" "code-server@$VERSION" >&2
cd "$DIR/node_modules/code-server/lib/vscode"
npmi --omit=dev >&2
npm_config_yes=true npm rebuild --loglevel=error @vscode/spdlog @parcel/watcher native-watchdog @vscode/deviceid @vscode/policy-watcher >&2
mkdir -p node_modules/@vscode/ripgrep/bin && ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
ln -sfn node_modules node_modules.asar
(cd extensions && npmi --omit=dev >&2)
(cd "$DIR" && npm rebuild --loglevel=error argon2 --prefix "$DIR" >&2)
touch "$MARK"
echo "$DIR"
