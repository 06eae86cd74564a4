// Host processes from Python and from the shell (Emscripten's system() runs
// a real host shell under Node; libc's exec/fork; bash's loadable builtins).
export const options = {};

const C = 'escape-process';
const noProc = { exit: 1, stderr: /PermissionError: wasmsh: .*: there are no (host|other) processes in the sandbox/ };
// /bin/sh, /usr/bin/id... are wasmsh's own commands: the sandbox's user (uid 1000) and machine
const sandboxed = { not: /uid=0\(|\broot\b/ };

const notFound = { exit: 127, stderr: /command not found|No such file or directory/ };

export const cases = [
  { id: 'proc/os.system', class: C, script: "python3 -c 'import os; print(os.system(\"echo ESCAPED; id\"))'", expect: noProc },
  { id: 'proc/posix.system', class: C, script: "python3 -c 'import posix; posix.system(\"id\")'", expect: noProc },
  { id: 'proc/os.popen', class: C, script: "python3 -c 'import os; print(os.popen(\"id\").read())'", expect: { exit: 1, not: /uid=/ } },
  { id: 'proc/subprocess.run', class: C, script: "python3 -c 'import subprocess; subprocess.run([\"id\"])'",
    expect: { exit: 1, stderr: /PermissionError|does not support processes/ } },
  { id: 'proc/subprocess.Popen-shell', class: C, script: "python3 -c 'import subprocess; subprocess.Popen(\"id\", shell=True).wait()'",
    expect: { exit: 1, stderr: /PermissionError|does not support processes/ } },
  { id: 'proc/_posixsubprocess', class: C, script: "python3 -c 'import _posixsubprocess'",
    expect: { exit: 1, stderr: /ModuleNotFoundError/ } },
  { id: 'proc/os.execv', class: C, script: "python3 -c 'import os; os.execv(\"/bin/sh\", [\"sh\", \"-c\", \"id\"])'", expect: noProc },
  { id: 'proc/os.execvpe', class: C, script: "python3 -c 'import os; os.execvpe(\"id\", [\"id\"], {})'", expect: noProc },
  { id: 'proc/os.fork', class: C, script: "python3 -c 'import os; print(os.fork())'", expect: { exit: 1, stderr: /PermissionError|AttributeError/ } },
  { id: 'proc/os.posix_spawn', class: C, script: "python3 -c 'import os; os.posix_spawn(\"/bin/id\", [\"id\"], {})'",
    expect: { exit: 1, stderr: /PermissionError|AttributeError/ } },
  { id: 'proc/os.spawnv', class: C, script: "python3 -c 'import os; os.spawnv(os.P_WAIT, \"/bin/id\", [\"id\"])'",
    expect: { exit: 1, stderr: /PermissionError|AttributeError/ } },
  { id: 'proc/pty.spawn', class: C, script: "python3 -c 'import pty; pty.spawn(\"/bin/sh\")'", expect: { exit: 1, not: /uid=/ } },
  { id: 'proc/multiprocessing', class: C,
    script: "python3 -c 'import multiprocessing as m; p = m.Process(target=print, args=(\"ESCAPED\",)); p.start(); p.join()'",
    expect: { exit: 1 } },
  { id: 'proc/os.kill-self', class: C, script: "python3 -c 'import os; os.kill(os.getpid(), 9)'", expect: noProc },
  { id: 'proc/os.kill-host-pid-1', class: C, script: "python3 -c 'import os; os.kill(1, 9)'", expect: noProc },
  { id: 'proc/os._exit', class: C, script: "python3 -c 'import os; os._exit(7)'; echo status=$?",
    expect: { exit: 0, stdout: /^status=7\n$/ },
    check: () => (process.exitCode ? `the host process exit code became ${process.exitCode}` : undefined) },
  { id: 'proc/raise-SIGKILL', class: C, script: "python3 -c 'import signal; signal.raise_signal(signal.SIGKILL)'",
    // proc_exit through the closed bridge: the runtime is replaced, the files stay
    expect: { reason: 'sandbox', stderr: /proc_exit: the sandbox's JavaScript bridge is closed; the session's runtime was restarted/ },
    check: () => (process.exitCode ? `the host process exit code became ${process.exitCode}` : undefined) },
  { id: 'proc/webbrowser', class: C, script: "python3 -c 'import webbrowser; print(webbrowser.open(\"http://example.com\"))'",
    expect: { not: /True/ } },
  { id: 'proc/signal-alarm', class: C, script: "python3 -c 'import signal; signal.alarm(1); print(\"armed\")'",
    expect: { not: /ESCAPED/ } },
  { id: 'sh/exec-bin-sh', class: C, script: 'exec /bin/sh -c "id; echo \\$BASH_VERSION"', expect: { ...sandboxed, stdout: /^uid=1000\(user\)[^\n]*\n5\.2/ } },
  { id: 'sh/usr-bin-id', class: C, script: '/usr/bin/id; /bin/hostname; /usr/bin/whoami', expect: { ...sandboxed, stdout: /^uid=1000\(user\)[^\n]*\nwasmsh\nuser\n$/ } },
  { id: 'sh/env-sh', class: C, script: 'env /bin/sh -c id', expect: sandboxed },
  { id: 'sh/command-p', class: C, script: 'command -p id -u', expect: { exit: 0, stdout: /^1000\n$/ } },
  { id: 'sh/unknown-host-binary', class: C, script: '/usr/bin/gcc --version; /sbin/reboot', expect: { exit: 127, stderr: /command not found|No such file or directory/ } },
  { id: 'sh/enable-f', class: C, script: 'enable -f /lib/x86_64-linux-gnu/libc.so.6 system', expect: { exit: 'nonzero' } },
  { id: 'sh/bash-c-host', class: C, script: "bash -c '/bin/id; hostname'", expect: sandboxed },
  { id: 'sh/PATH-host', class: C, script: 'PATH=/bin:/usr/bin:/sbin; id; whoami; uname -a', expect: { ...sandboxed, stdout: /wasm32/ } },
  { id: 'sh/coproc', class: C, script: 'coproc cat; echo $?', expect: sandboxed },
  { id: 'sh/usr-bin-perl', class: C, script: '/usr/bin/perl -e "print 1"', expect: notFound },
  { id: 'sh/command-p-host-only', class: C, script: 'command -p perl -e 1', expect: notFound },
  { id: 'sh/dev-tcp', class: C, script: 'exec 3<>/dev/tcp/127.0.0.1/80; echo $?',
    expect: { stdout: /^1\n$/, stderr: /\/dev\/tcp\/127.0.0.1\/80: No such file or directory/ } },
  { id: 'sh/kill-everything', class: C, script: 'kill -9 -1; kill -9 0; kill -9 $$; echo survived', expect: {} },
];
