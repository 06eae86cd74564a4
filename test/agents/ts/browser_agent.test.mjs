// browser_agent.test.mjs - examples/browser-agent in headless Chromium (the
// Vite build in build/browser/agent-dist, made by make test-agents-ts): the
// page starts a WasmshSandbox (Pyodide and the shell in a Web Worker), runs a
// createDeepAgent agent with the scripted model, and shows each tool's
// result and the answer. Skipped without Debian's chromium, except in CI.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { CHROMIUM, ROOT, launch, openPage, screenshot } from '../../browser/harness.mjs';
import { startServer } from '../../browser/server.mjs';

const DIST = path.join(ROOT, 'build', 'browser', 'agent-dist');

describe('examples/browser-agent in Chromium', function () {
  this.timeout(240000);
  let browser;
  let server;
  before(function () {
    if (!fs.existsSync(CHROMIUM) && !process.env.CI) this.skip();
  });
  before(async () => {
    assert.ok(fs.existsSync(path.join(DIST, 'index.html')), `${DIST} is not built (make test-agents-ts builds it)`);
    server = await startServer({ root: DIST });
    browser = await launch();
  });
  after(async () => {
    if (browser) await browser.close();
    if (server) await new Promise((r) => server.server.close(r));
  });

  it('runs the agent in the page: every tool works and the answer comes from python3', async () => {
    const page = await openPage(browser.context, server.url);
    assert.match(await page.textContent('#status'), /^ready \(sandbox wasmsh-[0-9a-f]{12}, \d+ ms\)$/);
    await page.click('#go');
    await page.waitForFunction(() => document.body.dataset.done, null, { timeout: 120000, polling: 100 });
    await screenshot(page, 'agent-01-browser-agent');
    assert.equal(await page.evaluate(() => document.body.dataset.done), '1', await page.textContent('#answer'));
    const steps = await page.$$eval('#steps li', (lis) => lis.map((li) => ({ tool: li.dataset.tool, out: li.querySelector('pre').textContent })));
    assert.deepEqual(steps.map((s) => s.tool), ['ls', 'read_file', 'execute', 'write_file', 'execute', 'grep']);
    assert.match(steps[0].out, /\/workspace\/poem\.txt/);
    assert.match(steps[1].out, /the wind on the sea/);
    assert.match(steps[2].out, /^\s+4 the\n\s+3 sea\n\s+2 sky\n/);
    assert.match(steps[5].out, /poem\.txt/);
    assert.equal(await page.textContent('#answer'), "Python says: 14 [('the', 4), ('sea', 3), ('sky', 2)]");
    assert.deepEqual(page.problems, []);
  });
});
