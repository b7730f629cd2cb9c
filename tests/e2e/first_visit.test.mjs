// Issue 20's size budget counts the files scripts/size.mjs finds from dist/index.html. This
// checks, in Chromium, that they are exactly what a first visit fetches before the console
// answers: a file fetched on opening that the script does not count (so the budget would miss
// it), or one it counts that the page does not fetch, fails here.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, newProfile, launch, consoleReady } from './harness.mjs';
import { firstVisit } from '../../scripts/size.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

test('the size budget counts exactly what a first visit fetches', { timeout: 60000 }, async () => {
  const errors = [];
  const context = await launch(newProfile(), errors);
  const origin = new URL(server.url).origin;
  const fetched = new Set();
  try {
    const page = context.pages()[0] ?? await context.newPage();
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.origin === origin) fetched.add(url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1)));
    });
    await page.goto(server.url);
    await consoleReady(page);
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);
  const counted = firstVisit().map((r) => r.name);
  assert.deepEqual([...fetched].sort(), [...counted].sort(),
    `fetched before the console answered: ${[...fetched].join(', ')}; counted by scripts/size.mjs: ${counted.join(', ')}`);
});
