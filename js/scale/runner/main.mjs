#!/usr/bin/env node
// main.mjs - the runner service: `node js/scale/runner/main.mjs [--name=value...]`
// (settings: WASMSH_* variables or --flags, docs/scalable.md). SIGTERM
// drains: no new sessions, in-flight runs finish, then the process exits.
import { makeLogger, readConfig, readSecret } from '../http.mjs';
import { RUNNER_SETTINGS, Runner } from './runner.mjs';

let config;
try {
  config = readConfig(RUNNER_SETTINGS);
  config.runnerToken = readSecret(config, 'runnerToken');
} catch (e) {
  process.stderr.write(`wasmsh-runner: ${e.message}\n`);
  process.exit(2);
}
const log = makeLogger('runner', config.logLevel);
let runner;
try {
  runner = new Runner(config, log);
} catch (e) {
  process.stderr.write(`wasmsh-runner: ${e.message}\n`);
  process.exit(2);
}
const addr = await runner.listen();
log.info('listening', { address: `${addr.address}:${addr.port}`, name: config.name, maxSessions: config.maxSessions });
runner.start().catch((e) => {
  log.error('the session template could not be built', { error: e.message });
  process.exit(1);
});

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  log.info('stopping', { signal });
  await runner.shutdown();
  runner.server.close();
  setTimeout(() => process.exit(0), 200).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
