"""WasmshRemoteSandbox against the scalable mode's dispatcher and a runner,
started as local processes (local_fleet.py)."""

from __future__ import annotations

import pytest

from local_fleet import LocalFleet
from langchain_wasmsh import RemoteError, WasmshRemoteSandbox


@pytest.fixture(scope="module")
def dispatcher():
    with LocalFleet(token="secret") as fleet:
        yield fleet


def test_execute_and_files(dispatcher):
    with WasmshRemoteSandbox(dispatcher.url, token="secret", env={"X": "1"}, files={"/workspace/a.txt": "A\n"}) as sb:
        r = sb.execute("echo $X; cat /workspace/a.txt; echo err >&2; exit 5")
        assert (r.output, r.exit_code, r.truncated) == ("1\nA\nerr\n", 5, False)
        up = sb.upload_files([("/workspace/b.bin", bytes(range(256))), ("rel.txt", b"x")])
        assert [u.error for u in up] == [None, "invalid_path"]
        down = sb.download_files(["/workspace/b.bin", "/workspace/none", "/workspace", "rel"])
        assert down[0].content == bytes(range(256))
        assert [d.error for d in down] == [None, "file_not_found", "is_directory", "invalid_path"]
        assert sb.execute("sleep 5", timeout=1).exit_code == 124
        sid = sb.id
    with pytest.raises(RemoteError) as e:  # close() deleted it
        WasmshRemoteSandbox.attach(dispatcher.url, sid, token="secret")
    assert e.value.status == 404


def test_attach(dispatcher):
    sb = WasmshRemoteSandbox(dispatcher.url, token="secret")
    sb.execute("echo kept > /workspace/k")
    again = WasmshRemoteSandbox.attach(dispatcher.url, sb.id, token="secret")
    assert again.execute("cat /workspace/k").output == "kept\n"
    again.close()
    with pytest.raises(RemoteError) as e:
        sb.execute("true")
    assert e.value.status == 404 and e.value.code == "WASMSH_SESSION_NOT_FOUND"
    sb.close()  # already gone: no error


def test_bad_token(dispatcher):
    with pytest.raises(RemoteError) as e:
        WasmshRemoteSandbox(dispatcher.url, token="wrong")
    assert e.value.status == 401 and e.value.code == "WASMSH_UNAUTHORIZED"


def test_output_truncation(dispatcher):
    with WasmshRemoteSandbox(dispatcher.url, token="secret", max_output_bytes=1000) as sb:
        r = sb.execute("seq 1 10000")
        assert r.truncated and r.exit_code == 0 and "Output truncated at 1000 bytes" in r.output
