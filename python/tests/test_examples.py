"""The examples run as a user would run them (examples/python-agent)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples"


def test_python_agent_example():
    out = subprocess.run([sys.executable, str(EXAMPLES / "python-agent" / "agent.py")], capture_output=True,
                         text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr[-3000:]
    text = out.stdout
    assert "      2 east\n      2 north\n      2 south" in text
    assert "Out: {'gadget': 10.0, 'gizmo': 4.0, 'widget': 2.5}\n[3 tool calls]" in text
    assert text.rstrip().endswith("revenue by region\neast: 66.50\nnorth: 60.00\nsouth: 80.00")
    assert "The report is in /workspace/report.txt." in text
