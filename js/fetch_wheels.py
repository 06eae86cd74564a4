#!/usr/bin/env python3
"""fetch_wheels.py WHEELS_JSON DEST - downloads the pinned (pure-Python) wheels
named in WHEELS_JSON from PyPI with pip (the ordinary client) into DEST, unless DEST
already has them, and checks each file's sha256. Exits non-zero on a mismatch."""
import hashlib
import json
import os
import subprocess
import sys


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    spec, dest = sys.argv[1], sys.argv[2]
    wheels = json.load(open(spec))["wheels"]
    os.makedirs(dest, exist_ok=True)
    missing = [w for w in wheels if not os.path.exists(os.path.join(dest, w["file"]))]
    if missing:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
               "--python-version", "3.13", "--platform", "any", "--implementation", "py", "-d", dest] + ["%s==%s" % (w["name"], w["version"]) for w in missing]
        subprocess.run(cmd, check=True)
    bad = 0
    for w in wheels:
        path = os.path.join(dest, w["file"])
        got = sha256(path) if os.path.exists(path) else "missing"
        if got != w["sha256"]:
            print("fetch_wheels: %s: sha256 %s, expected %s" % (w["file"], got, w["sha256"]), file=sys.stderr)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
