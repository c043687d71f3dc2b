'use strict';
// One models sync as an admin over GraphQL: how long syncModels took to answer, how long until an admin sees
// SUCCEEDED (polling syncRun every POLL_MS), and what the server reports (durationMs, counts, rowsWritten).
// Also the hub's heap during the run, from its own /actuator/prometheus (jvm_memory_used_bytes, area="heap", summed
// over the pools), sampled every HEAP_MS: the level just before the mutation and the peak until SUCCEEDED.
// Usage: node sync.js  (HUB_URL, ADMIN_TOKEN; optional POLL_MS, HEAP_MS, TIMEOUT_S). Prints one JSON line.
const { performance } = require('node:perf_hooks');
const { gql, env } = require('./lib');

const START = `mutation { syncModels(input: {dryRun: false}) { run { id status } userErrors { code message } } }`;
const RUN = `query($id: ID!) { syncRun(id: $id) { id status durationMs rowsWritten startedAt finishedAt
  counts { created updated unchanged stale failed skipped } error { code message } } }`;

async function heapUsedBytes(base) {
  const text = await (await fetch(base + '/actuator/prometheus')).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('jvm_memory_used_bytes{') && line.includes('area="heap"')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

function heapSampler(base, everyMs) {
  let peak = 0;
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        peak = Math.max(peak, await heapUsedBytes(base));
        samples++;
      } catch (e) { /* a missed sample */ }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return { stop: async () => { stopped = true; await loop; return { peak, samples }; } };
}

const mib = (bytes) => Math.round(bytes / 1048576);

async function main() {
  const base = env('HUB_URL');
  const url = base + '/graphql';
  const heapBefore = await heapUsedBytes(base).catch(() => null);
  const heap = heapSampler(base, Number(process.env.HEAP_MS || 50));
  const token = env('ADMIN_TOKEN');
  const pollMs = Number(process.env.POLL_MS || 10);
  const deadline = Date.now() + 1000 * Number(process.env.TIMEOUT_S || 120);
  const sentAt = performance.now();
  const sentWall = Date.now();
  const started = await gql(url, START, {}, token);
  const answeredMs = performance.now() - sentAt;
  const payload = started.body.data.syncModels;
  if (payload.userErrors.length) throw new Error('syncModels: ' + JSON.stringify(payload.userErrors));
  const id = payload.run.id;
  let run;
  let polls = 0;
  for (;;) {
    run = (await gql(url, RUN, { id }, token)).body.data.syncRun;
    polls++;
    if (run.status !== 'RUNNING') break;
    if (Date.now() > deadline) throw new Error(`sync ${id} still RUNNING after ${process.env.TIMEOUT_S || 120} s`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const visibleMs = performance.now() - sentAt;
  const visibleWall = Date.now();
  const heapSeen = await heap.stop();
  if (run.status !== 'SUCCEEDED') throw new Error(`sync ${id} ended ${run.status}: ${JSON.stringify(run.error)}`);
  console.log(JSON.stringify({
    runId: id,
    status: run.status,
    answeredMs: Math.round(answeredMs * 10) / 10,
    visibleMs: Math.round(visibleMs),
    durationMs: run.durationMs,
    visibleAfterFinishedAtMs: run.finishedAt ? visibleWall - Date.parse(run.finishedAt) : null,
    startedAfterSendMs: Date.parse(run.startedAt) - sentWall,
    rowsWritten: run.rowsWritten,
    counts: run.counts,
    polls,
    pollMs,
    heapBeforeMiB: heapBefore === null ? null : mib(heapBefore),
    heapPeakMiB: heapSeen.samples ? mib(heapSeen.peak) : null,
    heapSamples: heapSeen.samples,
  }));
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
