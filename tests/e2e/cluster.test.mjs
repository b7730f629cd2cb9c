// The cluster picture against the real world: a leader is shown; stopping it elects another
// within etcd's default timings; with two members stopped a put fails after the command
// timeout; starting them heals. Every button goes through the console.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, withPage, run, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const NAMES = ['infra1', 'infra2', 'infra3'];

async function roles(page) {
  const out = {};
  for (const n of NAMES) {
    const m = page.locator(`[data-testid="member-${n}"]`);
    out[n] = { role: await m.getAttribute('data-role'), up: await m.getAttribute('data-up'), term: Number(await m.getAttribute('data-term')) };
  }
  return out;
}

const leaders = (r) => NAMES.filter((n) => r[n].up === 'true' && r[n].role === 'leader');
const simMs = async (page) => {
  const t = await page.locator('[data-testid="sim-time"]').innerText();
  return Math.round(parseFloat(t) * 1000);
};

/** Clicks a button and waits for the console entry it sends; returns the entry's text. */
async function click(page, testid) {
  const entries = page.locator('[data-testid="console-entry"]');
  const before = await entries.count();
  await page.click(`[data-testid="${testid}"]`);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="console-entry"]').length > n, before);
  return entries.nth(before).innerText();
}

test('leader election, loss of quorum and healing, driven from the picture', () => withPage(server.url, async (page) => {
  // A leader is shown.
  let r = await roles(page);
  assert.deepEqual(leaders(r), ['infra1'], JSON.stringify(r));
  assert.ok(NAMES.every((n) => r[n].up === 'true'));
  await screenshot(page, 'cluster-leader.png');

  // Stop the leader with its button: the console shows the command.
  assert.match(await click(page, 'member-stop-infra1'), /^\$ stop infra1/);
  r = await roles(page);
  assert.equal(r.infra1.up, 'false');
  // Within etcd's default timings (election timeout 1 s, randomized up to 2 s) another leads.
  await run(page, 'advance 3s');
  r = await roles(page);
  const [next] = leaders(r);
  assert.ok(next && next !== 'infra1', JSON.stringify(r));
  assert.ok(r[next].term > 2, 'a new term');
  await page.click(`[data-testid="member-${next}"]`);
  await screenshot(page, 'cluster-new-leader.png');

  // Stop a second member: no quorum, a put waits for the command timeout and fails.
  const other = NAMES.find((n) => n !== 'infra1' && n !== next);
  await click(page, `member-stop-${next}`);
  const t0 = await simMs(page);
  const out = await run(page, `etcdctl --endpoints=127.0.0.1:${other === 'infra2' ? 22379 : 32379} put k v`);
  assert.match(out, /context deadline exceeded/);
  assert.ok((await simMs(page)) - t0 >= 5000, 'the 5 s command timeout passed in simulated time');
  await screenshot(page, 'cluster-no-quorum.png');

  // Start them again: a leader, and the put goes through.
  await click(page, 'member-start-infra1');
  await click(page, `member-start-${next}`);
  await run(page, 'advance 3s');
  r = await roles(page);
  assert.equal(leaders(r).length, 1, JSON.stringify(r));
  assert.ok(NAMES.every((n) => r[n].up === 'true'));
  assert.match(await run(page, 'etcdctl put k v'), /\nOK\s*$/);
  await screenshot(page, 'cluster-healed.png');

  // A link: isolate infra3, the link shows cut; heal.
  await page.click('[data-testid="link-infra1-infra3"]');
  assert.match(await click(page, 'link-cut-b'), /partition infra3 \| infra1 infra2/);
  assert.equal(await page.getAttribute('[data-testid="link-infra1-infra3"]', 'data-cut'), 'true');
  await screenshot(page, 'cluster-partition.png');
  await click(page, 'link-heal');
  assert.equal(await page.getAttribute('[data-testid="link-infra1-infra3"]', 'data-cut'), 'false');

  // One link alone: cut infra1–infra2 (infra2 still reaches infra3), slow it, mend it.
  await page.click('[data-testid="link-infra1-infra2"]');
  assert.match(await click(page, 'link-cut'), /cut infra1 infra2\nlink infra1 – infra2 cut/);
  assert.equal(await page.getAttribute('[data-testid="link-infra1-infra2"]', 'data-cut'), 'true');
  assert.equal(await page.getAttribute('[data-testid="link-infra2-infra3"]', 'data-cut'), 'false');
  await page.fill('[data-testid="link-latency"]', '250');
  assert.match(await click(page, 'link-latency-set'), /latency between infra1 and infra2 set to 250 ms/);
  assert.match(await page.locator('[data-testid="link-note-infra1-infra2"]').textContent(), /250 ms/);
  await screenshot(page, 'cluster-link.png');
  assert.match(await click(page, 'link-mend'), /heal infra1 infra2\nlink infra1 – infra2 healed/);
  assert.equal(await page.getAttribute('[data-testid="link-infra1-infra2"]', 'data-cut'), 'false');
}, { width: 1280, height: 720 }));

test('a fourth member joins as a learner and is promoted', () => withPage(server.url, async (page) => {
  const added = await run(page, 'etcdctl member add infra4 --learner --peer-urls=http://127.0.0.1:42380');
  const id = added.match(/Member ([0-9a-f]+) added/)[1];
  assert.match(await run(page, 'start infra4'), /started infra4/);
  assert.match(await run(page, 'advance 2s'), /advanced 2s/);
  const m4 = page.locator('[data-testid="member-infra4"]');
  assert.equal(await m4.getAttribute('data-up'), 'true');
  assert.equal(await m4.getAttribute('data-role'), 'follower');
  assert.match(await run(page, `etcdctl member promote ${id}`), new RegExp(`Member ${id} promoted`));
  assert.match(await run(page, 'etcdctl --endpoints=127.0.0.1:42379 put four 4'), /\nOK\s*$/);
  assert.equal(await page.locator('[data-testid="log-infra4"]').count(), 1);
  await screenshot(page, 'cluster-four-members.png');
}, { width: 1280, height: 720 }));

test('time: play, step, speed and rewinding the timeline', () => withPage(server.url, async (page) => {
  const t0 = await simMs(page);
  await page.click('[data-testid="play-pause"]');
  await page.waitForTimeout(600);
  await page.click('[data-testid="play-pause"]');
  const t1 = await simMs(page);
  assert.ok(t1 - t0 >= 300, `playing moved simulated time (${t1 - t0} ms)`);

  assert.match(await click(page, 'step'), /^\$ advance \d+ms/);
  assert.ok((await simMs(page)) > t1);

  await page.selectOption('[data-testid="speed"]', { label: '1/10×' });
  assert.match(await page.locator('[data-testid="console-entry"]').last().innerText(), /speed set to 1\/10×/);
  assert.match(await run(page, 'speed 100'), /speed set to 100×/);
  assert.equal(await page.locator('[data-testid="speed"] option:checked').innerText(), '100×');

  // Rewind: stop infra2, then go back to before it was stopped.
  const before = await simMs(page);
  await click(page, 'member-stop-infra2');
  await run(page, 'advance 2s');
  assert.equal(await page.getAttribute('[data-testid="member-infra2"]', 'data-up'), 'false');
  await page.locator('[data-testid="timeline"]').fill(String(before));
  await page.waitForFunction(() => document.querySelector('[data-testid="member-infra2"]').dataset.up === 'true');
  assert.equal(await simMs(page), before);
  await screenshot(page, 'time-rewound.png');
  // ... and forward again to the end.
  const max = Number(await page.getAttribute('[data-testid="timeline"]', 'max'));
  await page.locator('[data-testid="timeline"]').fill(String(max));
  await page.waitForFunction(() => document.querySelector('[data-testid="member-infra2"]').dataset.up === 'false');
}));
