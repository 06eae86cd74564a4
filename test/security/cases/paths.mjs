// Path tricks: the session's file system is its own MEMFS, with nothing of
// the host in it: no /etc, no host /proc, no device of the host, no mount of
// a host directory, whatever the path says (.., symlinks, /proc/self, /dev).
export const options = {};

const C = 'paths';
const py = (code) => `python3 - <<'PYEOF'\n${code}\nPYEOF`;
const ROOT = /^dev\nhome\nlib\nproc\ntmp\nworkspace\n$/;

export const cases = [
  { id: 'path/etc-passwd', class: C, script: 'cat /etc/passwd', expect: { exit: 1, stderr: /No such file or directory/ } },
  { id: 'path/dotdot', class: C, script: 'cat ../../../../../../etc/passwd', expect: { exit: 1, stderr: /No such file or directory/ } },
  { id: 'path/root-listing', class: C, script: 'cd /; cd ..; cd ../..; pwd; ls', expect: { exit: 0, stdout: /^\/\ndev\nhome\nlib\nproc\ntmp\nworkspace\n$/ } },
  { id: 'path/root-listing-py', class: C, script: "python3 -c 'import os; print(\"\\n\".join(sorted(os.listdir(\"/\"))))'", expect: { exit: 0, stdout: ROOT } },
  // (MEMFS's stat of a dangling link with a trailing slash answers for the link: `ls r/` lists it)
  { id: 'path/symlink-out', class: C, script: 'ln -s /etc/shadow s; ln -s ../../../../root r; cat s; cat r/.bashrc',
    expect: { exit: 1, stderr: /cat: s: No such file or directory\ncat: r\/.bashrc: No such file or directory/ } },
  { id: 'path/symlink-loop', class: C, script: 'ln -s a b; ln -s b a; cat a', expect: { exit: 1, stderr: /Too many levels of symbolic links|Symbolic link loop|No such file/ } },
  { id: 'path/proc-self', class: C, script: 'ls -R /proc 2>&1 | head -50; cat /proc/self/environ /proc/self/cmdline /proc/1/cmdline /proc/self/maps 2>&1', expect: { not: /PATH=\/|node/ } },
  { id: 'path/proc-fd-readlink', class: C, script: "python3 -c 'import os; print(os.readlink(\"/proc/self/fd/0\"))'", expect: { not: /\/work|\/dev\/pts/ } },
  { id: 'path/host-home', class: C, script: 'ls /root /home/* /Users 2>&1; echo ~root', expect: { not: /\.bashrc|\.ssh/ } },
  { id: 'path/dev-list', class: C, script: 'ls /dev', expect: { exit: 0, not: /sda|nvme|mem\b|kmsg/ } },
  { id: 'path/dev-mem', class: C, script: 'cat /dev/mem /dev/kmem /dev/sda 2>&1; echo done', expect: { stdout: /No such file or directory[\s\S]*done/ } },
  { id: 'path/dev-tty-write', class: C, script: 'echo "to the tty" > /dev/tty; echo written', expect: { exit: 0, stdout: /written/ } },
  { id: 'path/dev-tty-read', class: C, script: 'read -r line < /dev/tty; echo "status $?"', expect: { exit: 0, stdout: /^status 1\n$/ } },
  { id: 'path/sys', class: C, script: 'ls /sys/class/net 2>&1; cat /sys/kernel/hostname 2>&1', expect: { not: /eth0|lo\n/ } },
  { id: 'path/no-host-mounts', class: C, js: async ({ session }) => {
    const FS = session.FS;
    const types = [];
    const walk = (node) => {
      if (!node || !node.mount) return;
      types.push(node.mount.type === FS.filesystems.NODEFS ? 'NODEFS' : 'other');
    };
    for (const m of FS.root.mount.mounts || []) walk(m.root);
    const mounts = Object.values(FS.nameTable || {}).filter(Boolean).map((n) => n.mount && n.mount.type).filter(Boolean);
    if (types.includes('NODEFS') || mounts.includes(FS.filesystems.NODEFS)) throw new Error('a NODEFS (host) mount is present');
  } },
  { id: 'path/py-open-host', class: C, script: py("for p in ('/etc/hostname', '/proc/cpuinfo', '/proc/meminfo', '/etc/hosts'):\n    try:\n        print(open(p).read()[:50])\n    except OSError as e:\n        print('no', p)"),
    expect: { exit: 0, stdout: /^no \/etc\/hostname\nno \/proc\/cpuinfo\nno \/proc\/meminfo\nno \/etc\/hosts\n$/ } },
  { id: 'path/api-dotdot', class: C, js: async ({ session }) => {
    session.writeFile('../../../../tmp/api-dotdot', 'x');
    const st = session.stat('/tmp/api-dotdot');
    if (!st.isFile) throw new Error('writeFile with .. did not stay inside the session');
    let threw = false;
    try { session.readFile('/etc/passwd'); } catch (e) { threw = e.errno === 'ENOENT'; }
    if (!threw) throw new Error('readFile(/etc/passwd) did not fail with ENOENT');
  } },
  { id: 'path/chmod-ignored-is-local', class: C, script: 'chmod 000 /workspace/.canary; cat /workspace/.canary; chmod 644 /workspace/.canary', expect: { exit: 0 } },
  { id: 'path/overwrite-lib', class: C, script: "echo broken > /lib/wasmsh/evil; python3 -c 'print(\"py ok\")'", expect: { exit: 0, stdout: /py ok/ } },
];
