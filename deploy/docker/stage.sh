#!/bin/sh
# stage.sh runner|dispatcher DEST - copies what the runner or the dispatcher
# needs at run time into DEST (the layout of the images; the Dockerfiles run
# it, and test/scale/image.test.mjs starts a runner and a dispatcher from a
# staged tree to prove it is enough). Run from the repository's root after
# `make pyodide` and `npm ci --omit=dev` (runner).
set -eu
what=$1
dest=$2
mkdir -p "$dest/js/scale"
cp package.json "$dest/"
case $what in
runner)
    cp js/*.mjs "$dest/js/"
    cp js/scale/*.mjs "$dest/js/scale/"
    mkdir -p "$dest/js/scale/runner" "$dest/build/pyodide" "$dest/build/wheels" "$dest/node_modules"
    cp js/scale/runner/*.mjs "$dest/js/scale/runner/"
    cp build/pyodide/wasmsh.so "$dest/build/pyodide/"
    cp build/wheels/*.whl "$dest/build/wheels/"
    cp -R node_modules/pyodide "$dest/node_modules/"
    ;;
dispatcher)
    # the dispatcher has no Pyodide: its own modules and the shared helpers
    cp js/scale/http.mjs js/scale/metrics.mjs "$dest/js/scale/"
    mkdir -p "$dest/js/scale/dispatcher"
    cp js/scale/dispatcher/*.mjs "$dest/js/scale/dispatcher/"
    ;;
*)
    echo "usage: stage.sh runner|dispatcher DEST" >&2
    exit 2
    ;;
esac
