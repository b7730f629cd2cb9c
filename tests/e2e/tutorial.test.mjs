// The tutorial as pasted: the multi-line `docker run` block (with `\` continuations) is one
// command that explains itself and changes nothing; the `docker exec ... etcdctl` lines that
// follow run against the page's cluster. Then kubectl over /registry: load the sample, list
// the kube-system pods with the etcd request shown, delete a pod and see its key leave the tree.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, newProfile, launch, consoleReady, run, paste, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const node = (key) => `[data-testid="keyspace-tree"] [data-testid="tree-node"][data-key="${key}"]`;

// The release page's block (etcd v3.4.33, "Docker" section), as people paste it.
const DOCKER_RUN_BLOCK = `docker run \\
  -p 2379:2379 \\
  -p 2380:2380 \\
  --mount type=bind,source=/tmp/etcd-data.tmp,destination=/etcd-data \\
  --name etcd-gcr-v3.4.33 \\
  gcr.io/etcd-development/etcd:v3.4.33 \\
  /usr/local/bin/etcd \\
  --name s1 \\
  --data-dir /etcd-data \\
  --listen-client-urls http://0.0.0.0:2379 \\
  --advertise-client-urls http://0.0.0.0:2379 \\
  --listen-peer-urls http://0.0.0.0:2380 \\
  --initial-advertise-peer-urls http://0.0.0.0:2380 \\
  --initial-cluster s1=http://0.0.0.0:2380 \\
  --initial-cluster-token tkn \\
  --initial-cluster-state new \\
  --log-level info \\
  --logger zap \\
  --log-outputs stderr`;

const entries = (page) => page.locator('[data-testid="console-entry"]');

test('the tutorial pasted: docker run block, docker exec etcdctl, kubectl over /registry', async () => {
  const errors = [];
  const context = await launch(newProfile(), errors);
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(server.url);
    await consoleReady(page);

    // One paste: the docker run block (one command over 19 lines) and two docker exec lines.
    const block = `${DOCKER_RUN_BLOCK}\n`
      + 'docker exec etcd-gcr-v3.4.33 /usr/local/bin/etcdctl put foo bar\n'
      + 'docker exec etcd-gcr-v3.4.33 /usr/local/bin/etcdctl get foo\n';
    await paste(page, block);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="console-entry"]').length >= 3);
    assert.equal(await entries(page).count(), 3, 'three commands, one entry each');
    const runEntry = await entries(page).nth(0).innerText();
    assert.match(runEntry, /^\$ docker run \\\n>\s+-p 2379:2379 \\\n/, 'continuation lines shown with "> "');
    assert.match(runEntry, /--log-outputs stderr\n/);
    assert.match(runEntry, /docker run: nothing was started and nothing changed\./);
    assert.match(runEntry, /plays the container named etcd-gcr-v3\.4\.33/);
    assert.match(runEntry, /127\.0\.0\.1:2379/);
    assert.match(await entries(page).nth(1).innerText(), /\nOK\n?$/);
    assert.match(await entries(page).nth(2).innerText(), /\nfoo\nbar\n?$/);
    assert.equal(await page.locator('[data-testid="console-input"]').inputValue(), '');
    await screenshot(page, 'tutorial-paste.png');

    // Typed with a trailing `\`: Enter continues the command instead of running it.
    const input = page.locator('[data-testid="console-input"]');
    await input.fill('docker exec etcd-gcr-v3.4.33 \\');
    await page.keyboard.press('Enter');
    assert.equal(await entries(page).count(), 3);
    assert.match(await page.locator('[data-testid="console-pending"]').innerText(), /docker exec etcd-gcr-v3\.4\.33 \\/);
    assert.match(await run(page, '/usr/local/bin/etcd --version'), /etcd Version: 3\.4\.23\nGit SHA: Not provided \(use \.\/build instead of go build\)\nGo Version: go1\.19\.8\nGo OS\/Arch: linux\/amd64/);
    assert.equal(await page.locator('[data-testid="console-pending"]').count(), 0);

    // A paste that ends mid-line leaves that line in the input.
    await paste(page, 'etcdctl put tutorial yes\netcdctl get tut');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="console-entry"]').length >= 5);
    assert.equal(await input.inputValue(), 'etcdctl get tut');
    await input.fill('');

    // kubectl without a cluster: kubectl's own text, and a hint to load the sample.
    const refused = await run(page, 'kubectl get pods -n kube-system');
    assert.match(refused, /The connection to the server localhost:8080 was refused - did you specify the right host or port\?/);
    assert.match(refused, /load k8s/);

    // The sample, then the pods of kube-system with the etcd request under them.
    assert.match(await run(page, 'load k8s'), /loaded the small Kubernetes sample/);
    await page.locator('[data-testid="show-requests"]').check();
    await page.waitForFunction(() => document.querySelector('[data-testid="show-requests"]')?.checked === true);
    const pods = await run(page, 'kubectl get pods -n kube-system');
    assert.match(pods, /NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    // the page's seed names the pods; take the first kube-proxy pod and one of its siblings
    const proxies = [...pods.matchAll(/^(kube-proxy-[a-z0-9]+)\s+1\/1\s+Running\s+0\s+\d+d$/gm)].map((m) => m[1]);
    assert.ok(proxies.length >= 2, pods);
    const [pod, sibling] = proxies;
    const request = await entries(page).last().locator('[data-testid="etcd-request"]').first().innerText();
    assert.match(request, /Range key="\/registry\/pods\/kube-system\/" range_end="\/registry\/pods\/kube-system0" limit=500 revision=0 -> 9 keys at revision \d+/);

    // The tree shows the pod's key; kubectl deletes it (an etcd txn) and it leaves the tree.
    const key = `/registry/pods/kube-system/${pod}`;
    await page.waitForSelector(node('/'));
    for (const f of ['/', '/registry/', '/registry/pods/', '/registry/pods/kube-system/']) {
      await page.waitForSelector(node(f));
      if (await page.locator(node(f)).getAttribute('aria-expanded') !== 'true') await page.click(node(f));
    }
    await page.waitForSelector(node(key));
    await screenshot(page, 'tutorial-kubectl-before-delete.png');
    const deleted = await run(page, `kubectl delete pod ${pod} -n kube-system`);
    assert.match(deleted, new RegExp(`pod "${pod}" deleted`));
    assert.match(await entries(page).last().innerText(), /Txn key="\/registry\/pods\/kube-system\/kube-proxy-[a-z0-9]+" if mod_revision\(key\) == \d+ then DeleteRange else Range -> succeeded/);
    await page.waitForFunction((sel) => !document.querySelector(sel), node(key));
    assert.equal(await page.locator(node(key)).count(), 0, 'the deleted pod left the tree');
    assert.ok(await page.locator(node(`/registry/pods/kube-system/${sibling}`)).count() === 1, 'its siblings stay');
    assert.equal((await run(page, `etcdctl get ${key}`)).trim(), `$ etcdctl get ${key}`);
    await screenshot(page, 'tutorial-kubectl-deleted.png');

    // The old kubectl exec form, with the tutorial's one-dash flag: etcdctl's own answer.
    const exec = await run(page, 'kubectl exec etcd-master -n kube-system etcdctl get --prefix -keys-only');
    assert.match(exec, /Error: unknown shorthand flag: 'k' in -keys-only/);
    assert.match(exec, /--keys-only/);

    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
