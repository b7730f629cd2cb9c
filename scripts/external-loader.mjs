// Trunk post-build hook: moves the inline module script Trunk writes into index.html out to
// its own file, so the page's Content-Security-Policy can forbid inline script entirely.
// Runs in Trunk's staging directory (TRUNK_STAGING_DIR); fails the build if nothing matched.
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) { console.error('external-loader: TRUNK_STAGING_DIR is not set'); process.exit(1); }
const indexPath = join(dir, 'index.html');
const html = readFileSync(indexPath, 'utf8');
const inline = /<script type=("?)module\1>([\s\S]*?)<\/script>/;
const m = html.match(inline);
if (!m) { console.error('external-loader: no inline module script in index.html'); process.exit(1); }
const body = m[2];
const name = `boot-${createHash('sha256').update(body).digest('hex').slice(0, 16)}.js`;
writeFileSync(join(dir, name), body);
writeFileSync(indexPath, html.replace(inline, `<script type="module" src="/${name}"></script>`));
