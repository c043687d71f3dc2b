'use strict';
// Gathers the parts bench/run wrote into one results file and renders its tables into bench/README.md
// (between <!-- bench/run:SECTION --> markers; SECTION = BENCH_README_SECTION, default "latest").
// Usage: node assemble.js PARTS_DIR RESULTS_FILE README_FILE
const fs = require('node:fs');
const path = require('node:path');
const { median } = require('./lib');

const [partsDir, resultsFile, readmeFile] = process.argv.slice(2);
const part = (name) => {
  const file = path.join(partsDir, name);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
};

const meta = part('meta.json');
const load = part('load.json');
const pgbenchRows = fs.existsSync(path.join(partsDir, 'pgbench.tsv'))
  ? fs.readFileSync(path.join(partsDir, 'pgbench.tsv'), 'utf8').trim().split('\n').filter(Boolean).map((l) => {
    const [mode, clients, round, tps, latencyMs] = l.split('\t');
    return { mode, clients: Number(clients), round: Number(round), tps: Number(tps), latencyMs: Number(latencyMs) };
  }) : [];
const pgbench = {};
for (const mode of ['simple', 'prepared']) {
  pgbench[mode] = {};
  for (const c of [...new Set(pgbenchRows.map((r) => r.clients))]) {
    const rs = pgbenchRows.filter((r) => r.mode === mode && r.clients === c);
    if (rs.length) pgbench[mode][c] = { tps: median(rs.map((r) => r.tps)), latencyMs: median(rs.map((r) => r.latencyMs)), rounds: rs.map((r) => r.tps) };
  }
}

const statements = {};
for (const name of fs.readdirSync(partsDir).filter((f) => f.startsWith('statements-')).sort()) {
  const s = part(name);
  statements[name.replace(/^statements-|\.json$/g, '')] = { count: s.count, backends: s.backends, tries: s.tries, responseBytes: s.responseBytes,
    statements: s.statements.map((x) => x.text) };
}

const results = {
  ...meta,
  catalog: part('catalog.json'),
  equivalence: part('compare.json'),
  startup: part('startup.json'),
  http: load,
  pgbench: { statementsPerTransaction: statements['hub-anonymous-50'] ? statements['hub-anonymous-50'].count : null, medians: pgbench, rows: pgbenchRows },
  statementsPerRequest: statements,
  sync: { first: part('sync-first.json'), noop: part('sync-noop.json'), firstWarm: part('sync-first-warm.json'),
    noopWarm: part('sync-noop-warm.json'), answer: part('sync-answer.json'),
    fetchAndParse: part('fetch-parse.json'), hubFetchAndParse: part('fetch-parse-hub.json') },
  subscribers: part('subscribers.json'),
  hubLog: part('hub-log.json'),
  memoryAfterMiB: load ? load.memoryAfterMiB : null,
};
fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
fs.writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');

// ---------------------------------------------------------------- README tables
const n = (x, digits = 0) => (x === null || x === undefined || Number.isNaN(x) ? '–'
  : Number(x).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}×` : '–');
const ms = (x) => (x === null || x === undefined ? '–' : `${n(x, x < 10 ? 1 : 0)} ms`);
const lines = [];
const conns = load ? load.connections : [];
lines.push(`Run ${meta.date} (${meta.quick ? 'QUICK: ' : ''}${load ? `${load.rounds} interleaved rounds × ${load.duration} s a point, medians` : 'no HTTP load'}), `
  + `hub sources as of \`${meta.hubCommit || meta.commit}\` (checkout \`${meta.commit}\`${meta.dirty ? ', src/main with uncommitted changes' : ''}); machine: ${meta.machine.nproc} cores (${meta.machine.cpu}), `
  + `${meta.machine.memGiB} GiB; load average ${meta.loadavg.start.join(' / ')} at the start, ${meta.loadavg.end.join(' / ')} at the end`
  + (load ? `, 1-min load during the points ${n(Math.min(...load.points.map((p) => p.loadavg1)), 2)}–${n(Math.max(...load.points.map((p) => p.loadavg1)), 2)}` : '')
  + `. Catalog: ${n(results.catalog.visibleModels)} public models (${n(results.catalog.deployments)} deployments, ${n(results.catalog.companies)} companies), `
  + `filled by a real syncModels. Results: \`${path.relative(path.dirname(readmeFile), resultsFile)}\`.`);
lines.push('');
if (load) {
  const stmts = results.pgbench.statementsPerTransaction;
  const cachedMedians = load.medians['hub-cached'];
  lines.push(`| connections | hub rps / p99 (uncached) | PostGraphile 4 rps / p99 | raw SQL (pgbench, the hub's own ${stmts} statements) tps: simple / prepared | hub / PostGraphile (rps) | hub / raw SQL (simple / prepared) |`
    + (cachedMedians ? ' hub cached rps / p99 | cached / PostGraphile |' : ''));
  lines.push('|---|---|---|---|---|---|' + (cachedMedians ? '---|---|' : ''));
  for (const c of conns) {
    const h = load.medians.hub[c];
    const g = load.medians.postgraphile[c];
    const s = pgbench.simple[c] || {};
    const p = pgbench.prepared[c] || {};
    const k = cachedMedians ? cachedMedians[c] : null;
    lines.push(`| ${c} | ${n(h.rps)} / ${ms(h.p99)} | ${n(g.rps)} / ${ms(g.p99)} | ${n(s.tps)} / ${n(p.tps)} | ${ratio(h.rps, g.rps)} | ${ratio(h.rps, s.tps)} / ${ratio(h.rps, p.tps)} |`
      + (k ? ` ${n(k.rps)} / ${ms(k.p99)} | ${ratio(k.rps, g.rps)} |` : ''));
  }
  if (cachedMedians) {
    lines.push('');
    lines.push('"hub" requests carry `Cache-Control: no-store` (the catalog cache steps aside: every request executes); "hub cached" is the same request without it, answered from the catalog cache after its first execution.');
  }
  lines.push('');
  lines.push('| connections | hub CPU / request | PostGraphile CPU / request | PostgreSQL CPU / request (hub / PostGraphile) | errors (hub / PostGraphile) |'
    + (cachedMedians ? ' hub cached: CPU / request, PostgreSQL CPU / request, errors |' : ''));
  lines.push('|---|---|---|---|---|' + (cachedMedians ? '---|' : ''));
  for (const c of conns) {
    const h = load.medians.hub[c];
    const g = load.medians.postgraphile[c];
    const k = cachedMedians ? cachedMedians[c] : null;
    lines.push(`| ${c} | ${ms(h.cpuMsPerRequest)} | ${ms(g.cpuMsPerRequest)} | ${ms(h.dbCpuMsPerRequest)} / ${ms(g.dbCpuMsPerRequest)} | ${h.errors} / ${g.errors} |`
      + (k ? ` ${ms(k.cpuMsPerRequest)}, ${ms(k.dbCpuMsPerRequest)}, ${k.errors} |` : ''));
  }
  lines.push('');
  const w = load.warmup;
  lines.push(`Warm-up (${w.hub.chunkS} s chunks at ${w.hub.connections} connections until three in a row agree within 5 %): hub ${w.hub.chunks.length} chunks (${w.hub.chunks.map((x) => n(x)).join(', ')} rps)${w.hub.settled ? '' : ' NOT settled'}; `
    + `PostGraphile ${w.postgraphile.chunks.length} chunks (${w.postgraphile.chunks.map((x) => n(x)).join(', ')} rps)${w.postgraphile.settled ? '' : ' NOT settled'}.`);
  lines.push('');
}
const st = results.statementsPerRequest;
if (Object.keys(st).length) {
  lines.push('| SQL statements per request (fewest of the tries) | count | backends | tries |');
  lines.push('|---|---|---|---|');
  for (const [name, s] of Object.entries(st)) lines.push(`| ${name} | ${s.count} | ${s.backends} | ${s.tries ? s.tries.join(', ') : '1'} |`);
  lines.push('');
}
const sy = results.sync;
if (sy.first) {
  const fp = sy.fetchAndParse;
  const hf = sy.hubFetchAndParse;
  lines.push('| sync of 10,000 deployments | server durationMs | × the hub client\'s fetch-and-parse (cold for the first sync, else warm) | × Jackson fetch-and-parse (warm) | until SUCCEEDED visible | syncModels answered in | SUCCEEDED visible after finishedAt | rows written | hub heap before / peak |');
  lines.push('|---|---|---|---|---|---|---|---|---|');
  const heap = (s) => (s.heapPeakMiB === null || s.heapPeakMiB === undefined ? '–' : `${n(s.heapBeforeMiB)} / ${n(s.heapPeakMiB)} MiB`);
  for (const [name, s, cold] of [['first, cold JVM (right after start-up)', sy.first, true], ['no-op re-sync', sy.noop, false],
    [`first again, warm JVM (catalog deleted with SQL${sy.firstWarm && sy.firstWarm.medianOf ? `; median of ${sy.firstWarm.medianOf}: ${sy.firstWarm.durationsMs.join(', ')} ms` : ''})`, sy.firstWarm, false],
    [`no-op re-sync again, warm JVM${sy.noopWarm && sy.noopWarm.medianOf ? ` (median of ${sy.noopWarm.medianOf}: ${sy.noopWarm.durationsMs.join(', ')} ms)` : ''}`, sy.noopWarm, false]]) {
    if (!s) continue;
    const hub = hf ? ratio(s.durationMs, cold ? hf.coldMs : hf.warmMedianMs) : '–';
    lines.push(`| ${name} | ${ms(s.durationMs)} | ${hub} | ${fp ? ratio(s.durationMs, fp.warmMedianMs) : '–'} | ${ms(s.visibleMs)} | ${ms(s.answeredMs)} | ${ms(s.visibleAfterFinishedAtMs)} | ${n(s.rowsWritten)} | ${heap(s)} |`);
  }
  if (hf) lines.push(`| fetch and parse only, the hub's client (\`LiteLlmClient.deploymentPages()\`) | cold ${ms(hf.coldMs)}, warm median ${ms(hf.warmMedianMs)} | 1× | | | | | | |`);
  if (fp) lines.push(`| fetch and parse only, Jackson trees (${fp.pages} pages, ${n(fp.bytes / 1048576, 1)} MiB) | cold ${ms(fp.coldMs)}, warm median ${ms(fp.warmMedianMs)} | | 1× | | | | | |`);
  lines.push('');
  if (sy.answer) lines.push(`\`syncModels\` answer once its path is warm (${sy.answer.runs} dry runs one after another): median of the last ${sy.answer.warmHalf} ${ms(sy.answer.warmMedianMs)}, max ${ms(sy.answer.warmMaxMs)}; all: ${sy.answer.answersMs.map((x) => n(x)).join(', ')} ms.`);
  if (sy.answer) lines.push('');
  lines.push('Each run is followed as an admin UI follows it (graphql-ws `syncProgress`, then one `syncRun` query); the heap peak is read from the hub\'s GC log.');
  lines.push('');
}
const sb = results.subscribers;
if (sb) {
  lines.push(`graphql-ws: ${n(sb.subscribers)} subscribers, ${n(sb.acked)} acked (all within ${ms(sb.allAckedMs)}, ack p50 ${ms(sb.ackP50Ms)}, p99 ${ms(sb.ackP99Ms)}), `
    + `${n(sb.completed)} received COMPLETED of one sync; lag after the event's \`at\`: p50 ${ms(sb.lagP50Ms)}, p99 ${ms(sb.lagP99Ms)}, max ${ms(sb.lagMaxMs)}`
    + `${sb.errors ? `; ${sb.errors} errors (first: ${sb.firstError})` : ''}${sb.closedByServer ? `; ${sb.closedByServer} closed by the server` : ''}.`);
  lines.push('');
}
const su = results.startup;
if (su) {
  const mem = results.memoryAfterMiB || {};
  lines.push('| | start-up (process start to ready) | RSS when ready | RSS after the load (peak) |');
  lines.push('|---|---|---|---|');
  lines.push(`| hub (\`java -jar\`, defaults) | ${ms(su.hub.startupMs)} | ${n(su.hub.rssMiB)} MiB | ${mem.hub ? `${n(mem.hub.rss)} MiB (${n(mem.hub.hwm)})` : '–'} |`);
  lines.push(`| PostGraphile ${meta.versions.postgraphile} | ${ms(su.postgraphile.startupMs)} | ${n(su.postgraphile.rssMiB)} MiB | ${mem.postgraphile ? `${n(mem.postgraphile.rss)} MiB (${n(mem.postgraphile.hwm)})` : '–'} |`);
  lines.push('');
}
if (results.hubLog) lines.push(`The hub wrote ${n(results.hubLog.bytes / 1024)} KiB of log (${n(results.hubLog.errorLines)} ERROR lines) during the run.`);

const section = process.env.BENCH_README_SECTION || 'latest';
const begin = `<!-- bench/run:${section} -->`;
const end = `<!-- /bench/run:${section} -->`;
const block = `${begin}\n${lines.join('\n').trim()}\n${end}`;
let readme = fs.readFileSync(readmeFile, 'utf8');
const i = readme.indexOf(begin);
const j = readme.indexOf(end);
if (i >= 0 && j > i) readme = readme.slice(0, i) + block + readme.slice(j + end.length);
else readme = readme.trimEnd() + `\n\n### ${section}\n\n${block}\n`;
fs.writeFileSync(readmeFile, readme);
console.log(lines.join('\n'));
