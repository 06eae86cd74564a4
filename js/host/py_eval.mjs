// py_eval.mjs - a session host's py_eval: Python code with top-level await in
// a REPL whose globals persist across calls, calling the client's tools.
//
// The evaluation runs as python3 commands of the session's own shell, each a
// step of src/bridge/repl.py: so py_eval code is contained exactly as a
// python3 command is (audit hook, membrane, js_guard, the run's deadline).
// A step ends when the code is done or waits only for tool calls; this side
// then sends the calls to the client (toolCall events), waits for their
// answers (toolResult), a timer of the code, the deadline or a cancel, and
// runs the next step with the answers. Between steps the session is free, so
// a tool may run commands in it.

// A path, not a name: a shell function called python3 does not shadow it.
// "$?" is handed through so that the shell's $? is kept.
const STEP_SCRIPT = '/usr/bin/python3 -c \'import _wasmsh_repl; _wasmsh_repl.step()\' "$?"';
const MARKER = '\u0000wasmsh-py-eval\u0000';
const CANCEL_POLL_MS = 20;

const STOPPED = 'KeyboardInterrupt: the evaluation was stopped';

function busy(message) {
  return Object.assign(new Error(message), { code: 'WASMSH_SESSION_BUSY' });
}

/** A step's stdout: what the code printed, and the trailer repl.py wrote last. */
function splitStep(stdout) {
  const i = stdout.lastIndexOf(MARKER);
  if (i < 0) return { text: stdout, trailer: null };
  let trailer = null;
  try {
    trailer = JSON.parse(stdout.slice(i + MARKER.length));
  } catch { /* cut short (the output budget) */ }
  return { text: stdout.slice(0, i), trailer };
}

/** The py_eval state of one session. */
export class PyEvaluator {
  constructor(session) {
    this.session = session;
    this.active = false;
    this.answers = []; // toolResult answers (JSON texts) not yet handed to a step
    this.expected = new Set(); // call ids sent to the client and not answered
    this.wake = null;
  }

  /**
   * Runs msg.code ({code, tools, reset, timeoutMs}); postToolCall({call, name,
   * args}) sends a call to the client. Resolves to {status: ok | error |
   * timeout | cancelled, output, value, error, durationMs}.
   */
  async evaluate(msg, postToolCall) {
    const { session } = this;
    if (!session.pyodide) throw Object.assign(new Error('py_eval needs a session with Python (python: true)'), { code: 'WASMSH_NO_PYTHON' });
    if (session.busy) throw busy('the session is running a script');
    if (this.active) throw busy('a py_eval is already running in this session');
    this.active = true;
    this.answers = [];
    this.expected.clear();
    const t0 = performance.now();
    const deadline = msg.timeoutMs ? t0 + msg.timeoutMs : 0;
    let output = '';
    const end = (status, { value = null, error = null } = {}) => (
      { status, output, value, error, durationMs: performance.now() - t0 });
    let request = JSON.stringify({ op: 'start', code: String(msg.code ?? ''), tools: msg.tools || [], reset: !!msg.reset });
    try {
      for (;;) {
        const left = deadline ? deadline - performance.now() : 0;
        if (deadline && left <= 0) return end('timeout', { error: STOPPED });
        // eslint-disable-next-line no-await-in-loop
        const res = await session.run(STEP_SCRIPT, { stdin: request, ...(deadline ? { timeoutMs: left } : {}) });
        const { text, trailer } = splitStep(res.stdout);
        output += text;
        if (res.stopReason === 'time') return end('timeout', { error: STOPPED });
        if (res.stopReason === 'cancel') return end('cancelled', { error: STOPPED });
        if (res.stopReason) return end('error', { error: `the evaluation was stopped by the session's ${res.stopReason} budget\n${res.stderr}` });
        if (!trailer) {
          return end('error', { error: res.stderr || (res.truncated ? 'the evaluation\'s output went over the session\'s output budget'
            : 'the evaluation ended without a result') });
        }
        if (trailer.state === 'done') return end(trailer.status, trailer);
        for (const c of trailer.calls) {
          this.expected.add(c.call);
          postToolCall(c);
        }
        // eslint-disable-next-line no-await-in-loop
        const why = await this.waitForAnswers(trailer.wakeAfterMs, deadline);
        if (why === 'cancel') return end('cancelled', { error: STOPPED });
        if (why === 'time') return end('timeout', { error: STOPPED });
        request = `{"op":"resume","answers":[${this.answers.splice(0).join(',')}]}`;
      }
    } finally {
      this.active = false;
      this.expected.clear();
      this.answers = [];
    }
  }

  /** An answer of the client (a toolResult); false when no call waits for it. */
  answer(msg) {
    if (!this.active || !this.expected.delete(msg.call)) return false;
    // the value's JSON is passed on as the client wrote it (so 10.0 stays a float in Python)
    this.answers.push(msg.ok
      ? `{"call":${Number(msg.call)},"ok":true,"value":${typeof msg.valueJson === 'string' ? msg.valueJson : JSON.stringify(msg.value ?? null)}}`
      : JSON.stringify({ call: msg.call, ok: false, error: String(msg.error), kind: msg.kind || null }));
    if (this.wake) this.wake('answers');
    return true;
  }

  /** Until an answer, the code's next timer (wakeAfterMs), the deadline or a cancel. */
  waitForAnswers(wakeAfterMs, deadline) {
    const { interrupt } = this.session;
    return new Promise((resolve) => {
      let poll = null;
      let timer = null;
      const done = (why) => {
        clearInterval(poll);
        clearTimeout(timer);
        this.wake = null;
        resolve(why);
      };
      if (this.answers.length) {
        done('answers');
        return;
      }
      this.wake = done;
      poll = setInterval(() => {
        if (Atomics.load(interrupt, 0)) {
          Atomics.store(interrupt, 0, 0);
          done('cancel');
        }
      }, CANCEL_POLL_MS);
      const untilDeadline = deadline ? Math.max(0, deadline - performance.now()) : Infinity;
      const ms = Math.min(wakeAfterMs ?? Infinity, untilDeadline);
      if (ms !== Infinity) timer = setTimeout(() => done(ms === untilDeadline ? 'time' : 'wake'), ms);
    });
  }
}
