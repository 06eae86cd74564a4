// host.mjs - the runner's side of one session worker (worker.mjs): starts
// the thread with its limits, matches replies to calls, and turns the
// thread's death (out of memory, a hard deadline, a crash) into an error of
// this session only.
import { Worker } from 'node:worker_threads';

const WORKER_URL = new URL('./worker.mjs', import.meta.url);

/** The session's worker died; `reason` is 'oom', 'deadline', 'error' or 'exit'. */
export class WorkerCrash extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

export class SessionWorker {
  /**
   * @param {object} p
   * @param {object} p.seed            the template (template.mjs)
   * @param {Array}  p.templateFiles   [{path, mode, data}] on shared memory
   * @param {object} p.resourceLimits  the Worker's V8 limits
   * @param {number} p.wasmMaxBytes    ceiling of the session's wasm memory
   * @param {(m: object) => void} [p.onEvent] denials and the like
   */
  constructor({ seed, templateFiles, resourceLimits, wasmMaxBytes, onEvent }) {
    this.interrupt = new Int32Array(new SharedArrayBuffer(4));
    this.pending = new Map();
    this.nextId = 1;
    this.onEvent = onEvent || (() => {});
    this.crash = null;
    this.killing = null;
    this.wasmBytes = 0;
    this.t0 = performance.now();
    this.worker = new Worker(WORKER_URL, {
      workerData: { seed, templateFiles, interrupt: this.interrupt, wasmMaxBytes },
      resourceLimits, stdout: false, stderr: false,
    });
    this.warm = new Promise((resolve, reject) => { this.warmWaiter = { resolve, reject }; });
    this.warm.catch(() => {});
    this.opened = null;
    this.worker.on('message', (m) => this.onMessage(m));
    this.worker.on('error', (e) => this.died(e && e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'oom' : 'error',
      e && e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? 'the session ran out of memory (its V8 heap limit) and was stopped'
        : `the session's worker failed: ${(e && e.message) || e}`));
    this.worker.on('exit', (code) => this.died('exit', `the session's worker exited (code ${code})`));
  }

  onMessage(m) {
    if (m.type === 'warm') {
      this.restoreMs = m.ms;
      this.warmWaiter.resolve(m);
    } else if (m.type === 'ready') {
      if (this.opened) this.opened.resolve(m);
    } else if (m.type === 'fatal') {
      const e = new Error(m.error.message);
      e.code = m.error.code;
      if (this.opened) this.opened.reject(e);
      this.warmWaiter.reject(e);
      this.terminate();
    } else if (m.type === 'out') {
      const p = this.pending.get(m.id);
      if (p && p.onOut) p.onOut(m.fd, m.text);
    } else if (m.type === 'result') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      // a cancel that came after the run ended must not stop the next one
      if (p.run) Atomics.store(this.interrupt, 0, 0);
      if (m.wasmBytes) this.wasmBytes = m.wasmBytes;
      if (p.timer) clearTimeout(p.timer);
      if (m.ok) p.resolve({ value: m.value, cwd: m.cwd });
      else {
        const e = new Error(m.error.message);
        Object.assign(e, { remote: m.error, cwd: m.cwd });
        p.reject(e);
      }
    } else {
      this.onEvent(m);
    }
  }

  died(reason, message) {
    if (this.crash) return;
    const r = this.killing ? this.killing.reason : reason;
    const msg = this.killing ? this.killing.message : message;
    this.crash = new WorkerCrash(r, msg);
    this.warmWaiter.reject(this.crash);
    if (this.opened) this.opened.reject(this.crash);
    for (const p of this.pending.values()) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(this.crash);
    }
    this.pending.clear();
    if (this.onDeath) this.onDeath(this.crash);
  }

  /** Opens the session on the warm instance; resolves to {cwd}. */
  open(options) {
    if (this.crash) return Promise.reject(this.crash);
    const p = new Promise((resolve, reject) => { this.opened = { resolve, reject }; });
    this.worker.postMessage({ type: 'open', options });
    return p;
  }

  /**
   * Sends a run or a call; resolves to {value, cwd}. With `hardMs`, a run
   * still going that long after it started is cancelled, and `graceMs`
   * later its worker is terminated (a long C call inside Python does not
   * see the cancel): that fails the session, not the runner.
   */
  send(msg, { onOut, transfer, hardMs, graceMs = 5000 } = {}) {
    if (this.crash) return Promise.reject(this.crash);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const p = { resolve, reject, onOut, timer: null, run: msg.type === 'run' };
      if (hardMs && Number.isFinite(hardMs)) {
        p.timer = setTimeout(() => {
          this.cancel();
          p.timer = setTimeout(() => this.terminate('deadline',
            `the run did not stop within ${hardMs + graceMs} ms (its time budget plus ${graceMs} ms): the session was stopped`), graceMs);
        }, hardMs);
      }
      this.pending.set(id, p);
      this.worker.postMessage({ ...msg, id }, transfer || []);
    });
  }

  run(script, { stdin, budget, stream, onOut, hardMs }) {
    return this.send({ type: 'run', script, stdin, budget, stream }, { onOut, hardMs });
  }

  call(method, args = [], transfer) {
    return this.send({ type: 'call', method, args }, { transfer });
  }

  /** Stops the running command (status 130), as Ctrl-C. */
  cancel() {
    Atomics.store(this.interrupt, 0, 2);
  }

  get busy() { return this.pending.size > 0; }

  terminate(reason = 'closed', message = 'the session was closed') {
    if (!this.killing) this.killing = { reason, message };
    return this.worker.terminate();
  }
}
