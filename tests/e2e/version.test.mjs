// Issue 17 in the page: the etcd release selector beside the lab selector. Each release of a lab
// keeps its own session and database: local at 3.4 and at 3.5 keep their own keys across
// switches (by the selector and by a typed `lab local --etcd 3.5`) and a reload reopens the
// release chosen last; a share link made at 3.5 opens at 3.5. Screenshots of the title bar on a
// desktop and at 390 px.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import {
  serveDist, newProfile, launch, consoleReady, run, screenshot, openFresh, shareLink,
} from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const VERSION = '[data-testid="etcd-version"]';
const LAB = '[data-testid="lab-select"]';

/** The value a command printed (its entry without the `$ …` line). */
const value = (entry) => entry.split('\n').slice(1).join('\n').trim();

/** Waits until the console shows the answer of `lab …` and takes input. */
async function switched(page, line) {
  await page.waitForFunction((l) => [...document.querySelectorAll('[data-testid="console-entry"]')]
    .some((e) => e.innerText.startsWith(`$ ${l}`)), line);
  await consoleReady(page);
}

/** Chooses a release in the title bar and waits until its console takes input. */
async function choose(page, v) {
  await page.locator(VERSION).selectOption(v);
  await switched(page, `lab local --etcd ${v}`);
  assert.equal(await page.locator(VERSION).inputValue(), v);
}

test('each etcd release of a lab keeps its keys; the choice survives a reload', { timeout: 60000 }, async () => {
  const profile = newProfile();
  const errors = [];
  const context = await launch(profile, errors);
  let link;
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url);
    await consoleReady(page);
    assert.equal(await page.locator(VERSION).inputValue(), '3.4');
    assert.equal(await page.locator('[data-testid="etcd-version-3.4"]').innerText(), 'etcd 3.4.23');
    assert.equal(await page.locator('[data-testid="etcd-version-3.5"]').innerText(), 'etcd 3.5.1');
    assert.match(await run(page, 'etcdctl put foo v34'), /OK/);
    assert.match(await run(page, 'etcdctl version'), /etcdctl version: 3\.4\.23\nAPI version: 3\.4/);
    await screenshot(page, 'version-titlebar.png');

    // The selector opens local at 3.5: a cluster of its own.
    await choose(page, '3.5');
    assert.equal(await page.locator(LAB).inputValue(), 'local');
    assert.match(await run(page, 'etcdctl version'), /etcdctl version: 3\.5\.1\nAPI version: 3\.5/);
    assert.equal(value(await run(page, 'etcdctl get foo')), '');
    assert.match(await run(page, 'etcdctl put foo v35'), /OK/);
    assert.match(await run(page, 'lab'), /\* local .*\(etcd 3\.5\.1\)/);
    await screenshot(page, 'version-titlebar-3.5.png');

    // Back to 3.4 with the selector, then to 3.5 by typing: nothing lost on either side.
    await choose(page, '3.4');
    assert.equal(value(await run(page, 'etcdctl get foo --print-value-only')), 'v34');
    await page.locator('[data-testid="console-input"]').fill('lab local --etcd 3.5');
    await page.keyboard.press('Enter');
    await page.waitForFunction((sel) => document.querySelector(sel)?.value === '3.5', VERSION);
    await consoleReady(page);
    assert.match(await page.locator('[data-testid="console-entry"]').last().innerText(),
      /^\$ lab local --etcd 3\.5\nlab local: .*\(etcd 3\.5\.1\)/);
    assert.equal(value(await run(page, 'etcdctl get foo --print-value-only')), 'v35');

    // The share link of this session names its release (made before the reload: a link
    // replays the inputs since the seed, not a reload's power cycle).
    link = await shareLink(page);

    // A reload reopens local at 3.5.
    await page.reload();
    await consoleReady(page);
    assert.equal(await page.locator(VERSION).inputValue(), '3.5');
    assert.equal(await page.locator(LAB).inputValue(), 'local');
    assert.match(await run(page, 'etcdctl version'), /etcdctl version: 3\.5\.1/);
    assert.equal(value(await run(page, 'etcdctl get foo --print-value-only')), 'v35');

    // At 390 px the title bar still fits.
    await page.setViewportSize({ width: 390, height: 800 });
    await screenshot(page, 'version-titlebar-narrow.png');
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 390, `the page is ${wide} px wide at 390 px`);
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);

  // Opened in an empty browser, the link replays at 3.5.
  const b = await openFresh(link);
  try {
    assert.equal(await b.page.locator(VERSION).inputValue(), '3.5');
    await b.page.waitForFunction(() => [...document.querySelectorAll('[data-testid="console-entry"]')]
      .some((e) => e.innerText.includes('put foo v35')), null, { timeout: 20000 });
    assert.equal(value(await run(b.page, 'etcdctl get foo --print-value-only')), 'v35');
    assert.match(await run(b.page, 'etcdctl version'), /etcdctl version: 3\.5\.1/);
  } finally {
    await b.context.close();
  }
  assert.deepEqual(b.errors, []);
});
