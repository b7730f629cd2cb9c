// Lessons (issue 16): the panel opens from the title bar; etcd-basics is taken step by step,
// typing each step's command or clicking it (it lands in the console input) and pressing Enter, each step
// turning done only after its own command; raft-election is taken with clicks on the member
// strip and the time bar; a wrong attempt shows a hint; progress survives a reload and travels
// in a share link opened in a second, empty browser profile.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, consoleReady, run, screenshot, openFresh, shareLink } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const open = openFresh;

const steps = (page) => page.locator('[data-testid="lesson-step"]');
const doneCount = (page) => page.locator('[data-testid="lesson-step"][data-done="true"]').count();

/** Waits until exactly `n` steps are done. */
async function waitDone(page, n) {
  await page.waitForFunction(
    (k) => document.querySelectorAll('[data-testid="lesson-step"][data-done="true"]').length === k,
    n, { timeout: 20000 });
}

/** Opens the panel and starts lesson `id` (from a fresh playground: no confirmation). */
async function start(page, id) {
  if (await page.locator('[data-testid="lesson-list"]').count() === 0) {
    await page.locator('[data-testid="lessons-open"]').click();
  }
  await page.locator(`[data-testid="lesson-item-${id}"]`).click();
  await page.locator(`[data-testid="lesson"][data-lesson="${id}"]`).waitFor({ timeout: 30000 });
  await consoleReady(page);
}

test('etcd-basics, step by step by its commands; progress in a reload and a share link', { timeout: 180000 }, async () => {
  const a = await open(server.url);
  let link;
  try {
    const { page } = a;
    await page.locator('[data-testid="lessons-open"]').click();
    const list = page.locator('[data-testid="lesson-list"]');
    await list.waitFor();
    for (const id of ['etcd-basics', 'keys-and-prefixes', 'mvcc-revisions', 'watch', 'leases', 'raft-election', 'raft-quorum']) {
      assert.equal(await page.locator(`[data-testid="lesson-item-${id}"]`).count(), 1, id);
    }
    await screenshot(page, 'lessons-list.png');
    await start(page, 'etcd-basics');
    const n = await steps(page).count();
    assert.ok(n >= 6, `${n} steps`);
    assert.equal(await doneCount(page), 0);

    // a wrong attempt first: a v2 command under API 3 gets the step's hint
    await run(page, 'etcdctl set /course/name etcd');
    await run(page, 'etcdctl get nothing');
    assert.equal(await doneCount(page), 0, 'no step completes out of turn');
    await page.locator('[data-testid="lesson-hint"]').waitFor();

    for (let i = 0; i < n; i++) {
      const current = steps(page).nth(i);
      assert.equal(await current.getAttribute('data-current'), 'true', `step ${i + 1} is current`);
      const command = current.locator('[data-testid="lesson-step-command"]');
      const line = (await command.innerText()).trim();
      const input = page.locator('[data-testid="console-input"]');
      if (i % 2 === 0) {
        // typed key by key, as a learner would
        await input.fill('');
        await input.pressSequentially(line);
      } else {
        await command.click();
        assert.equal(await input.inputValue(), line, 'the click fills the input');
      }
      if (i === 2) await screenshot(page, 'lesson-step.png');
      await page.keyboard.press('Enter');
      await waitDone(page, i + 1);
      assert.equal(await steps(page).nth(i).getAttribute('data-done'), 'true');
    }
    await page.locator('[data-testid="lesson-finished"]').waitFor();
    await screenshot(page, 'lesson-finished.png');

    link = await shareLink(page);

    // kept in IndexedDB: a reload shows the finished lesson and the tick in the list
    await page.reload();
    await consoleReady(page);
    await page.locator('[data-testid="lesson"][data-lesson="etcd-basics"]').waitFor();
    assert.equal(await doneCount(page), n);
    await page.locator('[data-testid="lesson-list-open"]').click();
    assert.equal(await page.locator('[data-testid="lesson-item-etcd-basics"]').getAttribute('data-finished'), 'true');
    await page.locator('[data-testid="lesson-resume"]').click();

    assert.deepEqual(a.errors, []);
  } finally {
    await a.context.close();
  }

  // the link in an empty profile: the same lesson, the same steps done, the same keys
  const b = await open(link);
  try {
    const { page } = b;
    await page.locator('[data-testid="lesson"][data-lesson="etcd-basics"]').waitFor({ timeout: 30000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="lesson-step"][data-done="true"]').length > 0);
    assert.equal(await doneCount(page), await steps(page).count());
    assert.match(await run(page, 'etcdctl get greeting --print-value-only'), /\nhello/);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.context.close();
  }
});

test('raft-election with clicks on the picture; show me; a lesson over work asks first; one in another lab', { timeout: 180000 }, async () => {
  const a = await open(server.url);
  try {
    const { page } = a;
    await run(page, 'etcdctl put mine 1');
    await page.locator('[data-testid="lessons-open"]').click();
    await page.locator('[data-testid="lesson-item-raft-election"]').click();
    // work typed here would be dropped: the page asks
    await page.locator('[data-testid="lesson-confirm"]').waitFor();
    await page.locator('[data-testid="lesson-confirm-start"]').click();
    await page.locator('[data-testid="lesson"][data-lesson="raft-election"]').waitFor({ timeout: 30000 });
    await consoleReady(page);
    assert.doesNotMatch(await run(page, 'etcdctl get mine'), /\n1/, 'a fresh cluster');

    // 1: "show me" runs the step's command
    await page.locator('[data-testid="show-me"]').click();
    await waitDone(page, 1);
    // 2: stop the leader with the member strip's button; the console says time is paused
    await page.locator('[data-testid="member-stop-infra1"]').click();
    await waitDone(page, 2);
    await page.waitForFunction(() => document.querySelector('[data-testid="console-output"]').innerText.includes('Time is paused'));
    // 3: play until a new leader wins
    await page.locator('[data-testid="play-pause"]').click();
    await waitDone(page, 3);
    await page.locator('[data-testid="play-pause"]').click();
    await screenshot(page, 'lesson-raft-election.png');
    // 4: start infra1 again and let it catch up
    await page.locator('[data-testid="member-start-infra1"]').click();
    await page.locator('[data-testid="play-pause"]').click();
    await page.locator('[data-testid="lesson-finished"]').waitFor({ timeout: 20000 });
    await page.locator('[data-testid="play-pause"]').click();
    assert.equal(await doneCount(page), await steps(page).count());
    // leaving keeps the cluster; the panel hides and opens again
    await page.locator('[data-testid="lesson-leave"]').click();
    await page.locator('[data-testid="lesson-list"]').waitFor();
    await page.locator('[data-testid="lessons-close"]').click();
    assert.equal(await page.locator('[data-testid="lessons-panel"]').count(), 0);

    // a lesson of another lab: the page says so, switches, and starts it there
    await page.locator('[data-testid="lessons-open"]').click();
    await page.locator('[data-testid="lesson-item-cka-backup-restore"]').click();
    assert.match(await page.locator('[data-testid="lesson-confirm"]').innerText(), /lab kubeadm/);
    await page.locator('[data-testid="lesson-confirm-start"]').click();
    await page.locator('[data-testid="lesson"][data-lesson="cka-backup-restore"]').waitFor({ timeout: 60000 });
    await consoleReady(page);
    assert.equal(await page.locator('[data-testid="lab-select"]').inputValue(), 'kubeadm');
    await steps(page).first().locator('[data-testid="lesson-step-command"]').click();
    await page.keyboard.press('Enter');
    await waitDone(page, 1);
    await screenshot(page, 'lesson-cka.png');
    assert.deepEqual(a.errors, []);
  } finally {
    await a.context.close();
  }
});

test('transactions: a here-document command fills the console and runs whole', { timeout: 120000 }, async () => {
  const a = await open(server.url);
  try {
    const { page } = a;
    await start(page, 'transactions');
    for (let i = 0; i < 2; i++) {
      await steps(page).nth(i).locator('[data-testid="lesson-step-command"]').click();
      if (i === 1) {
        // the body waits after `> ` prompts; the input holds the terminator
        assert.match(await page.locator('[data-testid="console-pending"]').innerText(), /etcdctl txn <<EOF\n> value\("flag"\) = "off"/);
        assert.equal(await page.locator('[data-testid="console-input"]').inputValue(), 'EOF');
      }
      await page.keyboard.press('Enter');
      await waitDone(page, i + 1);
    }
    // (its output shows once its writes are on disk)
    await page.waitForFunction(() => /SUCCESS/.test(document.querySelector('[data-testid="console-output"]').innerText));
    assert.deepEqual(a.errors, []);
  } finally {
    await a.context.close();
  }
});
