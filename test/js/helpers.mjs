// helpers.mjs - what the mocha suites share: one session per suite file where
// the tests do not need a fresh one (a Pyodide load costs seconds).
import { createSession } from '../../js/session.mjs';

export { createSession };

export async function run(session, script, options) {
  return session.run(script, options);
}

/** Builds a pure-Python wheel (or one with a .so when native) inside the session with python3. */
export async function makeWheel(session, name, version, { deps = [], native = false } = {}) {
  const py = `
import zipfile
name, version, deps, native = ${JSON.stringify(name)}, ${JSON.stringify(version)}, ${JSON.stringify(deps)}, ${native ? 'True' : 'False'}
fn = f"{name}-{version}-py3-none-any.whl"
with zipfile.ZipFile(fn, "w") as z:
    z.writestr(f"{name}/__init__.py", f"VERSION = {version!r}\\n")
    if native:
        z.writestr(f"{name}/_speedups.so", "not really a shared library")
    meta = (f"Metadata-Version: 2.1\\nName: {name}\\nVersion: {version}\\nSummary: test package {name}\\n"
            + "".join(f"Requires-Dist: {d}\\n" for d in deps))
    z.writestr(f"{name}-{version}.dist-info/METADATA", meta)
    z.writestr(f"{name}-{version}.dist-info/WHEEL",
               "Wheel-Version: 1.0\\nGenerator: wasmsh-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")
    z.writestr(f"{name}-{version}.dist-info/RECORD", "")
print(fn)
`;
  const r = await session.run(`python3 - <<'PYEOF'\n${py}\nPYEOF`);
  if (r.exitCode !== 0) throw new Error(`makeWheel failed: ${r.stderr}`);
  return r.stdout.trim();
}
