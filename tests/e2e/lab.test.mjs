// Issue 15 in the page: the lab selector, the kubeadm lab's CKA backup-and-restore flow with the
// manifest edited in the page's editor, the lab surviving a reload, and switching labs losing
// nothing. Screenshots of the selector and the editor on a desktop and at 390 px.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, newProfile, launch, consoleReady, run, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const TLS = '--endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt '
  + '--cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key';
const MANIFEST = '/etc/kubernetes/manifests/etcd.yaml';

const prompt = (page) => page.locator('[data-testid="console-prompt"]').innerText();

/** Chooses a lab in the title bar and waits until its console takes input. */
async function choose(page, name) {
  await page.locator('[data-testid="lab-select"]').selectOption(name);
  await consoleReady(page);
  await page.waitForFunction((n) => [...document.querySelectorAll('[data-testid="console-entry"]')]
    .some((e) => e.innerText.startsWith(`$ lab ${n}`)), name);
}

test('the kubeadm lab: backup, a later write, restore, the manifest edited in the page, read back', async () => {
  const profile = newProfile();
  const errors = [];
  let context = await launch(profile, errors);
  try {
    let page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url);
    await consoleReady(page);
    assert.equal(await page.locator('[data-testid="lab-select"]').inputValue(), 'local');
    assert.equal(await page.locator('[data-testid="lab-option-kubeadm"]').count(), 1);
    assert.match(await run(page, 'etcdctl put foo local-value'), /OK/);
    assert.match(await run(page, 'lab'), /\* local/);

    // The selector switches to the kubeadm lab (as `lab kubeadm` does).
    await choose(page, 'kubeadm');
    assert.equal(await prompt(page), 'root@controlplane:~#');
    assert.equal(await page.locator('[data-testid="lab-select"]').inputValue(), 'kubeadm');
    await screenshot(page, 'lab-kubeadm.png');

    // Without the certificates etcd refuses, as a TLS-only etcd does.
    assert.match(await run(page, 'etcdctl --command-timeout=1s get foo'), /context deadline exceeded/);
    assert.match(await run(page, `etcdctl ${TLS} put before-backup yes`), /\nOK/);
    assert.match(await run(page, `etcdctl ${TLS} snapshot save /opt/snapshot-pre-boot.db`),
      /Snapshot saved at \/opt\/snapshot-pre-boot\.db/);
    assert.match(await run(page, `etcdctl ${TLS} put after-backup yes`), /\nOK/);
    const restored = await run(page, 'etcdctl snapshot restore /opt/snapshot-pre-boot.db --data-dir /var/lib/etcd-from-backup');
    assert.doesNotMatch(restored, /Error/);

    // Esc cancels the editor and changes nothing.
    await run(page, `vi ${MANIFEST}`);
    await page.waitForSelector('[data-testid="editor"]');
    assert.equal(await page.locator('[data-testid="editor-path"]').innerText(), MANIFEST);
    assert.equal(await page.locator('[data-testid="console-input"]').isDisabled(), true);
    await page.locator('[data-testid="editor-text"]').fill('broken: [');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid="editor"]', { state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.testid), 'console-input');
    const unchanged = await run(page, `grep etcd-data ${MANIFEST}`);
    assert.match(unchanged, /name: etcd-data/);
    assert.doesNotMatch(unchanged, /broken/);

    // vi opens the editor; the etcd-data hostPath is changed there and Ctrl+S saves.
    await run(page, `vi ${MANIFEST}`);
    const area = page.locator('[data-testid="editor-text"]');
    await area.waitFor();
    const text = await area.inputValue();
    assert.match(text, /^\s+path: \/var\/lib\/etcd$/m);
    await screenshot(page, 'lab-editor.png');
    await area.fill(text.replace(/^(\s+)path: \/var\/lib\/etcd$/m, '$1path: /var/lib/etcd-from-backup'));
    const entries = await page.locator('[data-testid="console-entry"]').count();
    await page.keyboard.press('Control+s');
    await page.waitForSelector('[data-testid="editor"]', { state: 'detached' });
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="console-entry"]').length > n, entries);
    assert.match(await page.locator('[data-testid="console-entry"]').last().innerText(),
      /saved in the editor: \/etc\/kubernetes\/manifests\/etcd\.yaml\n"\/etc\/kubernetes\/manifests\/etcd\.yaml" \d+L, \d+B written/);
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.testid), 'console-input');
    assert.match(await run(page, `grep etcd-from-backup ${MANIFEST}`), /path: \/var\/lib\/etcd-from-backup/);

    // kubelet restarts etcd on the restored directory: the write after the backup is gone.
    await run(page, 'advance 30s');
    assert.match(await run(page, `etcdctl ${TLS} get before-backup --print-value-only`), /\nyes\s*$/);
    assert.match(await run(page, `etcdctl ${TLS} get after-backup --print-value-only`), /^\$ [^\n]*\s*$/);

    // A reload comes back in the kubeadm lab, with its files.
    await page.reload();
    await consoleReady(page);
    assert.equal(await page.locator('[data-testid="lab-select"]').inputValue(), 'kubeadm');
    assert.match(await prompt(page), /^root@controlplane:.*#$/);
    assert.match(await run(page, 'ls /opt'), /snapshot-pre-boot\.db/);
    assert.match(await run(page, `grep etcd-from-backup ${MANIFEST}`), /etcd-from-backup/);
    assert.match(await run(page, `etcdctl ${TLS} get before-backup --print-value-only`), /\nyes\s*$/);

    // Switching to local and back loses nothing on either side.
    await choose(page, 'local');
    assert.equal(await prompt(page), '$');
    assert.match(await run(page, 'etcdctl get foo --print-value-only'), /\nlocal-value\s*$/);
    await choose(page, 'kubeadm');
    assert.match(await run(page, 'ls /opt'), /snapshot-pre-boot\.db/);
    assert.match(await run(page, `etcdctl ${TLS} get after-backup --print-value-only`), /^\$ [^\n]*\s*$/);

    // At 390 px: the selector and the editor fit.
    await page.setViewportSize({ width: 390, height: 800 });
    await screenshot(page, 'lab-narrow.png');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `the page is ${wide} px wide at 390 px`);
    await run(page, `vi ${MANIFEST}`);
    await page.waitForSelector('[data-testid="editor"]');
    await screenshot(page, 'lab-editor-narrow.png');
    await page.click('[data-testid="editor-cancel"]');
    await page.waitForSelector('[data-testid="editor"]', { state: 'detached' });
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);
});

test('the external-etcd lab: ssh to etcd-server, its systemd unit, a reload keeps the session', async () => {
  const profile = newProfile();
  const errors = [];
  const context = await launch(profile, errors);
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url);
    await consoleReady(page);
    assert.equal(await page.locator('[data-testid="lab-option-external-etcd"]').count(), 1);
    await choose(page, 'external-etcd');
    assert.equal(await prompt(page), 'root@controlplane:~#');
    assert.match(await run(page, 'ssh etcd-sever'), /ssh: Could not resolve hostname etcd-sever: Name or service not known/);
    await run(page, 'ssh etcd-server');
    assert.equal(await prompt(page), 'root@etcd-server:~#');
    const status = await run(page, 'systemctl status etcd');
    assert.match(status, /● etcd\.service - etcd/);
    assert.match(status, /Active: active \(running\)/);
    await screenshot(page, 'lab-external-etcd.png');
    await page.reload();
    await consoleReady(page);
    assert.equal(await page.locator('[data-testid="lab-select"]').inputValue(), 'external-etcd');
    assert.equal(await prompt(page), 'root@etcd-server:~#');
    assert.match(await run(page, 'systemctl is-active etcd'), /\nactive\s*$/);
    assert.match(await run(page, 'exit'), /Connection to etcd-server closed\./);
    assert.equal(await prompt(page), 'root@controlplane:~#');
    assert.match(await run(page, 'kubectl get deploy'), /nginx/);
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);
});
