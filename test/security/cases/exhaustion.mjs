// Resource exhaustion: every budget, from the shell and from Python. Each
// stop must name its budget; the file written before (the canary) must stay
// intact and the session must answer the next command.
const MiB = 1024 * 1024;
export const options = {
  budget: { fileBytes: 8 * MiB, diskBytes: 24 * MiB, files: 3000, heapBytes: 384 * MiB, openFiles: 64 },
};

const C = 'exhaustion';
const py = (code) => `python3 - <<'PYEOF'\n${code}\nPYEOF`;
const stop = (reason, msg) => ({ exit: 124, reason, stderr: new RegExp(`\\(budget: ${msg || reason}\\)`) });
const quick = { ms: 1500 };

export const cases = [
  // --- time and steps
  { id: 'ex/while-true', class: C, script: 'while :; do :; done', budget: quick, expect: { ...stop('time'), maxMs: 4000 } },
  { id: 'ex/steps', class: C, script: 'while :; do :; done', budget: { steps: 100000 }, expect: stop('steps') },
  { id: 'ex/fork-bomb', class: C, script: ':(){ :|:& };:', expect: stop('depth') },
  { id: 'ex/recursion-shell', class: C, script: 'f(){ f; }; f', expect: stop('depth') },
  { id: 'ex/recursion-subshell', class: C, script: 'f(){ (f); }; f', expect: stop('depth') },
  { id: 'ex/recursion-eval', class: C, script: 'e=\'eval "$e"\'; eval "$e"', expect: stop('depth') },
  { id: 'ex/source-self', class: C, script: 'echo ". ./self.sh" > self.sh; . ./self.sh', expect: stop('depth') },
  { id: 'ex/utility-loop', class: C, script: "cat /dev/zero | tr '\\0' x > /dev/null", budget: quick, expect: { ...stop('time'), maxMs: 4000 } },
  { id: 'ex/sleep', class: C, script: 'sleep 1000', budget: quick, expect: { ...stop('time'), maxMs: 4000 } },
  { id: 'ex/py-while-true', class: C, script: "python3 -c 'while True: pass'", budget: quick, expect: { ...stop('time'), maxMs: 4000 } },
  { id: 'ex/py-catches-interrupt', class: C, budget: quick,
    script: py('while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass'),
    expect: { ...stop('time'), maxMs: 4000 } },
  { id: 'ex/py-ignores-sigint', class: C, budget: quick,
    script: py('import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass'),
    expect: { ...stop('time'), maxMs: 4000 } },
  { id: 'ex/py-finally-loop', class: C, budget: quick,
    script: py('while True:\n    try:\n        while True: pass\n    finally:\n        while True: pass'),
    expect: { ...stop('time'), maxMs: 4000 } },
  { id: 'ex/py-sleep', class: C, script: "python3 -c 'import time; time.sleep(1000)'", budget: quick, expect: { ...stop('time'), maxMs: 4000 } },
  { id: 'ex/py-generator-loop', class: C, budget: quick,
    script: py('import itertools\nfor _ in itertools.count():\n    pass'), expect: { ...stop('time'), maxMs: 4000 } },
  // --- catastrophic regexes
  { id: 'ex/regex-grep', class: C, budget: quick,
    script: "printf '%s\\n' aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab | grep -cE '^(a|aa)*c$'",
    expect: { exit: [1, 124], maxMs: 4000 } },
  { id: 'ex/regex-sed', class: C, budget: quick,
    script: "printf '%s\\n' aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab | sed -E 's/^(a+)+$/x/'", expect: { exit: [0, 124], maxMs: 4000 } },
  { id: 'ex/regex-bash', class: C, budget: quick,
    script: "s=$(printf 'a%.0s' {1..40})b; [[ $s =~ ^(a+)+$ ]]; echo $?", expect: { exit: [0, 124], maxMs: 4000 } },
  { id: 'ex/regex-python', class: C, budget: quick,
    script: "python3 -c 'import re; re.match(r\"(a+)+$\", \"a\" * 40 + \"b\")'", expect: { ...stop('time'), maxMs: 4000 } },
  // --- expansion, memory
  { id: 'ex/brace-huge', class: C, script: 'echo {1..99999999}', expect: stop('expansion') },
  { id: 'ex/brace-product', class: C, script: 'echo {1..1000}{1..1000}{1..1000}', expect: stop('expansion') },
  { id: 'ex/glob-star', class: C, script: 'echo /**/**/**/**/**', expect: { not: /ESCAPED/ } },
  { id: 'ex/shell-var-doubling', class: C, script: 'x=a; while :; do x=$x$x; done', expect: stop('memory') },
  { id: 'ex/printf-width', class: C, script: "printf '%*s' 2000000000 x | wc -c", expect: { exit: [0, 1, 124] } },
  { id: 'ex/seq-huge', class: C, script: 'seq 1 1000000000000 | tail -n 1', budget: quick, expect: stop('time') },
  { id: 'ex/py-str-repeat', class: C, script: "python3 -c \"x = 'a' * 10**10\"",
    expect: { exit: [1, 124], stderr: /(OverflowError|MemoryError)|budget: heap/ } },
  { id: 'ex/py-bytearray', class: C, script: "python3 -c 'x = bytearray(1 << 30)'", expect: stop('heap') },
  { id: 'ex/py-list-growth', class: C, script: "python3 -c 'x = []\nwhile True: x.append(bytearray(1 << 20))'", expect: stop('heap') },
  { id: 'ex/py-list-alloc', class: C, script: "python3 -c 'x = [0] * 10**9'", expect: { exit: [1, 124], stderr: /MemoryError|budget: heap/ } },
  { id: 'ex/py-recursion', class: C, script: "python3 -c 'def f(): f()\nf()'", expect: { exit: 1, stderr: /RecursionError: maximum recursion depth exceeded/ } },
  { id: 'ex/py-recursion-limit-raised', class: C,
    script: py('import sys\nsys.setrecursionlimit(10**7)\ndef f(n): return f(n + 1)\nf(0)'), budget: { ms: 8000 },
    expect: { exit: [1, 124], stderr: /RecursionError|budget: (heap|depth|time)/ } },
  { id: 'ex/py-json-nesting', class: C, script: "python3 -c 'import json; json.loads(\"[\" * 100000)'",
    expect: { exit: [1, 124], stderr: /RecursionError|budget: depth/ } },
  { id: 'ex/py-eval-nesting', class: C, script: "python3 -c 'eval(\"(\" * 200000)'", expect: { exit: [1, 124] } },
  { id: 'ex/shell-parse-nesting', class: C, script: 'eval "$(printf "(%.0s" {1..100000})"', expect: { exit: 'nonzero', stderr: /nesting/ } },
  // --- files
  { id: 'ex/10G-write', class: C, script: 'head -c 10G /dev/zero > big; echo unreachable', expect: { ...stop('fileSize'), not: /unreachable/ } },
  { id: 'ex/append-loop', class: C, script: 'while :; do head -c 65536 /dev/zero; done > grow', expect: stop('fileSize') },
  { id: 'ex/append-redirect-loop', class: C, script: 'head -c 65536 /dev/zero > chunk; while :; do cat chunk >> grow2; done', expect: stop('fileSize') },
  { id: 'ex/py-10G-write', class: C,
    script: py("with open('big.bin', 'wb') as f:\n    block = b'x' * (1 << 20)\n    for _ in range(10240):\n        f.write(block)"),
    expect: stop('fileSize') },
  { id: 'ex/py-sparse-write', class: C, script: py("with open('sparse', 'wb') as f:\n    f.seek(2**31 - 2)\n    f.write(b'xy')"),
    expect: stop('fileSize') },
  { id: 'ex/py-truncate', class: C, script: py("with open('t', 'wb') as f:\n    f.truncate(2**31 - 1)"), expect: stop('fileSize') },
  { id: 'ex/disk-total', class: C, script: 'for i in 1 2 3 4 5 6; do head -c 7M /dev/zero > part$i; done', expect: stop('disk') },
  { id: 'ex/many-files', class: C, script: 'mkdir -p many; for i in {1..5000}; do : > many/f$i; done', expect: stop('files') },
  { id: 'ex/py-many-dirs', class: C, script: py("import os\nfor i in range(5000):\n    os.makedirs('d/%d' % i)"), expect: stop('files') },
  { id: 'ex/open-files', class: C,
    script: py("fs = []\ntry:\n    for i in range(10000):\n        fs.append(open('/workspace/.canary'))\nexcept OSError as e:\n    print('refused', e.errno, len(fs) < 100)"),
    expect: { exit: 0, stdout: /^refused \d+ True\n$/ } },
  // --- output
  { id: 'ex/yes', class: C, script: 'yes', budget: { outputBytes: 4096 },
    expect: { ...stop('output'), stdout: /^y\ny\n[\s\S]*bytes of output dropped here[\s\S]*y\n$/ } },
  { id: 'ex/py-print-flood', class: C, script: "python3 -c 'while True: print(\"x\" * 1000)'", budget: { outputBytes: 4096 },
    expect: stop('output') },
  { id: 'ex/stderr-flood', class: C, script: 'while :; do echo e >&2; done', budget: { outputBytes: 4096 },
    expect: { exit: 124, reason: 'output' } },
  // --- after all of that, the files written before are intact
  { id: 'ex/files-intact', class: C, script: 'cat /workspace/.canary; ls big part1 2>/dev/null | wc -l', expect: { exit: 0, stdout: /^canary\n/ } },
];
