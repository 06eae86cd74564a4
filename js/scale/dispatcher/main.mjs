#!/usr/bin/env node
// main.mjs - the dispatcher service: `node js/scale/dispatcher/main.mjs [--name=value...]`
// (settings: WASMSH_* variables or --flags, docs/scalable.md). SIGTERM stops
// taking connections and lets requests in progress finish.
import fs from 'node:fs';

import { makeLogger, readConfig, readSecret } from '../http.mjs';
import { DISPATCHER_SETTINGS, Dispatcher } from './dispatcher.mjs';

let config;
let dispatcher;
try {
  config = readConfig(DISPATCHER_SETTINGS);
  config.runnerToken = readSecret(config, 'runnerToken');
  if (config.tokensFile) {
    config.tokens = [...config.tokens, ...fs.readFileSync(config.tokensFile, 'utf8').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'))];
  }
  dispatcher = new Dispatcher(config, makeLogger('dispatcher', config.logLevel));
} catch (e) {
  process.stderr.write(`wasmsh-dispatcher: ${e.message}\n`);
  process.exit(2);
}
const log = dispatcher.log;
const addr = await dispatcher.start();
log.info('listening', { address: `${addr.address}:${addr.port}`, runners: dispatcher.discovery.runners.size });

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  log.info('stopping', { signal });
  await dispatcher.stop();
  setTimeout(() => process.exit(0), 100).unref();
}
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
