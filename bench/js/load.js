'use strict';
// HTTP load, hub against PostGraphile, with autocannon: both warmed until three chunks in a row agree, then
// ROUNDS interleaved rounds over CONNECTIONS, DURATION seconds a point. Per point: rps, latency p50/p99, errors,
// the server process's CPU per request (from /proc/PID/stat) and the load average. Medians over the rounds.
// Env: HUB_URL PG_URL HUB_QUERY PG_QUERY HUB_PID PG_PID OUT [PG_POSTMASTER_PID: PostgreSQL's CPU per request too]; optional CONNECTIONS (1,8,32) DURATION (10)
// ROUNDS (3) WARM_CHUNK (=DURATION) WARM_TOLERANCE (0.05) WARM_MIN_S (120) WARM_MAX_CHUNKS (30) WARM_CONNECTIONS (32)
const fs = require('node:fs');
const autocannon = require('autocannon');
const { gql, median, loadavg, env } = require('./lib');

const TICKS = 100; // USER_HZ on Linux

function cpuMs(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS; // utime + stime
}

// CPU of every PostgreSQL backend now alive (children of the postmaster), by pid
function dbCpu() {
  const postmaster = Number(process.env.PG_POSTMASTER_PID || 0);
  const byPid = new Map();
  if (!postmaster) return byPid;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === postmaster) byPid.set(name, ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS);
    } catch (e) { /* gone */ }
  }
  return byPid;
}

function dbCpuSince(before) {
  let total = 0;
  for (const [pid, ms] of dbCpu()) total += ms - (before.get(pid) || 0);
  return total;
}

function rssMiB(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number((new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status) || [0, 0])[1]);
  return { rss: Math.round(kb('VmRSS') / 1024), hwm: Math.round(kb('VmHWM') / 1024) };
}

function run(opts) {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function point(target, connections, duration) {
  const cpuBefore = cpuMs(target.pid);
  const dbBefore = dbCpu();
  const load = loadavg();
  const r = await run({
    url: target.url + '/graphql', method: 'POST', connections, duration, pipelining: 1,
    headers: { 'content-type': 'application/json', accept: 'application/json', ...target.headers }, body: target.body,
  });
  const cpu = cpuMs(target.pid) - cpuBefore;
  const db = dbCpuSince(dbBefore);
  const ok = r.requests.total - r.non2xx;
  // every point must still be answered correctly, not just quickly
  await gql(target.url + '/graphql', target.query);
  return {
    target: target.name, connections, duration,
    rps: Math.round(r.requests.average * 10) / 10,
    requests: r.requests.total,
    p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max,
    non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
    cpuMsPerRequest: ok > 0 ? Math.round((cpu / ok) * 1000) / 1000 : null,
    dbCpuMsPerRequest: ok > 0 && process.env.PG_POSTMASTER_PID ? Math.round((db / ok) * 1000) / 1000 : null,
    loadavg1: load[0],
  };
}

async function warm(target, connections, chunk, tolerance, maxChunks, minChunks) {
  const chunks = [];
  for (let i = 0; i < maxChunks; i++) {
    const p = await point(target, connections, chunk);
    chunks.push(p.rps);
    process.stderr.write(`  warm ${target.name} chunk ${i + 1}: ${p.rps} rps, p99 ${p.p99} ms\n`);
    if (chunks.length >= Math.max(3, minChunks)) {
      const last = chunks.slice(-3);
      const spread = (Math.max(...last) - Math.min(...last)) / median(last);
      if (spread <= tolerance) return { chunks, settled: true, spread: Math.round(spread * 1000) / 1000 };
    }
  }
  return { chunks, settled: false };
}

async function main() {
  const duration = Number(process.env.DURATION || 10);
  const rounds = Number(process.env.ROUNDS || 3);
  const connectionsList = (process.env.CONNECTIONS || '1,8,32').split(',').map(Number);
  const chunk = Number(process.env.WARM_CHUNK || duration);
  const tolerance = Number(process.env.WARM_TOLERANCE || 0.05);
  const maxChunks = Number(process.env.WARM_MAX_CHUNKS || 30);
  const warmConnections = Number(process.env.WARM_CONNECTIONS || 32);
  // the hub's JIT needs about two minutes of load: chunks that agree before then only show a plateau
  const minChunks = Math.ceil(Number(process.env.WARM_MIN_S || 120) / chunk);
  const target = (name, url, file, pid, headers = {}) => {
    const query = fs.readFileSync(file, 'utf8');
    return { name, url, query, pid: Number(pid), body: JSON.stringify({ query }), headers };
  };
  // "hub" is the uncached path: Cache-Control: no-store makes the hub's catalog cache step aside entirely, so
  // every request executes as it would with the cache off. "hub-cached" is the same request as a browser sends it.
  const hub = target('hub', env('HUB_URL'), env('HUB_QUERY'), env('HUB_PID'), { 'cache-control': 'no-store' });
  const cached = target('hub-cached', env('HUB_URL'), env('HUB_QUERY'), env('HUB_PID'));
  // PG_URL empty (bench/run BENCH_SKIP_PGL=1): the hub alone
  const targets = process.env.PG_URL ? [hub, target('postgraphile', env('PG_URL'), env('PG_QUERY'), env('PG_PID'))] : [hub];
  if (process.env.BENCH_CACHED !== '0') targets.push(cached);

  const warmup = {};
  for (const t of targets) {
    // hub-cached shares the hub's JVM, already warm by then: three agreeing chunks are enough
    const least = t === cached ? 3 : minChunks;
    process.stderr.write(`warming ${t.name} at ${warmConnections} connections, ${chunk} s chunks, at least ${least}, until 3 agree within ${tolerance * 100}%\n`);
    warmup[t.name] = { connections: warmConnections, chunkS: chunk, ...(await warm(t, warmConnections, chunk, tolerance, maxChunks, least)) };
  }
  const points = [];
  for (let round = 1; round <= rounds; round++) {
    for (const c of connectionsList) {
      for (const t of round % 2 ? targets : [...targets].reverse()) {
        const p = { round, ...(await point(t, c, duration)) };
        points.push(p);
        process.stderr.write(`  round ${round} ${t.name} c=${c}: ${p.rps} rps, p99 ${p.p99} ms, cpu ${p.cpuMsPerRequest} ms/req, load ${p.loadavg1}\n`);
      }
    }
  }
  const medians = {};
  for (const t of targets) {
    medians[t.name] = {};
    for (const c of connectionsList) {
      const ps = points.filter((p) => p.target === t.name && p.connections === c);
      medians[t.name][c] = {
        rps: median(ps.map((p) => p.rps)), p50: median(ps.map((p) => p.p50)), p99: median(ps.map((p) => p.p99)),
        cpuMsPerRequest: median(ps.map((p) => p.cpuMsPerRequest)),
        dbCpuMsPerRequest: median(ps.map((p) => p.dbCpuMsPerRequest)),
        errors: ps.reduce((n, p) => n + p.errors + p.non2xx + p.timeouts, 0),
      };
    }
  }
  const memory = Object.fromEntries(targets.filter((t) => t !== cached).map((t) => [t.name, rssMiB(t.pid)]));
  fs.writeFileSync(env('OUT'), JSON.stringify({ duration, rounds, connections: connectionsList, warmup, points, medians, memoryAfterMiB: memory }, null, 2));
  process.stderr.write(`load: medians ${JSON.stringify(medians)}\n`);
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
