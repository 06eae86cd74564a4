#!/usr/bin/env python3
"""check_openapi.py - deploy/openapi.yaml parses, and describes every route the runner serves.

The routes are read from js/scale/runner/runner.mjs (its `case 'METHOD op'` lines and the fixed
paths of dispatch()); each must be an operation of the OpenAPI file, with an operationId and
responses. Ends with "openapi: N passed, N failed".
"""
import re
import sys

import yaml


def main():
    spec = yaml.safe_load(open("deploy/openapi.yaml"))
    src = open("js/scale/runner/runner.mjs").read()
    want = set()
    for method, op in re.findall(r"case '(GET|POST|PUT|DELETE) ([a-z]*)':", src):
        want.add((method.lower(), "/v1/sessions/{id}" + (f"/{op}" if op else "")))
    for path, method in re.findall(r"p === '(/[a-z0-9/]+)' && m === '(GET|POST)'", src):
        want.add((method.lower(), path))
    for path in ("/healthz", "/readyz", "/metrics"):
        want.add(("get", path))
    passed = failed = 0
    for method, path in sorted(want, key=lambda x: (x[1], x[0])):
        op = spec.get("paths", {}).get(path, {}).get(method)
        ok = bool(op and op.get("operationId") and op.get("responses"))
        print(f"{'ok  ' if ok else 'FAIL'} {method.upper()} {path}")
        passed += ok
        failed += not ok
    print(f"openapi: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
