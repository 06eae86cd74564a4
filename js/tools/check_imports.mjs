#!/usr/bin/env node
// check_imports.mjs SIDE.so MAIN.wasm - every import of the side module must
// be provided by Pyodide's main module with the same signature.
//
// Emscripten binds a side module's imports lazily: an import the main module
// does not have is only a fatal error at its first call, so this check is the
// only way to know before a user hits it. A function import is satisfied by an
// export of the main module or by one of the main module's own JS-provided
// imports (Emscripten's JS library), with an identical type; GOT.mem/GOT.func
// entries name symbols that must be exported by either module; memory, the
// table and the dylink globals are provided by the loader.
//
// Needs the wasm type reflection of V8: the script re-runs itself with
// --experimental-wasm-type-reflection when it is missing.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';

const FLAG = '--experimental-wasm-type-reflection';
if (!process.execArgv.includes(FLAG)) {
  const r = spawnSync(process.execPath, [FLAG, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const [sidePath, mainPath] = process.argv.slice(2);
if (!sidePath || !mainPath) {
  console.error('usage: check_imports.mjs SIDE.so MAIN.wasm');
  process.exit(2);
}
const side = new WebAssembly.Module(fs.readFileSync(sidePath));
const main = new WebAssembly.Module(fs.readFileSync(mainPath));

const sig = (t) => (t ? `(${t.parameters.join(',')})->(${t.results.join(',')})` : '?');
const provided = new Map(); // name -> signature string (functions) or kind
for (const e of WebAssembly.Module.exports(main)) {
  provided.set(e.name, e.kind === 'function' ? sig(e.type) : e.kind);
}
for (const i of WebAssembly.Module.imports(main)) {
  if (i.module === 'env' && i.kind === 'function' && !provided.has(i.name)) provided.set(i.name, sig(i.type));
}
const sideExports = new Set(WebAssembly.Module.exports(side).map((e) => e.name));
const loaderProvided = new Set(['memory', '__indirect_function_table', '__stack_pointer', '__memory_base',
  '__table_base', '__heap_base']);

const problems = [];
let checked = 0;
for (const i of WebAssembly.Module.imports(side)) {
  checked++;
  if (i.module === 'GOT.mem' || i.module === 'GOT.func') {
    if (!provided.has(i.name) && !sideExports.has(i.name)) problems.push(`${i.module}.${i.name}: no such symbol`);
    continue;
  }
  if (loaderProvided.has(i.name)) continue;
  if (i.kind !== 'function') {
    if (!provided.has(i.name)) problems.push(`${i.module}.${i.name} (${i.kind}): not provided`);
    continue;
  }
  const want = sig(i.type);
  const have = provided.get(i.name);
  if (have === undefined) problems.push(`${i.name}${want}: not exported by the main module`);
  else if (have !== want) problems.push(`${i.name}: side module wants ${want}, main module has ${have}`);
}
for (const p of problems) console.log(`  ${p}`);
console.log(`check-pyodide-imports: ${checked - problems.length} passed, ${problems.length} failed`);
process.exit(problems.length ? 1 : 0);
