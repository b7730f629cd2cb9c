// Issue 21: the /registry picture ("What /registry holds") after `load k8s`: a plain title and
// a line saying what the boxes mean; the total it shows is the one the load message printed;
// a click on a box opens its folder and scrolls the tree to it, marked; and a box's bytes are
// the sum of its keys' sizes as each key's detail shows them.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, withPage, run, screenshot, consoleReady } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const TREE = '[data-testid="keyspace-tree"]';
const node = (key) => `${TREE} [data-testid="tree-node"][data-key="${key}"]`;

/** Whether the element lies inside the tree's scroll area (and the area inside the page). */
async function shownInTree(page, selector) {
  const [box, area] = await Promise.all([
    page.locator(selector).boundingBox(),
    page.locator(TREE).boundingBox(),
  ]);
  const viewport = page.viewportSize();
  return box && area
    && box.y >= area.y - 0.5 && box.y + box.height <= area.y + area.height + 0.5
    && area.y >= 0 && area.y < viewport.height;
}

test('the /registry picture: plain title, the load total, a click scrolls the tree, sizes add up', () => withPage(server.url, async (page) => {
  // (`load k8s` is the full module's: this page opens it at once, as after a hand-over)
  await page.evaluate(() => localStorage.setItem('etcdplay-module', 'full'));
  await page.reload();
  await consoleReady(page);
  assert.equal(await page.evaluate(() => window.__etcdplayModule), 'full');
  // a load runs a step at a time: the console shows how far it got, and takes typing meanwhile
  await page.evaluate(() => {
    window.__working = [];
    new MutationObserver(() => {
      const w = document.querySelector('[data-testid="console-working"]');
      if (w) window.__working.push([w.innerText, document.querySelector('[data-testid="console-input"]').disabled]);
    }).observe(document.body, { childList: true, subtree: true });
  });
  const msg = await run(page, 'load k8s');
  const shown = await page.evaluate(() => window.__working);
  assert.ok(shown.length > 0, 'the working line was never shown');
  assert.match(shown[0][0], /^running `load k8s`: \d+ of about \d+ keys written \(\d+%\) · Ctrl\+C stops it/);
  assert.equal(shown[0][1], false, 'the input stays enabled');
  assert.equal(await page.locator('[data-testid="console-working"]').count(), 0);
  assert.equal(await page.locator('[data-testid="console-input"]').isDisabled(), false);
  const m = msg.match(/(\d+) keys \(([^)]+) of keys and values\)/);
  assert.ok(m, msg);
  const [, keys, size] = m;

  await page.click('[data-testid="registry-layout-toggle"]');
  await page.waitForSelector('[data-testid="layout-block"]');
  assert.equal(await page.locator('[data-testid="layout-title"]').innerText(), 'What /registry holds');
  assert.match(await page.locator('[data-testid="layout-explain"]').innerText(),
    /^Each box is one resource type; its area is how many keys it has\. Click a box to open its folder in the tree\.$/);
  await page.click('[data-testid="layout-by-bytes"]');
  assert.match(await page.locator('[data-testid="layout-explain"]').innerText(),
    /its area is the bytes its keys and values take in etcd\./);

  // The same total, in the same words, as the load message.
  const total = page.locator('[data-testid="layout-total"]');
  await page.waitForFunction(
    (s) => document.querySelector('[data-testid="layout-total"]').textContent.includes(`${s} of keys and values`), size);
  assert.match(await total.innerText(), new RegExp(`, ${keys} keys, ${size.replace('.', '\\.')} of keys and values\\.$`));
  const blocks = page.locator('[data-testid="layout-block"]');
  const tiles = await blocks.evaluateAll((gs) => gs.map((g) => ({
    resource: g.getAttribute('data-resource'), keys: +g.getAttribute('data-keys'), bytes: +g.getAttribute('data-bytes'),
  })));
  assert.equal(tiles.reduce((s, t) => s + t.bytes, 0), +await total.getAttribute('data-bytes'), 'the boxes add up to the total');
  assert.equal(tiles.reduce((s, t) => s + t.keys, 0), +keys);
  await screenshot(page, 'treemap.png');

  // The box whose folder comes last in the tree: after the click its row is in view, marked.
  const last = tiles.map((t) => t.resource).sort().at(-1);
  await page.click(`[data-testid="layout-block"][data-resource="${last}"]`);
  const lastNode = node(`/registry/${last}/`);
  await page.waitForSelector(`${lastNode}.selected`);
  await page.waitForFunction((sel) => {
    const n = document.querySelector(sel), t = document.querySelector('[data-testid="keyspace-tree"]');
    if (!n || !t) return false;
    const a = n.getBoundingClientRect(), b = t.getBoundingClientRect();
    return a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
  }, lastNode);
  assert.ok(await shownInTree(page, lastNode), `${lastNode} is inside the tree's scroll area`);
  assert.equal(await page.getAttribute(lastNode, 'aria-expanded'), 'true');
  const scrolled = await page.locator(TREE).evaluate((t) => ({ top: t.scrollTop, h: t.clientHeight, rows: +t.dataset.rows }));
  console.log(`tree after the click on ${last}: scrollTop ${scrolled.top}, ${scrolled.h}px tall, ${scrolled.rows} rows`);
  await screenshot(page, 'treemap-drilled.png');

  // Scroll the tree away, then open another box: back in view.
  await page.locator(TREE).evaluate((t) => { t.scrollTop = t.scrollHeight; });
  const first = tiles.map((t) => t.resource).sort()[0];
  await page.click(`[data-testid="layout-block"][data-resource="${first}"]`);
  const firstNode = node(`/registry/${first}/`);
  await page.waitForSelector(`${firstNode}.selected`);
  await page.waitForFunction((sel) => {
    const n = document.querySelector(sel), t = document.querySelector('[data-testid="keyspace-tree"]');
    const a = n.getBoundingClientRect(), b = t.getBoundingClientRect();
    return a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
  }, firstNode);
  assert.equal(await page.locator(`${TREE} .row.folder.selected`).count(), 1, 'one folder marked');

  // The namespaces box: its bytes are the sum of its keys' sizes in the key detail.
  const ns = tiles.find((t) => t.resource === 'namespaces');
  await page.click('[data-testid="layout-block"][data-resource="namespaces"]');
  await page.waitForSelector(`${node('/registry/namespaces/')}.selected`);
  const keyRows = page.locator(`${TREE} [data-testid="tree-node"][data-folder="false"][data-key^="/registry/namespaces/"]`);
  const names = await keyRows.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-key')));
  assert.equal(names.length, ns.keys);
  let sum = 0;
  for (const k of names) {
    await page.click(node(k));
    await page.waitForFunction((key) => document.querySelector('[data-testid="detail-key"]')?.textContent === key, k);
    const dd = page.locator('[data-testid="detail-size"]');
    const text = await dd.innerText();
    const [, kb, vb] = text.match(/^\S+ k?B \(key (\d+) \+ value ([\d,]+) bytes\)$/) ?? [];
    assert.ok(kb, text);
    assert.equal(+kb + +vb.replaceAll(',', ''), +await dd.getAttribute('data-bytes'), text);
    assert.equal(+kb, k.length);
    sum += +await dd.getAttribute('data-bytes');
  }
  assert.equal(sum, ns.bytes, 'the box is the sum of its keys');
  assert.equal(await page.locator(`${TREE} .row.folder.selected`).count(), 0, 'a key click moves the mark');
  assert.equal(await page.locator('section.keyspace').evaluate((k) => k.scrollTop), 0, 'the panel keeps its bar in view');
  await screenshot(page, 'treemap-key-size.png');
}, { width: 1280, height: 800 }));
