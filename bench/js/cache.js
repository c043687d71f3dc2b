'use strict';
// The catalog response cache side by side on one hub: the same anonymous page served from the cache and
// re-executed (Cache-Control: no-cache makes the hub execute again and refresh its entry), interleaved, ROUNDS
// rounds of DURATION seconds per point after a warm-up of each. Prints rps and p99 per mode and the ratio.
// Usage: node bench/js/cache.js  (env: HUB_URL, default http://127.0.0.1:8080; HUB_QUERY, default
// bench/queries/hub-models.graphql; CONNECTIONS 1,8,32; DURATION 10; ROUNDS 3; WARM 20; METHOD POST or GET)
// Needs autocannon on NODE_PATH (bench/run installs it into bench/.work/node/node_modules).
const fs = require('node:fs');
const autocannon = require('autocannon');

const url = process.env.HUB_URL || 'http://127.0.0.1:8080';
const query = fs.readFileSync(process.env.HUB_QUERY || 'bench/queries/hub-models.graphql', 'utf8');
const connectionsList = (process.env.CONNECTIONS || '1,8,32').split(',').map(Number);
const duration = Number(process.env.DURATION || 10);
const rounds = Number(process.env.ROUNDS || 3);
const warm = Number(process.env.WARM || 20);
const method = (process.env.METHOD || 'POST').toUpperCase();

function request(noCache) {
  const headers = { accept: 'application/json' };
  if (noCache) headers['cache-control'] = 'no-cache';
  if (method === 'GET') {
    return { url: `${url}/graphql?query=${encodeURIComponent(query)}`, method: 'GET', headers };
  }
  headers['content-type'] = 'application/json';
  return { url: `${url}/graphql`, method: 'POST', headers, body: JSON.stringify({ query, variables: {} }) };
}

function run(opts) {
  return new Promise((resolve, reject) => autocannon(opts, (err, r) => (err ? reject(err) : resolve(r))));
}

async function point(noCache, connections, seconds) {
  const r = await run({ ...request(noCache), connections, duration: seconds, pipelining: 1 });
  const bad = r.errors + r.timeouts + (r.non2xx || 0);
  return { rps: r.requests.average, p99: r.latency.p99, bad };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

(async () => {
  // the cached and uncached answers must be the same bytes
  const a = await fetch(request(false).url, request(false)).then((r) => r.text());
  const b = await fetch(request(true).url, request(true)).then((r) => r.text());
  if (a !== b || !a.includes('"data"')) throw new Error('cached and uncached answers differ or failed');
  console.log(`answer ${a.length} bytes; warming ${warm} s each`);
  await point(true, 8, warm);
  await point(false, 8, warm);
  const rows = [];
  for (const c of connectionsList) {
    const cached = []; const uncached = [];
    for (let i = 0; i < rounds; i++) {
      uncached.push(await point(true, c, duration));
      cached.push(await point(false, c, duration));
    }
    const row = {
      connections: c,
      uncachedRps: median(uncached.map((x) => x.rps)), uncachedP99: median(uncached.map((x) => x.p99)),
      cachedRps: median(cached.map((x) => x.rps)), cachedP99: median(cached.map((x) => x.p99)),
      bad: [...cached, ...uncached].reduce((s, x) => s + x.bad, 0),
    };
    row.ratio = Math.round((row.cachedRps / row.uncachedRps) * 10) / 10;
    rows.push(row);
    console.log(JSON.stringify(row));
  }
  console.log('| connections | uncached rps / p99 | cached rps / p99 | cached / uncached |');
  console.log('|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.connections} | ${Math.round(r.uncachedRps)} / ${r.uncachedP99} ms | ${Math.round(r.cachedRps)} / ${r.cachedP99} ms | ${r.ratio}× |`);
  }
})().catch((e) => { console.error(e); process.exit(1); });
