// Issue 21, "pipes and the filters tutorials use": in the page's local lab, etcdctl's output
// goes through `| grep`, `| wc -l`, `| hexdump -C`, `| jq -r` and `&&` as bash with the real
// tools takes it. The expected texts were printed by the real tools (GNU grep 3.8, coreutils
// 9.1 wc, util-linux 2.38 hexdump, jq 1.6) on the same etcdctl output; the node scenario
// src/node/testdata/filters.txt holds the wider recorded set.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, withPage, run, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

/** The output lines of an entry (its first line is the command as typed). */
const output = (text) => text.split('\n').slice(1).join('\n').trim();

test('etcdctl output through grep, wc -l, hexdump -C, jq -r and &&', () => withPage(server.url, async (page) => {
  assert.match(await run(page, 'etcdctl put /registry/secrets/default/db s3cret && etcdctl put foo bar'), /OK\nOK/);
  assert.equal(output(await run(page, 'etcdctl get --prefix "" --keys-only | grep registry')),
    '/registry/secrets/default/db');
  assert.equal(output(await run(page, "etcdctl get --prefix '' --keys-only | grep -v '^$' | wc -l")), '2');
  assert.equal(output(await run(page, 'etcdctl get /registry/secrets/default/db --print-value-only | hexdump -C')),
    '00000000  73 33 63 72 65 74 0a                              |s3cret.|\n00000007');
  assert.equal(output(await run(page, "etcdctl get foo -w json | jq -r '.kvs[0].value | @base64d'")), 'bar');
  // a filter's own error, with its status for the next command
  const bad = await run(page, 'etcdctl get foo | jq . ; echo status $?');
  assert.match(bad, /parse error: Invalid literal at line 2, column 0/);
  assert.match(bad, /status 4/);
  await screenshot(page, 'pipes.png');
}));
