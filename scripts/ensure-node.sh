#!/usr/bin/env bash
# Puts a Node.js >= 24 first on PATH, the runtime the functions are deployed on (nodejs24.x): the AWS
# SDK and middy need >= 22, and Node 22's V8 aborts under hostile input (infra/bundle.ts). A machine
# whose system Node is older gets the official Linux build from the npm registry (package
# node-linux-<arch>), installed into .tools/ beside the project. Source this file.
_here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_want_major=24
_node_pkg_version=${NODE_RUNTIME_VERSION:-24}
_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_major)" -lt "$_want_major" ]; then
  case "$(uname -m)" in
    x86_64) _arch=x64 ;;
    aarch64|arm64) _arch=arm64 ;;
    *) echo "ensure-node: unsupported architecture $(uname -m)" >&2; return 1 2>/dev/null || exit 1 ;;
  esac
  _bin="$_here/.tools/node_modules/node-linux-$_arch/bin"
  # A binary left by an earlier (older) setting is replaced.
  if [ ! -x "$_bin/node" ] || [ "$("$_bin/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -lt "$_want_major" ]; then
    echo "ensure-node: system node $(node --version 2>/dev/null || echo none) is older than $_want_major; installing node-linux-$_arch@$_node_pkg_version into .tools/" >&2
    mkdir -p "$_here/.tools"
    npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix "$_here/.tools" "node-linux-$_arch@$_node_pkg_version" >&2
  fi
  export PATH="$_bin:$PATH"
fi
echo "ensure-node: using node $(node --version)" >&2
