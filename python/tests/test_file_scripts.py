"""Deep Agents' Python BaseSandbox builds its file tools from shell commands and
large ``python3 -c "..."`` scripts (read 6.8 KB, glob 11.7 KB, edit with a
base64 payload on a heredoc, grep -rHnFZ, the capture-offload wrapper). Each
one is run here through wasmsh and through the reference (real bash, GNU
tools and python3, reference_sandbox.py) on the same tree at the same path,
and the output and exit status must be the same bytes. Listings whose order
is the directory's order (os.scandir, grep -r) are compared sorted by line:
wasmsh's in-memory filesystem lists in creation order, ext4 in hash order.
"""

from __future__ import annotations

import os
import shlex
import shutil
import uuid

import pytest
from deepagents.backends import sandbox as da

from langchain_wasmsh import WasmshSandbox
from reference_sandbox import BashSandbox

ROOT = f"/tmp/wasmsh-da-scripts-{uuid.uuid4().hex[:8]}"

TREE = {
    "a.txt": b"hello\nworld\nhello again\n",
    "empty.txt": b"",
    "no-newline.txt": b"last line without newline",
    "crlf.txt": b"one\r\ntwo\r\n",
    "tabs and spaces.md": b"col1\tcol2\n  indented hello\n",
    "unicode/\u00e9t\u00e9.txt": "caf\u00e9 \u2615 na\u00efve\n\u65e5\u672c\u8a9e hello\n".encode("utf-8"),
    "sub/deep/b.py": b"def hello():\n    return 'hello'\n",
    "sub/c.py": b"import os\nprint(os.getcwd())\n",
    ".hidden/secret.txt": b"hello from a hidden dir\n",
    ".dotfile": b"hello dot\n",
    "bin/blob.bin": bytes(range(256)) * 4,
    "long.txt": ("x" * 5000 + "\n").encode() * 3 + b"".join(b"line %d hello\n" % i for i in range(300)),
    "quote's \"file\".txt": b"$HOME `id` \\n \"q\" 'q'\n",
}


@pytest.fixture(scope="module")
def pair():
    wasm = WasmshSandbox()
    ref = BashSandbox()
    files = [(f"{ROOT}/{p}", data) for p, data in TREE.items()]
    assert all(r.error is None for r in wasm.upload_files(files))
    assert all(r.error is None for r in ref.upload_files(files))
    for sb in (wasm, ref):
        res = sb.execute(f"ln -s a.txt {ROOT}/link-to-a.txt && mkdir -p {ROOT}/emptydir")
        assert res.exit_code == 0, res.output
    yield wasm, ref
    wasm.close()
    shutil.rmtree(ROOT, ignore_errors=True)


def both(pair, command, *, sort_lines=False):
    wasm, ref = pair
    w, r = wasm.execute(command), ref.execute(command)
    wo, ro = w.output, r.output
    if sort_lines:
        wo, ro = sorted(wo.splitlines(True)), sorted(ro.splitlines(True))
    assert (wo, w.exit_code) == (ro, r.exit_code)
    return w


def test_the_scripts_are_the_big_ones():
    # what the brief promises to run: the 6.7-11.7 KB python3 -c scripts
    assert len(da._build_read_cmd("/x", 0, 10)) > 6500
    assert len(da._build_glob_cmd("*", "/x")) > 10000
    assert da._build_read_cmd("/x", 0, 10).startswith('python3 -c "')


@pytest.mark.parametrize("path,offset,limit", [
    ("a.txt", 0, 2000), ("a.txt", 1, 1), ("empty.txt", 0, 100), ("no-newline.txt", 0, 10),
    ("crlf.txt", 0, 10), ("tabs and spaces.md", 0, 10), ("unicode/\u00e9t\u00e9.txt", 0, 10),
    ("long.txt", 0, 50), ("long.txt", 200, 30), ("long.txt", 10000, 5), ("bin/blob.bin", 0, 10),
    ("missing.txt", 0, 10), ("sub", 0, 10), ("link-to-a.txt", 0, 5), ("quote's \"file\".txt", 0, 5),
])
def test_read(pair, path, offset, limit):
    both(pair, da._build_read_cmd(f"{ROOT}/{path}", offset, limit))


@pytest.mark.parametrize("path", ["", "sub", "unicode", ".hidden", "emptydir", "missing", "a.txt"])
def test_ls(pair, path):
    both(pair, da._build_ls_cmd(f"{ROOT}/{path}".rstrip("/")), sort_lines=True)


@pytest.mark.parametrize("pattern,path", [
    ("*.txt", ""), ("**/*.py", ""), ("**/*", ""), ("*.md", ""), ("sub/**", ""), (".*", ""),
    ("**/.hidden/*", ""), ("[ab].*", ""), ("?.txt", ""), ("{a,crlf}.txt", ""), ("*.py", "sub"),
    ("**/*.txt", "unicode"), ("nothing*", ""), ("*", "missing"),
])
def test_glob(pair, pattern, path):
    both(pair, da._build_glob_cmd(pattern, f"{ROOT}/{path}".rstrip("/")), sort_lines=True)


@pytest.mark.parametrize("pattern,path,glob,max_count", [
    ("hello", "", None, None), ("hello", "", "*.py", None), ("hello", "sub", None, None),
    ("hello", "", "**/*.txt", None), ("caf\u00e9", "", None, None), ("$HOME `id`", "", None, None),
    ("'q'", "", None, None), ("hello", "", None, 3), ("no such text", "", None, None),
    ("line 1", "long.txt", None, None), ("hello", "missing", None, None), ("x" * 40, "", None, 2),
])
def test_grep(pair, pattern, path, glob, max_count):
    cmd = da._build_grep_cmd(pattern, f"{ROOT}/{path}".rstrip("/"), glob, max_count,
                             exclude_dirs=(".git",))
    if max_count is None:
        both(pair, cmd, sort_lines=True)
    else:  # `| head -n N` after an unordered walk: compare the count only
        wasm, ref = pair
        w, r = wasm.execute(cmd), ref.execute(cmd)
        assert (len(w.output.splitlines()), w.exit_code) == (len(r.output.splitlines()), r.exit_code)


EDITS = [
    ("a.txt", "world", "there", False), ("a.txt", "hello", "bye", False), ("a.txt", "hello", "bye", True),
    ("a.txt", "absent", "x", False), ("crlf.txt", "one\r\n", "ONE\n", False),
    ("unicode/\u00e9t\u00e9.txt", "\u2615", "\U0001f375 tea", False),
    ("quote's \"file\".txt", "$HOME `id`", "'\"$(x)\"'", False), ("missing.txt", "a", "b", False),
    ("no-newline.txt", "line", "LINE\n", True), ("bin/blob.bin", "abc", "x", False),
]


@pytest.mark.parametrize("path,old,new,replace_all", EDITS)
def test_edit_inline(pair, path, old, new, replace_all):
    # each side edits a fresh copy, then the copies must be equal too
    wasm, ref = pair
    src = f"{ROOT}/{path}"
    copy = f"{ROOT}/edit-{uuid.uuid4().hex[:6]}-{os.path.basename(path)}"
    setup = f"cp {shlex.quote(src)} {shlex.quote(copy)} 2>/dev/null; true"
    for sb in (wasm, ref):
        sb.execute(setup)
    both(pair, da._build_edit_inline_cmd(copy, old, new, replace_all=replace_all))
    w = wasm.download_files([copy])[0]
    r = ref.download_files([copy])[0]
    assert (w.content, w.error) == (r.content, r.error)


def test_edit_tmpfile(pair):
    wasm, ref = pair
    old, new = "hello\nworld\n", "HELLO\n" * 2000
    for sb in (wasm, ref):
        sb.upload_files([(f"{ROOT}/tmpedit.txt", TREE["a.txt"]), (f"{ROOT}/.old", old.encode()),
                         (f"{ROOT}/.new", new.encode())])
    both(pair, da._build_edit_tmpfile_cmd(f"{ROOT}/tmpedit.txt", f"{ROOT}/.old", f"{ROOT}/.new", replace_all=False))
    assert wasm.download_files([f"{ROOT}/tmpedit.txt"])[0].content == ref.download_files([f"{ROOT}/tmpedit.txt"])[0].content


def test_write_preflight(pair):
    both(pair, da._build_write_preflight_cmd(f"{ROOT}/new/dir/file.txt") + " && test -d " + f"{ROOT}/new/dir && echo made")


@pytest.mark.parametrize("command", [
    "seq 1 20", "seq 1 100000", "printf 'a\\nb' ; echo err >&2; exit 3", "python3 -c 'print(\"x\" * 70000)'",
    "yes hello | head -n 50000", "true",
])
def test_capture_offload_wrapper(pair, command):
    cap = f"{ROOT}/capture-{uuid.uuid4().hex[:6]}.txt"
    both(pair, da._build_capture_execute_cmd(command, cap, inline_budget=4096, max_capture_bytes=200_000))
    wasm, ref = pair
    assert wasm.download_files([cap])[0].content == ref.download_files([cap])[0].content
