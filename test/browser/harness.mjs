// harness.mjs - what the browser suites share: Debian's Chromium driven by
// playwright-core, the static servers, page helpers, screenshots.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startServer } from './server.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUT = path.join(ROOT, 'build', 'browser-test');
export const SHOTS = path.join(OUT, 'screenshots');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const LOAD_TIMEOUT = 180000;

let chromium = null;

export async function launch() {
  ({ chromium } = await import('playwright-core'));
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wasmsh-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, acceptDownloads: true,
    viewport: { width: 1100, height: 700 },
  });
  return { context, close: async () => { await context.close(); fs.rmSync(userDataDir, { recursive: true, force: true }); } };
}

/** The servers of the suite: the two examples with and without isolation, another origin for CORS. */
export async function startServers() {
  const web = path.join(ROOT, 'examples', 'web');
  const servers = {
    web: await startServer({ root: web }),
    webPlain: await startServer({ root: web, isolation: false }),
    other: await startServer({ root: web, host: '127.0.0.1' }),
    vite: await startServer({ root: path.join(ROOT, 'build', 'browser', 'vite-dist') }),
  };
  servers.close = () => Promise.all(Object.values(servers).filter((s) => s.server).map((s) => new Promise((r) => s.server.close(r))));
  return servers;
}

/** Opens a page and waits for the example's status line to say ready (or failed). */
export async function openPage(context, url, { readyTimeout = LOAD_TIMEOUT } = {}) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => {
    const s = document.getElementById('status');
    return s && s.dataset.state !== 'loading';
  }, null, { timeout: readyTimeout, polling: 100 });
  const state = await page.getAttribute('#status', 'data-state');
  if (state !== 'ready') throw new Error(`${url}: ${await page.textContent('#status')}\n${problems.join('\n')}`);
  page.wasmshLoadMs = Date.now() - t0;
  page.problems = problems;
  return page;
}

/** Types a command into the example's prompt and waits for it to finish; returns what it printed. */
export async function typeCommand(page, cmd, { timeout = 60000 } = {}) {
  const runs = Number(await page.evaluate(() => document.body.dataset.runs || '0'));
  const before = (await page.textContent('#output')).length;
  await page.fill('#cmd', cmd);
  await page.press('#cmd', 'Enter');
  await page.waitForFunction((n) => Number(document.body.dataset.runs || '0') > n, runs, { timeout, polling: 50 });
  const text = (await page.textContent('#output')).slice(before);
  const exit = Number(await page.evaluate(() => document.body.dataset.lastExit));
  return { text, exit };
}

export async function screenshot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
