#!/usr/bin/env node
// wasmsh.mjs - the wasmsh CLI: the shell with python3, inside Pyodide.
//
//   wasmsh                       interactive shell (line editing, history, Ctrl-C cancels)
//   wasmsh -c SCRIPT [NAME [ARGS...]]
//   wasmsh FILE [ARGS...]        FILE is read from the host
//   ... | wasmsh                 the script on stdin
//
// Nothing on the host is reachable from inside: files move only with
// --copy-in HOSTPATH:VFSPATH (before the first command) and --copy-out
// VFSPATH:HOSTPATH (after the last), the network only to --allow-host hosts.
// The session runs in a worker thread; this thread reads the terminal and
// turns Ctrl-C into a cancel of the running command.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

const VERSION = '0.1.0';
const USAGE = `Usage: wasmsh [options] [-c SCRIPT [NAME [ARGS...]] | FILE [ARGS...]]
The bash-compatible shell of wasmsh with python3, in Pyodide. With no
script it reads one from stdin, or runs interactively on a terminal.

Options:
  -c SCRIPT                 run SCRIPT ($0 = NAME, $1... = ARGS)
  --allow-host HOST         allow network access to HOST (repeatable; host, host:port, host:*, *.domain)
  --no-python               a shell without python3/pip (starts faster)
  --budget-ms N             wall-clock limit per command line / script, in ms (default none;
                            the other budgets of docs/security.md apply)
  --cwd DIR                 the working directory inside (default /workspace)
  --copy-in HOST:VFS        copy a host file or directory in before running (repeatable)
  --copy-out VFS:HOST       copy a file or directory out after running (repeatable)
  --env NAME=VALUE          set an exported variable (repeatable)
  --node-permissions        run under Node's permission model: no child processes, reads only
                            of wasmsh itself and the files named here, writes only to --copy-out
  --version, --help
`;

function die(msg, status = 2) {
  process.stderr.write(`wasmsh: ${msg}\n`);
  process.exit(status);
}

function splitPair(value, opt) {
  const i = value.lastIndexOf(':');
  if (i <= 0 || i === value.length - 1) die(`${opt}: expected A:B, got ${JSON.stringify(value)}`);
  return [value.slice(0, i), value.slice(i + 1)];
}

function parseArgs(argv) {
  const o = { allowedHosts: [], python: true, budgetMs: undefined, cwd: '/workspace', copyIn: [], copyOut: [],
    env: {}, script: null, file: null, args: [], nodePermissions: false };
  let i = 0;
  const value = (opt) => {
    if (i + 1 >= argv.length) die(`${opt}: option requires an argument`);
    return argv[++i];
  };
  for (; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const name = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    const val = (opt) => (inline !== undefined ? inline : value(opt));
    if (name === '--help' || name === '-h') { process.stdout.write(USAGE); process.exit(0); }
    if (name === '--version') { process.stdout.write(`wasmsh ${VERSION} (Pyodide runtime)\n`); process.exit(0); }
    if (name === '--allow-host') o.allowedHosts.push(val(name));
    else if (name === '--no-python') o.python = false;
    else if (name === '--node-permissions') o.nodePermissions = true;
    else if (name === '--budget-ms') {
      const v = Number(val(name));
      if (!(v > 0)) die('--budget-ms: expected a positive number of milliseconds');
      o.budgetMs = v;
    } else if (name === '--cwd') o.cwd = val(name);
    else if (name === '--copy-in') {
      const [host, vfs] = splitPair(val(name), name);
      if (!fs.existsSync(host)) die(`--copy-in: ${host}: No such file or directory`);
      o.copyIn.push([path.resolve(host), vfs]);
    } else if (name === '--copy-out') {
      const [vfs, host] = splitPair(val(name), name);
      o.copyOut.push([vfs, path.resolve(host)]);
    } else if (name === '--env') {
      const v = val(name);
      const k = v.indexOf('=');
      if (k <= 0) die('--env: expected NAME=VALUE');
      o.env[v.slice(0, k)] = v.slice(k + 1);
    } else if (name === '-c') {
      o.script = value('-c');
      o.args = argv.slice(i + 1);
      break;
    } else if (a === '--') {
      i++;
      break;
    } else if (a.startsWith('-') && a !== '-') die(`${a}: invalid option\n${USAGE}`);
    else break;
  }
  if (o.script === null && i < argv.length && argv[i] !== '-') {
    o.file = argv[i];
    o.args = argv.slice(i + 1);
  }
  if (!o.cwd.startsWith('/')) die('--cwd: must be an absolute path inside the session');
  return o;
}

function readAllStdin() {
  try {
    return fs.readFileSync(0);
  } catch {
    return new Uint8Array(0);
  }
}

class Client {
  constructor(opts) {
    this.interrupt = new Int32Array(new SharedArrayBuffer(4));
    this.worker = new Worker(new URL('./worker.mjs', import.meta.url));
    this.pending = null;
    this.nextId = 1;
    this.cwd = opts.cwd;
    this.worker.on('message', (m) => this.onMessage(m));
    this.worker.on('error', (e) => die(e.message || String(e), 70));
  }

  onMessage(m) {
    if (m.type === 'out') (m.fd === 2 ? process.stderr : process.stdout).write(m.text);
    else if (m.type === 'error') {
      if (this.pending) { const p = this.pending; this.pending = null; p.reject(Object.assign(new Error(m.message), { code: m.code })); } else die(m.message, 70);
    } else if (this.pending) {
      if (m.cwd) this.cwd = m.cwd;
      const p = this.pending;
      this.pending = null;
      p.resolve(m);
    }
  }

  request(msg) {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(msg);
    });
  }

  init(options, copyIn) {
    return this.request({ type: 'init', options, interrupt: this.interrupt, copyIn });
  }

  async run(script, stdin, args) {
    Atomics.store(this.interrupt, 0, 0);
    const m = await this.request({ type: 'run', id: this.nextId++, script, stdin, args });
    return m.result;
  }

  cancel() {
    Atomics.store(this.interrupt, 0, 2);
  }

  copyOut(pairs) {
    return pairs.length ? this.request({ type: 'copyOut', pairs }) : Promise.resolve();
  }

  close() {
    this.worker.terminate();
  }
}

async function interactive(client, opts) {
  const historyFile = path.join(os.homedir(), '.wasmsh_history');
  let history = [];
  try {
    history = fs.readFileSync(historyFile, 'utf8').split('\n').filter(Boolean).reverse().slice(0, 1000);
  } catch { /* no history yet */ }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true,
    history, historySize: 1000, removeHistoryDuplicates: true });
  let running = false;
  let lastStatus = 0;
  const prompt = () => {
    rl.setPrompt(`wasmsh:${client.cwd}$ `);
    rl.prompt();
  };
  rl.on('SIGINT', () => {
    if (running) {
      client.cancel();
      return;
    }
    rl.write(null, { ctrl: true, name: 'u' });
    process.stdout.write('^C\n');
    prompt();
  });
  process.stdout.write(`wasmsh ${VERSION} with Python (Pyodide). Files stay inside; exit or Ctrl-D to leave.\n`);
  prompt();
  let buffered = '';
  for await (const line of rl) {
    if (line.endsWith('\\')) {
      buffered += `${line.slice(0, -1)}\n`;
      rl.setPrompt('> ');
      rl.prompt();
      continue;
    }
    const script = buffered + line;
    buffered = '';
    if (script.trim()) {
      try {
        fs.appendFileSync(historyFile, `${script.replace(/\n/g, ' ')}\n`);
      } catch { /* a read-only home is fine */ }
      // readline stays active while the command runs: in raw mode Ctrl-C
      // reaches us only as its SIGINT event, which cancels the command.
      running = true;
      try {
        const r = await client.run(script, new Uint8Array(0));
        lastStatus = r.exitCode;
        if (r.exited) break;
      } catch (e) {
        process.stderr.write(`wasmsh: ${e.message}\n`);
      }
      running = false;
    }
    prompt();
  }
  rl.close();
  return lastStatus;
}

// --node-permissions: this CLI again, in a node process under the
// permission model (js/node_permissions.mjs), granted what the options name.
async function reexecWithPermissions(opts) {
  const { spawnSync } = await import('node:child_process');
  const { nodePermissionFlags } = await import('../node_permissions.mjs');
  const read = [...opts.copyIn.map(([host]) => host), ...(opts.file ? [opts.file] : [])];
  const write = opts.copyOut.map(([, host]) => host);
  const flags = ['--no-warnings', ...nodePermissionFlags({ read, write })];
  const r = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' });
  if (r.error) die(`--node-permissions: ${r.error.message}`, 70);
  process.exit(r.status === null ? 128 + (os.constants.signals[r.signal] || 9) : r.status);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.nodePermissions && !process.permission) return reexecWithPermissions(opts);
  const client = new Client(opts);
  const sessionOptions = { allowedHosts: opts.allowedHosts, python: opts.python, cwd: opts.cwd, env: opts.env,
    // a terminal's command runs as long as it likes (Ctrl-C stops it) and its
    // output streams to the terminal: no deadline, no output cap unless asked
    budget: { ms: opts.budgetMs || Infinity, outputBytes: Infinity } };
  let status = 0;
  process.on('SIGINT', () => client.cancel());
  try {
    await client.init(sessionOptions, opts.copyIn);
    if (opts.script !== null) {
      const args = opts.args.length ? opts.args : ['wasmsh'];
      const stdin = process.stdin.isTTY ? new Uint8Array(0) : readAllStdin();
      status = (await client.run(opts.script, stdin, args)).exitCode;
    } else if (opts.file !== null) {
      let text;
      try {
        text = fs.readFileSync(opts.file, 'utf8');
      } catch (e) {
        die(`${opts.file}: ${e.code === 'ENOENT' ? 'No such file or directory' : e.message}`, 127);
      }
      const stdin = process.stdin.isTTY ? new Uint8Array(0) : readAllStdin();
      status = (await client.run(text, stdin, [opts.file, ...opts.args])).exitCode;
    } else if (process.stdin.isTTY) {
      process.removeAllListeners('SIGINT');
      status = await interactive(client, opts);
    } else {
      const script = new TextDecoder().decode(readAllStdin());
      status = (await client.run(script, new Uint8Array(0), ['wasmsh'])).exitCode;
    }
    await client.copyOut(opts.copyOut);
  } catch (e) {
    process.stderr.write(`wasmsh: ${e.message}\n`);
    status = status || 70;
  }
  client.close();
  process.exitCode = status;
}

main();
