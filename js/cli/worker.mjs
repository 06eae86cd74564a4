// worker.mjs - the session behind the wasmsh CLI, in a worker thread, so that
// the main thread stays free to read the terminal and to turn Ctrl-C into a
// cancel (it sets the shared interrupt buffer the session polls).
//
// Messages in:  {type: 'init', options, interrupt, copyIn: [[host, vfs]...]}
//               {type: 'run', id, script, stdin, args?: [arg0, ...]}
//               {type: 'copyOut', pairs: [[vfs, host]...]}
// Messages out: {type: 'ready'} | {type: 'out', fd, text} |
//               {type: 'done', id, result, cwd} | {type: 'error', message, code}
import fs from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';

import { createSession, setWarmPool } from '../session.mjs';

let session = null;

function copyIn(hostPath, vfsPath) {
  const st = fs.statSync(hostPath);
  if (st.isDirectory()) {
    session.mkdir(vfsPath, { recursive: true });
    for (const name of fs.readdirSync(hostPath)) copyIn(path.join(hostPath, name), path.posix.join(vfsPath, name));
  } else {
    session.writeFile(vfsPath, fs.readFileSync(hostPath), { mode: st.mode & 0o777 });
  }
}

function copyOut(vfsPath, hostPath) {
  const st = session.stat(vfsPath);
  if (st.isDirectory) {
    fs.mkdirSync(hostPath, { recursive: true });
    for (const e of session.listDir(vfsPath)) copyOut(path.posix.join(vfsPath, e.name), path.join(hostPath, e.name));
  } else {
    // the directory only when it is missing: under --node-permissions the
    // process may write the file and nothing else
    const data = session.readFile(vfsPath);
    try {
      fs.writeFileSync(hostPath, data);
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
      fs.mkdirSync(path.dirname(hostPath), { recursive: true });
      fs.writeFileSync(hostPath, data);
    }
  }
}

function fail(e) {
  parentPort.postMessage({ type: 'error', message: e && e.message ? e.message : String(e), code: e && e.code });
}

parentPort.on('message', async (msg) => {
  try {
    if (msg.type === 'init') {
      await setWarmPool(0); // one session per CLI process: no instance kept warm
      session = await createSession({ ...msg.options, interruptBuffer: msg.interrupt });
      for (const [host, vfs] of msg.copyIn || []) copyIn(host, vfs);
      parentPort.postMessage({ type: 'ready', cwd: session.cwd() });
    } else if (msg.type === 'run') {
      if (msg.args) session.setArgs(msg.args[0], msg.args.slice(1));
      const result = await session.run(msg.script, {
        stdin: msg.stdin,
        onStdout: (text) => parentPort.postMessage({ type: 'out', fd: 1, text }),
        onStderr: (text) => parentPort.postMessage({ type: 'out', fd: 2, text }),
      });
      delete result.stdout;
      delete result.stderr;
      delete result.output;
      parentPort.postMessage({ type: 'done', id: msg.id, result, cwd: session.cwd() });
    } else if (msg.type === 'copyOut') {
      for (const [vfs, host] of msg.pairs) copyOut(vfs, host);
      parentPort.postMessage({ type: 'copied' });
    }
  } catch (e) {
    fail(e);
  }
});
