// Kubernetes in the keyspace: the /registry layout picture (treemap by resource type; a click
// opens that folder in the tree) and a /registry key decoded as the object it holds, with its
// owner as a link to the owner's key.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, withPage, run, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const node = (key) => `[data-testid="keyspace-tree"] [data-testid="tree-node"][data-key="${key}"]`;

const obj = (kind, apiVersion, ns, name, owner) => JSON.stringify({
  kind, apiVersion,
  metadata: {
    name, namespace: ns, uid: `uid-${name}`,
    ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner[0], name: owner[1], uid: `uid-${owner[1]}`, controller: true }] } : {}),
  },
});

test('the /registry layout drills into the tree; a pod is decoded with a link to its owner', () => withPage(server.url, async (page) => {
  // Without /registry keys the keyspace offers the sample instead of the picture.
  assert.equal(await page.locator('[data-testid="load-k8s"]').count(), 1);
  assert.equal(await page.locator('[data-testid="registry-layout-toggle"]').count(), 0);

  const put = async (key, value) => assert.match(await run(page, `etcdctl put ${key} '${value}'`), /OK/);
  await put('/registry/deployments/default/web', obj('Deployment', 'apps/v1', 'default', 'web'));
  await put('/registry/replicasets/default/web-5d8f', obj('ReplicaSet', 'apps/v1', 'default', 'web-5d8f', ['Deployment', 'web']));
  for (const p of ['web-5d8f-a', 'web-5d8f-b', 'web-5d8f-c']) {
    await put(`/registry/pods/default/${p}`, obj('Pod', 'v1', 'default', p, ['ReplicaSet', 'web-5d8f']));
  }

  // The picture: one block per resource type, sized by keys; pods are the largest.
  await page.click('[data-testid="registry-layout-toggle"]');
  const blocks = page.locator('[data-testid="layout-block"]');
  await page.waitForSelector('[data-testid="layout-block"]');
  assert.equal(await blocks.count(), 3);
  assert.equal(await blocks.first().getAttribute('data-resource'), 'pods');
  assert.equal(await blocks.first().getAttribute('data-keys'), '3');
  await page.click('[data-testid="layout-by-bytes"]');
  assert.equal(await page.getAttribute('[data-testid="layout-by-bytes"]', 'aria-pressed'), 'true');
  await screenshot(page, 'registry-layout.png');

  // Drill into pods: the folder opens in the tree with its namespace.
  await page.click('[data-testid="layout-block"][data-resource="pods"]');
  await page.waitForSelector(node('/registry/pods/default/'));
  await page.click(node('/registry/pods/default/'));
  await page.click(node('/registry/pods/default/web-5d8f-b'));

  // The decoded pod: kind, namespace, name, resourceVersion against mod_revision, owner link.
  const k8s = page.locator('[data-testid="registry-detail"]');
  await k8s.waitFor();
  assert.equal(await k8s.locator('[data-testid="registry-kind"]').innerText(), 'Pod');
  assert.equal(await k8s.locator('[data-testid="registry-namespace"]').innerText(), 'default');
  assert.equal(await k8s.locator('[data-testid="registry-name"]').innerText(), 'web-5d8f-b');
  assert.match(await k8s.locator('[data-testid="registry-format"]').innerText(), /^JSON/);
  const owner = k8s.locator('[data-testid="registry-link"]').first();
  assert.equal(await owner.getAttribute('data-key'), '/registry/replicasets/default/web-5d8f');
  await page.click('[data-testid="registry-bytes-toggle"]');
  assert.match(await k8s.locator('[data-testid="registry-bytes"]').innerText(), /k8s/);
  await screenshot(page, 'registry-pod.png');

  // Follow the owner: the replica set's key is selected, and it links on to the deployment.
  await owner.click();
  assert.equal(await page.locator('[data-testid="detail-key"]').innerText(), '/registry/replicasets/default/web-5d8f');
  assert.equal(await k8s.locator('[data-testid="registry-kind"]').innerText(), 'ReplicaSet');
  assert.equal(await k8s.locator('[data-testid="registry-link"]').first().getAttribute('data-key'), '/registry/deployments/default/web');
}, { width: 1280, height: 800 }));
