// Issue 20: the first visit loads the lite module (no node labs, kubectl, /registry sample, etcd
// 3.5 or node shell: pipes, redirections, grep, jq, ls...); the first use of any of them hands
// the page over to the full module, which runs the line again on what was stored. Checked in
// Chromium: the files each step fetches, that nothing typed before the hand-over is lost, and
// that the line's answer is the full module's.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, newProfile, launch, consoleReady, run, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const moduleOf = (page) => page.evaluate(() => window.__etcdplayModule);

/** A fresh profile's page, with the paths it fetches from the server collected in `fetched`. */
async function fresh(errors, fetched) {
  const context = await launch(newProfile(), errors);
  const page = context.pages()[0] ?? await context.newPage();
  const origin = new URL(server.url).origin;
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.origin === origin) fetched.push(url.pathname);
  });
  await page.goto(server.url);
  await consoleReady(page);
  return { context, page };
}

const full = (paths) => paths.filter((p) => p.includes('web_full'));

test('kubectl on first use: the full module loads, runs the line, and nothing typed before is lost', { timeout: 180000 }, async () => {
  const errors = [];
  const fetched = [];
  const { context, page } = await fresh(errors, fetched);
  try {
    assert.equal(await moduleOf(page), 'lite');
    assert.deepEqual(full(fetched), [], 'the first visit fetches nothing of the full module');
    assert.match(await run(page, 'etcdctl put before-kubectl 1'), /OK/);
    assert.match(await run(page, 'etcdctl put second 2'), /OK/);

    const out = await run(page, 'kubectl get ns');
    assert.equal(await moduleOf(page), 'full');
    assert.deepEqual(full(fetched).map((p) => p.replace(/-[0-9a-f]{16}/, '')).sort(),
      ['/web_full.js', '/web_full_bg.wasm'], 'the full module was fetched once');
    assert.match(out, /kubectl get ns/);
    assert.match(out, /connection to the server localhost:8080 was refused/);
    // the console still shows what ran before, above the line
    const shown = await page.locator('[data-testid="console-entry"]').allInnerTexts();
    const at = (head) => shown.findIndex((t) => t.startsWith(head));
    assert.ok(at('$ etcdctl put before-kubectl 1') >= 0 && /\nOK/.test(shown[at('$ etcdctl put before-kubectl 1')]), shown.join('\n---\n'));
    assert.ok(at('$ etcdctl put second 2') > at('$ etcdctl put before-kubectl 1'));
    assert.ok(at('$ kubectl get ns') > at('$ etcdctl put second 2'));
    await screenshot(page, 'lazy-kubectl.png');

    // what ran in the lite module was stored and restored here
    assert.match(await run(page, 'etcdctl get before-kubectl --print-value-only'), /\n1/);
    assert.match(await run(page, 'etcdctl get second --print-value-only'), /\n2/);
    // the line ran once: its input is in the history once
    await page.locator('[data-testid="console-input"]').focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.locator('[data-testid="console-input"]').inputValue(), 'kubectl get ns');

    // from now on this browser opens the full module
    fetched.length = 0;
    await page.reload();
    await consoleReady(page);
    assert.equal(await moduleOf(page), 'full');
    assert.match(await run(page, 'load k8s'), /loaded the small Kubernetes sample: 341 keys/);
    assert.match(await run(page, 'kubectl get ns'), /kube-system\s+Active/);
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);
});

test('a paste with `load k8s` in it is handed over whole: every line runs once, in order', { timeout: 180000 }, async () => {
  const errors = [];
  const { context, page } = await fresh(errors, []);
  try {
    assert.match(await run(page, 'etcdctl put x 1'), /OK/);
    const out = await run(page, 'etcdctl put y 2 && load k8s');
    assert.equal(await moduleOf(page), 'full');
    assert.match(out, /OK\nloaded the small Kubernetes sample: 341 keys/);
    // revisions: x=2, y=3 (once: the lite module kept nothing of the line), then 341 keys
    assert.match(await run(page, 'etcdctl get y -w fields | grep ModRevision'), /"ModRevision" : 3\n/);
    assert.match(await run(page, 'etcdctl get x --print-value-only'), /\n1/);
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);
});

test('a shell line on first use (a pipe) is handed over: the full module runs it once, and the shell stays', { timeout: 180000 }, async () => {
  const errors = [];
  const fetched = [];
  const { context, page } = await fresh(errors, fetched);
  try {
    assert.equal(await moduleOf(page), 'lite');
    assert.match(await run(page, 'etcdctl put k v1'), /OK/);
    const out = await run(page, "etcdctl put k v2 && etcdctl get k -w json | jq -r '.kvs[0].value | @base64d'");
    assert.equal(await moduleOf(page), 'full');
    assert.equal(full(fetched).length, 2, 'the full module was fetched once');
    assert.match(out, /OK\nv2\n?$/);
    // the line ran once: k is at its second version
    assert.match(await run(page, 'etcdctl get k -w fields | grep \'"Version"\''), /"Version" : 2\n/);
    assert.match(await run(page, 'etcdctl get k --print-value-only > k.txt && cat k.txt'), /\nv2\n?$/);
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);
});

test('the kubeadm lab chosen on the first visit opens in the full module', { timeout: 180000 }, async () => {
  const errors = [];
  const { context, page } = await fresh(errors, []);
  try {
    assert.equal(await moduleOf(page), 'lite');
    await page.locator('[data-testid="lab-select"]').selectOption('kubeadm');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="console-entry"]')]
      .some((e) => e.innerText.startsWith('$ lab kubeadm')), null, { timeout: 60000 });
    await consoleReady(page);
    assert.equal(await moduleOf(page), 'full');
    assert.equal(await page.locator('[data-testid="console-prompt"]').innerText(), 'root@controlplane:~#');
    assert.equal(await page.locator('[data-testid="lab-select"]').inputValue(), 'kubeadm');
    assert.match(await run(page, 'ls /etc/kubernetes/manifests'), /etcd\.yaml/);
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);
});
