// pip through micropip: local wheels offline, index access through the broker.
import assert from 'node:assert/strict';

import { createSession, makeWheel } from './helpers.mjs';

describe('pip', function () {
  this.timeout(120000);
  let s;
  before(async () => {
    s = await createSession();
    await makeWheel(s, 'alpha', '1.0');
    await makeWheel(s, 'alpha', '2.0');
    await makeWheel(s, 'beta', '2.0', { deps: ['alpha'] });
    await makeWheel(s, 'native', '1.0', { native: true });
  });
  after(() => s && s.close());

  it('installs a local wheel offline and the package imports', async () => {
    const r = await s.run("pip install ./alpha-1.0-py3-none-any.whl && python3 -c 'import alpha; print(alpha.VERSION)'");
    assert.equal(r.exitCode, 0, r.stderr);
    assert.equal(r.stdout, 'Successfully installed alpha-1.0\n1.0\n');
  });

  it('list, freeze and show', async () => {
    const r = await s.run('pip list; pip freeze; pip show alpha');
    assert.match(r.stdout, /^Package +Version\n-+ -+\nalpha +1\.0\nmicropip +0\.11\.1\npackaging +26\.2\n/);
    assert.match(r.stdout, /\nalpha==1\.0\nName: alpha\nVersion: 1\.0\nSummary: test package alpha\n/);
    assert.match(r.stdout, /Location: \/lib\/python3\.13\/site-packages\n/);
  });

  it('--upgrade replaces the installed version; the new one imports', async () => {
    const r = await s.run("pip install -q --upgrade alpha-2.0-py3-none-any.whl; pip freeze; python3 -c 'import alpha; print(alpha.VERSION)'");
    assert.equal(r.stdout, 'alpha==2.0\n2.0\n', r.stderr);
  });

  it('--no-deps, -r requirements.txt, python3 -m pip and pip3, inside a script', async () => {
    const r = await s.run(`
printf '# deps\\nbeta-2.0-py3-none-any.whl\\n' > requirements.txt
if python3 -m pip install -q --no-deps -r requirements.txt; then echo installed; fi
pip3 list --format=freeze | sort`);
    assert.equal(r.stdout, 'installed\nalpha==2.0\nbeta==2.0\nmicropip==0.11.1\npackaging==26.2\n', r.stderr);
  });

  it('uninstall -y removes the files; import then fails', async () => {
    const r = await s.run("pip uninstall -y alpha beta; pip freeze; python3 -c 'import alpha' 2>&1 | tail -n 1");
    assert.equal(r.stdout, [
      'Found existing installation: alpha 2.0', 'Uninstalling alpha-2.0:', '  Successfully uninstalled alpha-2.0',
      'Found existing installation: beta 2.0', 'Uninstalling beta-2.0:', '  Successfully uninstalled beta-2.0',
      "ModuleNotFoundError: No module named 'alpha'", ''].join('\n'));
    const r2 = await s.run('pip uninstall -y nothere; echo $?');
    assert.equal(r2.stdout, '0\n');
    assert.equal(r2.stderr, 'WARNING: Skipping nothere as it is not installed.\n');
  });

  it('resolves dependencies among local wheels', async () => {
    const r = await s.run('pip install -q ./alpha-1.0-py3-none-any.whl ./beta-2.0-py3-none-any.whl; pip freeze');
    assert.equal(r.stdout, 'alpha==1.0\nbeta==2.0\n', r.stderr);
    await s.run('pip uninstall -y -q alpha beta');
  });

  it('a wheel with a C extension fails with a clear message', async () => {
    const r = await s.run('pip install ./native-1.0-py3-none-any.whl; echo $?');
    assert.equal(r.stdout, '1\n');
    assert.match(r.stderr, /^ERROR: native-1\.0-py3-none-any\.whl contains a C extension \(native\/_speedups\.so\): wasmsh installs pure-Python wheels only\n$/);
  });

  it('an index download from a host that is not allowed fails clearly', async () => {
    const r = await s.run('pip install "six>=1.16"; echo $?');
    assert.equal(r.stdout, '1\n');
    assert.match(r.stderr, /host pypi\.org is not in this session's allowedHosts/);
  });

  it('bad usage', async () => {
    const r = await s.run('pip install; echo $?; pip frobnicate; echo $?; pip install ./missing.whl; echo $?');
    assert.equal(r.stdout, '1\n1\n1\n');
    assert.match(r.stderr, /You must give at least one requirement/);
    assert.match(r.stderr, /unknown command "frobnicate"/);
  });
});
