#!/usr/bin/env bash
# install-yq.sh - builds the reference yq (mikefarah yq v4, pinned) with the
# Go toolchain from the Go module proxy into $PREFIX/bin/yq; test/run_cases.py
# runs it as `yq` on the bash side. Idempotent.
set -euo pipefail
VERSION=v4.44.6
PREFIX=${WASMSH_REF_PREFIX:-/opt/wasmsh-ref}/yq
if [ -x "$PREFIX/bin/yq" ] && "$PREFIX/bin/yq" --version 2>/dev/null | grep -q "version $VERSION\$"; then
    echo "install-yq: $PREFIX/bin/yq present"
    exit 0
fi
GO=$(command -v go || echo /usr/local/go/bin/go)
if [ ! -x "$GO" ]; then
    echo "install-yq: no Go toolchain; the yq cases will fail" >&2
    exit 1
fi
mkdir -p "$PREFIX/bin"
GOBIN="$PREFIX/bin" GOFLAGS=-modcacherw "$GO" install "github.com/mikefarah/yq/v4@$VERSION"
"$PREFIX/bin/yq" --version
