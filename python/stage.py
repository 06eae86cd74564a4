#!/usr/bin/env python3
"""Builds the two Python wheels (and sdists) with `python -m build`.

    python3 python/stage.py OUT      (make python-wheels: OUT = build/python)

wasmsh-pyodide-runtime needs the built runtime inside its package: the
source tree is copied to OUT/stage/ and its _assets/ filled from the
repository (js/ and js/host/ as lib/, build/pyodide/wasmsh.so and
build/wheels/ as runtime/, Pyodide and its one dependency from node_modules/),
so the repository's tree stays clean. Both wheels land in OUT/dist/.
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Pyodide's files that Node needs (no source maps, HTML consoles or typings)
PYODIDE_SKIP = (".map", ".html", ".d.ts")


def copy_assets(assets: Path) -> None:
    lib = assets / "lib"
    (lib / "host").mkdir(parents=True)
    for f in sorted((ROOT / "js").glob("*.mjs")):
        shutil.copy2(f, lib / f.name)
    for f in sorted((ROOT / "js" / "host").glob("*.mjs")):
        shutil.copy2(f, lib / "host" / f.name)
    runtime = assets / "runtime"
    (runtime / "wheels").mkdir(parents=True)
    so = ROOT / "build" / "pyodide" / "wasmsh.so"
    if not so.is_file():
        sys.exit(f"stage: {so} is missing: run `make pyodide` first")
    shutil.copy2(so, runtime / "wasmsh.so")
    for whl in sorted((ROOT / "build" / "wheels").glob("*.whl")):
        shutil.copy2(whl, runtime / "wheels" / whl.name)
    modules = ROOT / "node_modules"
    if not (modules / "pyodide" / "pyodide.asm.wasm").is_file():
        sys.exit("stage: node_modules/pyodide is missing: run `npm ci` first")
    for pkg in ("pyodide", "ws"):
        src = modules / pkg
        if not src.is_dir():
            continue
        shutil.copytree(src, assets / "node_modules" / pkg,
                        ignore=lambda d, names: [n for n in names if n.endswith(PYODIDE_SKIP)])


def build(src: Path, dist: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "build", "--outdir", str(dist), str(src)],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    if r.returncode != 0:
        sys.stdout.write(r.stdout)
        sys.exit(f"stage: python -m build {src.name} failed")


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "build" / "python").resolve()
    stage = out / "stage"
    dist = out / "dist"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.rmtree(dist, ignore_errors=True)
    stage.mkdir(parents=True)
    for name in ("wasmsh-pyodide-runtime", "langchain-wasmsh"):
        shutil.copytree(ROOT / "python" / name, stage / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "_assets", "build", "dist"))
    copy_assets(stage / "wasmsh-pyodide-runtime" / "src" / "wasmsh_pyodide_runtime" / "_assets")
    for name in ("wasmsh-pyodide-runtime", "langchain-wasmsh"):
        build(stage / name, dist)
    for f in sorted(dist.iterdir()):
        print(f"stage: {f.relative_to(ROOT) if f.is_relative_to(ROOT) else f} ({f.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
