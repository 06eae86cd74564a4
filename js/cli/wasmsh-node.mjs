#!/usr/bin/env node
// wasmsh-node.mjs - the standalone wasm build of wasmsh as a Node CLI.
//
// `make wasm` copies this file to build/wasm/wasmsh.mjs, next to the Emscripten
// output wasmsh-core.mjs + wasmsh-core.wasm. It takes the same arguments as the
// native CLI (src/cli/main.c):
//
//   node build/wasm/wasmsh.mjs [options] -c SCRIPT [NAME [ARGS...]]
//   node build/wasm/wasmsh.mjs [options] FILE [ARGS...]
//   ... | node build/wasm/wasmsh.mjs
//
// The module gets its own in-memory filesystem (MEMFS). Before main runs, the
// host's current directory (and $HOME) is created in it and made the cwd, so
// $PWD matches the host; a script FILE operand is copied in from the host at
// the same path. The process environment is the module's environment. fds
// 0/1/2 of the module are devices that read and write the process's fds 0/1/2
// synchronously, chunk by chunk (binary-safe, order kept between stdout and
// stderr). The process exits with main's exit status.
//
// The program name (argv[0], used in messages) is process.argv0 when the
// launcher was started under another name (`exec -a bash node wasmsh.mjs`),
// else the basename of this file without its extension.

import fs from 'node:fs';
import path from 'node:path';
import createWasmsh from './wasmsh-core.mjs';

// WASI errno values, as the Emscripten FS expects them.
const ERRNO_EAGAIN = 6;
const ERRNO_EIO = 29;
const ERRNO_ESPIPE = 70;
const ERRNO_EPIPE = 64;
// Our own device numbers for the standard streams (Emscripten uses 1-64).
const STDIO_MAJOR = 200;

function programName() {
  const a0 = path.basename(process.argv0 || '');
  if (a0 && !/^node(js)?([-.\d]*)(\.exe)?$/i.test(a0)) return a0;
  return path.basename(process.argv[1] || 'wasmsh').replace(/\.(mjs|cjs|js)$/, '');
}

// The script FILE operand, if the arguments name one (the options are those of
// src/cli/main.c: -o/-O/+o/+O and --rcfile/--init-file take an argument).
function scriptOperand(args) {
  let i = 0;
  let command = false;
  let stdinMode = false;
  while (i < args.length) {
    const a = args[i];
    if (a === '--' || a === '-') { i++; break; }
    if (a.startsWith('--')) {
      if (a === '--rcfile' || a === '--init-file') i++;
      i++;
      continue;
    }
    if ((a[0] !== '-' && a[0] !== '+') || a.length === 1) break;
    i++;
    for (const c of a.slice(1)) {
      if (c === 'c' && a[0] === '-') command = true;
      else if (c === 's' && a[0] === '-') stdinMode = true;
      else if (c === 'o' || c === 'O') i++;
    }
  }
  if (command || stdinMode || i >= args.length) return null;
  return args[i];
}

function sleepMs(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// Copies a host file (or makes a host directory) at the same absolute path in MEMFS.
function mirrorHostPath(FS, hostPath) {
  const abs = path.resolve(hostPath);
  let st;
  try {
    st = fs.statSync(abs);
  } catch {
    return; // missing: main reports it as bash does
  }
  try {
    if (st.isDirectory()) {
      FS.mkdirTree(abs);
    } else if (st.isFile()) {
      FS.mkdirTree(path.dirname(abs));
      FS.writeFile(abs, fs.readFileSync(abs));
      FS.chmod(abs, st.mode & 0o7777);
    }
  } catch {
    // unreadable on the host: main reports the open error
  }
}

// Makes fds 0/1/2 devices over the process's fds (Module.noFSInit is set, so
// Emscripten's own FS.init, which would make them line-buffered TTYs, never runs).
function setupStdio(FS) {
  const ioError = (e, fallback) => {
    if (e && e.code === 'EPIPE') return new FS.ErrnoError(ERRNO_EPIPE);
    if (e && e.code === 'EAGAIN') return new FS.ErrnoError(ERRNO_EAGAIN);
    return new FS.ErrnoError(fallback);
  };
  // When the process's stdin is a regular file, fd 0 reports its position
  // (lseek(0, 0, SEEK_CUR)), so the shell knows it reads a seekable file and
  // `head -n 1` leaves the rest for the next command, as on a native system.
  let stdinIsFile = false;
  try { stdinIsFile = fs.fstatSync(0).isFile(); } catch { /* no stdin */ }
  const input = {
    open(stream) { stream.seekable = stdinIsFile; },
    close() {},
    llseek(stream, offset, whence) {
      if (stdinIsFile && whence === 1 && offset === 0) return stream.position;
      throw new FS.ErrnoError(ERRNO_ESPIPE);
    },
    read(stream, buffer, offset, length) {
      if (length === 0) return 0;
      const view = new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length);
      for (;;) {
        try {
          return fs.readSync(0, view, 0, length, null);
        } catch (e) {
          if (e.code === 'EAGAIN') { sleepMs(2); continue; } // non-blocking stdin
          if (e.code === 'EOF' || e.code === 'EBADF' || e.code === 'ENXIO') return 0;
          throw ioError(e, ERRNO_EIO);
        }
      }
    },
    write() { throw new FS.ErrnoError(ERRNO_EIO); },
  };
  const output = (fd) => ({
    open(stream) { stream.seekable = false; },
    close() {},
    read() { throw new FS.ErrnoError(ERRNO_EIO); },
    write(stream, buffer, offset, length) {
      const view = new Uint8Array(buffer.buffer, buffer.byteOffset + offset, length);
      let done = 0;
      while (done < length) {
        try {
          done += fs.writeSync(fd, view, done, length - done);
        } catch (e) {
          if (e.code === 'EAGAIN') { sleepMs(1); continue; } // non-blocking pipe is full
          throw ioError(e, ERRNO_EIO);
        }
      }
      return length;
    },
  });
  const devices = [['stdin', input, 0], ['stdout', output(1), 1], ['stderr', output(2), 1]];
  devices.forEach(([name, ops], minor) => {
    const dev = FS.makedev(STDIO_MAJOR, minor);
    FS.registerDevice(dev, ops);
    FS.mkdev(`/dev/${name}`, 0o666, dev);
  });
  // Opened in order, they get fds 0, 1 and 2.
  for (const [name, , flags] of devices) FS.open(`/dev/${name}`, flags);
}

function setupEnvironment(ENV) {
  // Emscripten's defaults, dropped unless the host has them.
  for (const k of ['USER', 'LOGNAME', 'PATH', 'PWD', 'HOME', 'LANG', '_']) ENV[k] = undefined;
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined) ENV[k] = v;
  }
}

function writeErr(text) {
  try {
    fs.writeSync(2, text.endsWith('\n') ? text : text + '\n');
  } catch {
    // nothing left to report to
  }
}

const args = process.argv.slice(2);
const wasmBinary = fs.readFileSync(new URL('./wasmsh-core.wasm', import.meta.url));

createWasmsh({
  arguments: args,
  thisProgram: programName(),
  wasmBinary,
  noFSInit: true,
  print: writeErr,
  printErr: writeErr,
  preRun: [(Module) => {
    const { FS } = Module;
    setupStdio(FS);
    setupEnvironment(Module.ENV);
    const cwd = process.cwd();
    FS.mkdirTree(cwd);
    if (process.env.HOME && path.isAbsolute(process.env.HOME)) {
      try { FS.mkdirTree(process.env.HOME); } catch { /* e.g. a file is in the way */ }
    }
    const file = scriptOperand(args);
    if (file !== null) mirrorHostPath(FS, file);
    FS.chdir(cwd);
  }],
  onAbort: () => { process.exitCode = 134; },
}).catch((e) => {
  writeErr(`${programName()}: ${e && e.message ? e.message : e}`);
  process.exit(process.exitCode || 1);
});
