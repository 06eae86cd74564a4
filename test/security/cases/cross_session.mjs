// Sessions in one process: none can see or change another's files,
// variables, Python state, budgets or cancel flag; what they share (the
// compiled code, the copy-on-write standard library and wheels) cannot be
// written through.
export const options = {};

const C = 'cross-session';

async function withOther(createSession, fn, options = {}) {
  const other = await createSession(options);
  try {
    return await fn(other);
  } finally {
    other.close();
  }
}

function expectOut(r, want, what) {
  if (r.stdout !== want) throw new Error(`${what}: got ${JSON.stringify(r.output.slice(-300))}, expected ${JSON.stringify(want)}`);
}

export const cases = [
  { id: 'x/files', class: C, js: async ({ session, createSession }) => {
    await session.run('echo secret > /workspace/secret.txt; echo s2 > /tmp/t');
    await withOther(createSession, async (o) => {
      expectOut(await o.run('ls /workspace/secret.txt /tmp/t 2>&1 | wc -l; cat /workspace/secret.txt 2>/dev/null; echo end'),
        '2\nend\n', 'another session sees the file');
      await o.run('echo intruder > /workspace/secret.txt');
    });
    expectOut(await session.run('cat /workspace/secret.txt'), 'secret\n', 'another session changed the file');
  } },
  { id: 'x/variables', class: C, js: async ({ session, createSession }) => {
    await session.run('export TOKEN=abc; secret=xyz; f() { echo mine; }');
    await withOther(createSession, async (o) => {
      expectOut(await o.run('echo "[$TOKEN][$secret]"; type f 2>/dev/null || echo no-f; env | grep -c TOKEN'), '[][]\nno-f\n0\n', 'variables leak');
    });
  } },
  { id: 'x/python-state', class: C, js: async ({ session, createSession }) => {
    await session.run("python3 -c 'import json, sys; json.leaked = 42; sys.modules[\"leak\"] = json'");
    await withOther(createSession, async (o) => {
      expectOut(await o.run("python3 -c 'import json, sys; print(hasattr(json, \"leaked\"), \"leak\" in sys.modules)'"),
        'False False\n', 'Python state leaks');
    });
  } },
  { id: 'x/stdlib-copy-on-write', class: C, js: async ({ session, createSession }) => {
    // the standard library zip is one array shared by every session until written
    const saved = session.readFile('/lib/python313.zip').slice();
    await session.run("python3 -c \"f = open('/lib/python313.zip', 'r+b'); f.write(b'XXXX'); f.close()\"");
    try {
      await withOther(createSession, async (o) => {
        expectOut(await o.run("head -c 2 /lib/python313.zip; echo; python3 -c 'import json, textwrap; print(\"ok\")'"),
          'PK\nok\n', 'a write reached the shared standard library');
      });
    } finally {
      session.writeFile('/lib/python313.zip', saved);
    }
  } },
  { id: 'x/stdlib-mmap', class: C, js: async ({ session, createSession }) => {
    await session.run("python3 -c \"import mmap; f = open('/lib/wasmsh/wheels/' + __import__('os').listdir('/lib/wasmsh/wheels')[0], 'r+b'); m = mmap.mmap(f.fileno(), 0); m[0:2] = b'ZZ'; m.flush(); m.close()\"");
    await withOther(createSession, async (o) => {
      expectOut(await o.run("for w in /lib/wasmsh/wheels/*.whl; do head -c 2 $w; echo; done | sort -u"), 'PK\n', 'an mmap write reached the shared wheels');
    });
  } },
  { id: 'x/cancel-flag', class: C, js: async ({ session, createSession }) => {
    await withOther(createSession, async (o) => {
      o.cancel();
      expectOut(await session.run('echo unaffected'), 'unaffected\n', 'another session\'s cancel stopped this one');
      const r = await o.run('echo never');
      if (r.exitCode !== 130) throw new Error(`the cancelled session ran on (exit ${r.exitCode})`);
    });
  } },
  { id: 'x/heap-exhaustion', class: C, js: async ({ session, createSession }) => {
    await withOther(createSession, async (o) => {
      const r = await o.run("python3 -c 'x = []\nwhile True: x.append(bytearray(1 << 20))'", { budget: { heapBytes: 256 << 20 } });
      if (r.stopReason !== 'heap') throw new Error(`expected a heap stop, got ${r.stopReason}: ${r.stderr}`);
      expectOut(await session.run("python3 -c 'print(len(bytearray(64 << 20)))'"), `${64 << 20}\n`, 'one session\'s heap limit hit another');
    });
  } },
  { id: 'x/disk-quota', class: C, js: async ({ session, createSession }) => {
    await withOther(createSession, async (o) => {
      const r = await o.run('head -c 3M /dev/zero > a; head -c 3M /dev/zero > b', { budget: { diskBytes: 4 << 20 } });
      if (r.stopReason !== 'disk') throw new Error(`expected a disk stop, got ${r.stopReason}`);
      expectOut(await session.run('head -c 3M /dev/zero > c; head -c 3M /dev/zero > d; wc -c < d', { budget: { diskBytes: 12 << 20 } }),
        `${3 << 20}\n`, 'one session\'s files counted against another');
    });
  } },
  { id: 'x/restart-isolated', class: C, js: async ({ session, createSession }) => {
    await session.run('keep=yes; echo mine > /workspace/mine');
    await withOther(createSession, async (o) => {
      const r = await o.run("python3 -c 'import signal; signal.raise_signal(9)'");
      if (r.stopReason !== 'sandbox') throw new Error(`expected the other runtime to be replaced, got ${r.stopReason}`);
    });
    expectOut(await session.run('echo $keep; cat /workspace/mine'), 'yes\nmine\n', 'another session\'s restart touched this one');
  } },
  { id: 'x/processes-differ', class: C, js: async ({ session, createSession }) => {
    await withOther(createSession, async (o) => {
      if (o.engine === session.engine || o.FS === session.FS || o.M.HEAPU8.buffer === session.M.HEAPU8.buffer) {
        throw new Error('two sessions share an engine, a file system or a memory');
      }
    });
  } },
];
