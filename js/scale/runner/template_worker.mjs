// template_worker.mjs - loads Pyodide once (a full load, which makes the
// memory snapshot) and hands what session workers need to the runner, on
// shared memory (template.mjs). Then the runner ends this thread.
import { parentPort, workerData } from 'node:worker_threads';

import { prewarm, runtimeSeed, setWarmPool, loadRuntime } from '../../session.mjs';

function shared(bytes) {
  const s = new Uint8Array(new SharedArrayBuffer(bytes.length));
  s.set(bytes);
  return s;
}

try {
  await loadRuntime({ runtimeDir: workerData.runtimeDir });
  await setWarmPool(0);
  await prewarm(1);
  const s = await runtimeSeed();
  if (!s) throw new Error('Pyodide made no memory snapshot');
  const seed = {
    snapshot: shared(s.snapshot), pyodideModule: s.pyodideModule, sideModule: s.sideModule, index: s.index,
    stdlib: s.stdlib ? { path: s.stdlib.path, bytes: shared(s.stdlib.bytes) } : null,
    wheels: s.wheels.map((w) => ({ name: w.name, data: shared(w.data) })),
  };
  parentPort.postMessage({ type: 'seed', seed });
} catch (e) {
  parentPort.postMessage({ type: 'fatal', message: (e && e.message) || String(e) });
}
