#!/usr/bin/env bash
# Refreshes static/vendor/socket.io.min.js from the npm registry package (run by hand, not at run time).
set -euo pipefail
version="${1:-4.8.4}"
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "socket.io-client@${version}" >/dev/null && tar xzf socket.io-client-*.tgz)
cp "$work/package/dist/socket.io.min.js" "$here/static/vendor/socket.io.min.js"
cp "$work/package/LICENSE" "$here/static/vendor/socket.io-client.LICENSE"
echo "socket.io-client ${version}" > "$here/static/vendor/VERSIONS"
