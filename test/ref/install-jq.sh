#!/usr/bin/env bash
# install-jq.sh - builds the reference jq for the differential suites.
#
# Debian 12 ships jq 1.6, too old for the jq 1.7/1.8 language. The PyPI
# package `jq` (1.13.0) vendors the jq 1.8.2 release tarball in its sdist;
# this script fetches that sdist with pip (an ordinary registry client),
# checks both tarballs, and builds the real jq CLI (with its bundled
# Oniguruma) into $PREFIX. test/run_cases.py runs it as `jq` on the bash side.
# Idempotent: does nothing when $PREFIX/bin/jq already runs.
set -euo pipefail
PREFIX=${WASMSH_REF_PREFIX:-/opt/wasmsh-ref}/jq-1.8.2
SDIST_SHA=e62bdddeab3b8a0a404581a7bb6f1e8c4cc6082280870031f746074f4cac52c0
JQ_SHA=71b8d6e8f5fe81f6c6d0d110e3892251f6ce76ed095abd315e26e6e1193af3af
if [ -x "$PREFIX/bin/jq" ] && "$PREFIX/bin/jq" --version 2>/dev/null | grep -q '^jq-1.8.2$'; then
    echo "install-jq: $PREFIX/bin/jq present"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# pip prepares the sdist's metadata, which needs Cython and wheel.
python3 -m pip install --quiet --disable-pip-version-check cython wheel setuptools >/dev/null 2>&1 || true
python3 -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: \
    --no-build-isolation jq==1.13.0 -d "$tmp" >/dev/null
echo "$SDIST_SHA  $tmp/jq-1.13.0.tar.gz" | sha256sum -c --quiet
tar -xzf "$tmp/jq-1.13.0.tar.gz" -C "$tmp"
echo "$JQ_SHA  $tmp/jq-1.13.0/deps/jq-1.8.2.tar.gz" | sha256sum -c --quiet
tar -xzf "$tmp/jq-1.13.0/deps/jq-1.8.2.tar.gz" -C "$tmp"
cd "$tmp/jq-1.8.2"
./configure --quiet --prefix="$PREFIX" --disable-docs --disable-maintainer-mode \
    --with-oniguruma=builtin --disable-shared --enable-static >/dev/null
make -j"$(nproc 2>/dev/null || echo 2)" >/dev/null 2>&1
make install >/dev/null
"$PREFIX/bin/jq" --version
