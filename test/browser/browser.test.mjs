// wasmsh in headless Chromium: the example pages (examples/web, the Vite app
// built from examples/vite) loaded from a local static server, used as a
// person would use them. Screenshots go to build/browser-test/screenshots/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { OUT, launch, openPage, screenshot, startServers, typeCommand } from './harness.mjs';

describe('wasmsh in the browser (Chromium)', function () {
  this.timeout(240000);
  let browser;
  let servers;
  let page; // examples/web, Pyodide runtime, cross-origin isolated
  before(async () => {
    servers = await startServers();
    browser = await launch();
  });
  after(async () => {
    if (browser) await browser.close();
    if (servers) await servers.close();
  });

  describe('examples/web, Pyodide runtime, cross-origin isolated', () => {
    before(async () => {
      const other = `127.0.0.1:${servers.other.port}`;
      page = await openPage(browser.context, `${servers.web.url}?allow=${other}`);
    });

    it('loads, runs shell and Python commands', async () => {
      assert.match(await page.textContent('#status'), /ready \(pyodide, \d+ ms, cancel by interrupt\)/);
      const r = await typeCommand(page, "echo hi | tr a-z A-Z; python3 -c 'import sys; print(6*7, sys.version_info[:2])'");
      assert.equal(r.exit, 0);
      assert.match(r.text, /\nHI\n42 \(3, 13\)\n\[exit 0/);
      const p = await typeCommand(page, "printf 'b\\na\\n' | sort | python3 -c 'import sys; print(sys.stdin.read().split())'");
      assert.match(p.text, /\['a', 'b'\]/);
      await screenshot(page, '01-web-shell-and-python');
    });

    it('streams output while a command runs', async () => {
      const runs = Number(await page.evaluate(() => document.body.dataset.runs));
      await page.fill('#cmd', 'for i in 1 2 3 4 5 6; do echo "tick $i"; sleep 0.5; done; echo done-ticking');
      await page.press('#cmd', 'Enter');
      await page.waitForFunction(() => document.getElementById('output').textContent.includes('\ntick 2\n'), null, { timeout: 30000, polling: 50 });
      const midway = await page.evaluate(() => ({ busy: document.body.dataset.busy, text: document.getElementById('output').textContent }));
      assert.equal(midway.busy, '1');
      assert.ok(!/\ndone-ticking\n/.test(midway.text), 'the last line came before the command ended');
      await screenshot(page, '02-web-streaming');
      await page.waitForFunction((n) => Number(document.body.dataset.runs) > n, runs, { timeout: 60000, polling: 50 });
      assert.match(await page.textContent('#output'), /tick 6\ndone-ticking\n\[exit 0/);
    });

    it('cancel stops a runaway shell loop and a runaway Python loop', async () => {
      for (const cmd of ['while :; do :; done', "python3 -c 'while True: pass'"]) {
        const runs = Number(await page.evaluate(() => document.body.dataset.runs));
        await page.fill('#cmd', cmd);
        await page.press('#cmd', 'Enter');
        await page.waitForTimeout(700);
        assert.equal(await page.evaluate(() => document.body.dataset.busy), '1', `${cmd} should still be running`);
        const t0 = Date.now();
        await page.click('#cancel');
        await page.waitForFunction((n) => Number(document.body.dataset.runs) > n, runs, { timeout: 20000, polling: 50 });
        assert.ok(Date.now() - t0 < 10000);
        assert.equal(await page.evaluate(() => document.body.dataset.lastExit), '130');
      }
      assert.match(await page.textContent('#output'), /cancelled \(budget: cancel\)\n\[exit 130, cancel/);
      const after = await typeCommand(page, 'echo still-usable');
      assert.match(after.text, /still-usable/);
      await screenshot(page, '03-web-cancel');
    });

    it('uploads a file, lists it, and downloads what a command made', async () => {
      const up = path.join(OUT, 'upload-input.csv');
      fs.mkdirSync(OUT, { recursive: true });
      fs.writeFileSync(up, 'name,n\nb,2\na,1\n');
      await page.setInputFiles('#upload', up);
      await page.waitForSelector('#files li[data-name="upload-input.csv"]');
      const r = await typeCommand(page, "tail -n +2 upload-input.csv | sort > sorted.csv; python3 -c 'print(open(\"sorted.csv\").read().count(\"\\n\"))'");
      assert.match(r.text, /\n2\n/);
      await page.click('#files li[data-name="sorted.csv"]');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
      assert.equal(download.suggestedFilename(), 'sorted.csv');
      const saved = path.join(OUT, 'downloaded-sorted.csv');
      await download.saveAs(saved);
      assert.equal(fs.readFileSync(saved, 'utf8'), 'a,1\nb,2\n');
      await screenshot(page, '04-web-upload-download');
    });

    it('curl and wget go through the fetch broker: allowed, denied host, CORS error, redirect refused', async () => {
      const self = servers.web.url;
      const other = servers.other.url;
      const ok = await typeCommand(page, `curl -s ${self}api/hello; wget -q -O- ${other}api/hello`);
      assert.match(ok.text, /hello from the test server\nhello from the test server\n\[exit 0/);
      const denied = await typeCommand(page, 'curl -sS https://example.com/; echo "status $?"');
      assert.match(denied.text, /curl: \(7\) fetch https:\/\/example.com\/: host example.com is not in this session's allowedHosts/);
      assert.match(denied.text, /status 7/);
      const cors = await typeCommand(page, `curl -sS ${other}api/no-cors; echo "status $?"`);
      assert.match(cors.text, /blocked by CORS: 127.0.0.1:\d+ answered, but does not allow this page's origin/);
      const away = await typeCommand(page, `curl -sS '${self}api/redirect?to=http://localhost:${servers.other.port}/api/hello'; echo "status $?"`);
      assert.match(away.text, /redirected to http:\/\/localhost:\d+\/api\/hello, and host localhost:\d+ is not in this session's allowedHosts/);
      await screenshot(page, '05-web-fetch-broker');
    });
  });

  describe('examples/web without cross-origin isolation (cancel restarts the worker)', () => {
    let plain;
    before(async () => { plain = await openPage(browser.context, servers.webPlain.url); });
    after(() => plain && plain.close());

    it('cancel terminates and replaces the worker; files and the working directory come back', async () => {
      assert.match(await plain.textContent('#status'), /cancel by restart/);
      await typeCommand(plain, 'mkdir -p proj && cd proj && echo kept > note.txt; X=lost');
      const runs = Number(await plain.evaluate(() => document.body.dataset.runs));
      await plain.fill('#cmd', 'echo started; rm note.txt; while :; do :; done');
      await plain.press('#cmd', 'Enter');
      await plain.waitForFunction(() => document.getElementById('output').textContent.includes('started'), null, { timeout: 30000, polling: 50 });
      await plain.click('#cancel');
      await plain.waitForFunction((n) => Number(document.body.dataset.runs) > n, runs, { timeout: 30000, polling: 50 });
      assert.equal(await plain.evaluate(() => document.body.dataset.lastExit), '130');
      const r = await typeCommand(plain, 'pwd; cat note.txt; echo "X=[$X]"', { timeout: 120000 });
      assert.match(r.text, /\/workspace\/proj\nkept\nX=\[\]\n\[exit 0/);
      await screenshot(plain, '06-web-restart-cancel');
    });
  });

  describe('the standalone runtime (no Pyodide)', () => {
    it('loads in well under a second, runs the shell, says python3 is not available', async () => {
      const p = await openPage(browser.context, `${servers.web.url}?runtime=standalone`);
      const ready = await p.evaluate(() => window.__wasmsh.readyMs);
      assert.ok(ready < 1000, `ready in ${ready} ms`);
      const r = await typeCommand(p, "seq 3 | tr '\\n' +; echo; python3 -c 'print(1)'; echo \"status $?\"");
      assert.match(r.text, /1\+2\+3\+\n/);
      assert.match(r.text, /python3: not available in the standalone build of wasmsh \(no Pyodide\)/);
      assert.match(r.text, /status 127/);
      await screenshot(p, '07-standalone');
      await p.close();
    });
  });

  describe('Python alongside: attach to the page\'s own Pyodide', () => {
    it('the page\'s Python and the shell share one filesystem', async () => {
      const p = await openPage(browser.context, `${servers.web.url}alongside.html`);
      await p.click('#py-form button');
      await p.click('#sh-form button');
      await p.waitForFunction(() => document.getElementById('output').textContent.includes('[exit 0]'), null, { timeout: 30000, polling: 50 });
      assert.match(await p.textContent('#output'), /WRITTEN BY THE PAGE'S PYTHON/);
      const back = await p.evaluate(() => window.__alongside.pyodide.runPython("open('from_shell.txt').read()"));
      assert.equal(back, 'from the shell\n');
      const shared = await p.evaluate(async () => {
        const { shell, pyodide } = window.__alongside;
        const r = await shell.run("python3 -c 'import os; print(os.getcwd())'; cd /tmp; pwd");
        return [r.stdout, pyodide.runPython('import os; os.getcwd()')];
      });
      assert.deepEqual(shared, ['/home/pyodide\n/tmp\n', '/tmp']);
      await screenshot(p, '08-alongside');
      await p.close();
    });
  });

  describe('examples/vite, built with vite build', () => {
    it('the same terminal works from the bundled app', async () => {
      const p = await openPage(browser.context, servers.vite.url);
      const r = await typeCommand(p, "echo vite | rev; python3 -c 'print(sum(range(10)))'; ls /");
      assert.match(r.text, /etiv\n45\n/);
      const up = path.join(OUT, 'vite-upload.txt');
      fs.writeFileSync(up, 'uploaded through vite\n');
      await p.setInputFiles('#upload', up);
      await p.waitForSelector('#files li[data-name="vite-upload.txt"]');
      assert.match((await typeCommand(p, 'wc -c < vite-upload.txt')).text, /\n22\n/);
      await screenshot(p, '09-vite');
      await p.close();
    });
  });
});
