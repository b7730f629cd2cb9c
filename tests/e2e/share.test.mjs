// Share links (issue 16): the share button gives a link whose fragment holds the session; opened
// in a second, empty browser profile it replays to the same state (keys, revisions, a member
// stopped by a click, the clock). A tampered link gets a message and a fresh playground; a
// link opened where work is kept is offered, not forced.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, consoleReady, run, screenshot, openFresh } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const open = openFresh;

const STATE = 'etcdctl --endpoints=127.0.0.1:22379 get greeting -w fields';
const STATUS = 'etcdctl --endpoints=127.0.0.1:22379,127.0.0.1:32379 endpoint status -w table';

/** What must be equal after the replay (the member IDs, revision, term and raft index). */
async function state(page) {
  const fields = await run(page, STATE);
  const status = await run(page, STATUS);
  const stopped = await page.locator('[data-testid="member-start-infra1"]').isEnabled();
  return { fields, status, stopped };
}

test('a share link replays the session in an empty browser', { timeout: 120000 }, async () => {
  const a = await open(server.url);
  let link;
  let expected;
  try {
    await run(a.page, 'etcdctl put greeting hello');
    await run(a.page, 'etcdctl put greeting world');
    await a.page.locator('[data-testid="member-stop-infra1"]').click();
    await run(a.page, 'advance 3s');
    await run(a.page, 'etcdctl --endpoints=127.0.0.1:22379 put after-stop yes');
    await a.page.locator('[data-testid="share"]').click();
    const url = a.page.locator('[data-testid="share-url"]');
    await url.waitFor();
    link = await url.inputValue();
    assert.ok(link.startsWith(`${server.url}#share=1.`), link);
    assert.ok(link.length < 4000, `${link.length}`);
    await screenshot(a.page, 'share-strip.png');
    await a.page.locator('[data-testid="share-close"]').click();
    expected = await state(a.page);
    assert.match(expected.fields, /"Value" : "world"/);
    assert.equal(expected.stopped, true);
    assert.deepEqual(a.errors, []);
  } finally {
    await a.context.close();
  }

  const b = await open(link);
  try {
    // the replay shows the commands that ran, and reaches the same state
    await b.page.waitForFunction(() => [...document.querySelectorAll('[data-testid="console-entry"]')]
      .some((e) => e.innerText.includes('put after-stop yes')), null, { timeout: 30000 });
    assert.deepEqual(await state(b.page), expected);
    assert.equal(new URL(b.page.url()).hash, '', 'the fragment is dropped once read');
    await screenshot(b.page, 'share-opened.png');
    // kept: a reload shows the opened session, not the link again
    await b.page.reload();
    await consoleReady(b.page);
    assert.match(await run(b.page, 'etcdctl --endpoints=127.0.0.1:22379 get after-stop --print-value-only'), /\nyes/);
    assert.equal(await b.page.locator('[data-testid="share-offer"]').count(), 0);

    // where work is kept, a link is offered; "open" replaces the lab's session
    await run(b.page, 'etcdctl --endpoints=127.0.0.1:22379 put mine 1');
    await b.page.goto(link.replace(server.url, `${server.url}?again#`).replace('##', '#'));
    await consoleReady(b.page);
    const offer = b.page.locator('[data-testid="share-offer"]');
    await offer.waitFor();
    assert.match(await offer.innerText(), /lab local \(\d+ inputs\)/);
    await b.page.locator('[data-testid="share-open"]').click();
    await offer.waitFor({ state: 'detached' });
    assert.doesNotMatch(await run(b.page, 'etcdctl --endpoints=127.0.0.1:22379 get mine'), /\nmine/);
    assert.deepEqual(b.errors, []);
  } finally {
    await b.context.close();
  }
});

test('a tampered share link gets a message and a fresh playground', { timeout: 60000 }, async () => {
  const c = await open(`${server.url}#share=1.AAAAthis-is-not-a-session`);
  try {
    const banner = c.page.locator('[data-testid="disk-banner"]');
    await banner.waitFor();
    assert.match(await banner.innerText(), /The link could not be opened: this share link is damaged or incomplete/);
    assert.match(await run(c.page, 'etcdctl get greeting'), /^\$ etcdctl get greeting\n?$/);
    assert.deepEqual(c.errors, []);
  } finally {
    await c.context.close();
  }
});
