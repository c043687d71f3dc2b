'use strict';
// One models sync as an admin over GraphQL, followed the way an admin UI follows it: syncModels, then a graphql-ws
// subscription to syncProgress(runId) and, when it delivers COMPLETED or FAILED, a syncRun query. Measures how long
// syncModels took to answer, how long until that query shows SUCCEEDED (and how long after the run's finishedAt),
// and what the server reports (durationMs, counts, rowsWritten).
//
// The observer must not load the hub it measures: an earlier version polled syncRun every 10 ms and scraped
// /actuator/prometheus every 50 ms, which on 2 cores took a large share of the CPU from a sync in a cold JVM.
// So the heap comes from the hub's own GC log (HUB_GC_LOG, written by -Xlog:gc): the peak is the largest
// heap-before-collection in the run's window (the heap only grows between collections) or the level at its end,
// whichever is larger; the level before the mutation is one scrape of /actuator/prometheus.
// Usage: node sync.js  (HUB_URL, ADMIN_TOKEN; optional HUB_GC_LOG, TIMEOUT_S). Prints one JSON line.
const fs = require('node:fs');
const WebSocket = require('ws');
const { performance } = require('node:perf_hooks');
const { gql, env } = require('./lib');

const START = `mutation { syncModels(input: {dryRun: false}) { run { id status } userErrors { code message } } }`;
const PROGRESS = 'subscription($id: ID!) { syncProgress(runId: $id) { phase sequence at } }';
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

const UNIT = { K: 1024, M: 1048576, G: 1073741824 };

/** Largest heap before a collection, logged between two wall times: "[<iso time>] GC(n) Pause ... 150M->40M(256M)". */
function gcPeakBytes(file, fromMs, toMs) {
  if (!file || !fs.existsSync(file)) return { peak: null, collections: 0 };
  let peak = null;
  let collections = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^\[([^\]]+)\].*?\s(\d+)([KMG])->\d+[KMG]\(\d+[KMG]\)/.exec(line);
    if (!m) continue;
    const at = Date.parse(m[1].replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
    if (!(at >= fromMs && at <= toMs)) continue;
    collections++;
    peak = Math.max(peak || 0, Number(m[2]) * UNIT[m[3]]);
  }
  return { peak, collections };
}

/** Resolves with the first terminal event of the run (COMPLETED or FAILED) and the wall time it arrived. */
function followRun(wsUrl, token, id, timeoutMs) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, 'graphql-transport-ws');
    const timer = setTimeout(() => { ws.terminate(); reject(new Error(`no terminal event of sync ${id} within ${timeoutMs} ms`)); }, timeoutMs);
    let events = 0;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } })));
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString());
      if (msg.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: PROGRESS, variables: { id } } }));
      } else if (msg.type === 'ping') {
        ws.send(JSON.stringify({ type: 'pong' }));
      } else if (msg.type === 'next') {
        const event = msg.payload.data && msg.payload.data.syncProgress;
        if (!event) { clearTimeout(timer); ws.close(); reject(new Error('syncProgress: ' + JSON.stringify(msg.payload.errors))); return; }
        events++;
        if (event.phase === 'COMPLETED' || event.phase === 'FAILED') {
          clearTimeout(timer);
          ws.close(1000);
          resolve({ event, arrivedWall: Date.now(), events });
        }
      } else if (msg.type === 'error' || msg.type === 'complete') {
        clearTimeout(timer);
        ws.close();
        reject(new Error(`syncProgress ended without a terminal event: ${JSON.stringify(msg)}`));
      }
    });
    ws.on('error', (e) => { clearTimeout(timer); reject(e); });
  });
}

const mib = (bytes) => (bytes === null ? null : Math.round(bytes / 1048576));

async function main() {
  const base = env('HUB_URL');
  const url = base + '/graphql';
  const wsUrl = base.replace(/^http/, 'ws') + '/graphql';
  const token = env('ADMIN_TOKEN');
  const timeoutMs = 1000 * Number(process.env.TIMEOUT_S || 120);
  const heapBefore = await heapUsedBytes(base).catch(() => null);
  const sentAt = performance.now();
  const sentWall = Date.now();
  const started = await gql(url, START, {}, token);
  const answeredMs = performance.now() - sentAt;
  const payload = started.body.data.syncModels;
  if (payload.userErrors.length) throw new Error('syncModels: ' + JSON.stringify(payload.userErrors));
  const id = payload.run.id;
  const terminal = await followRun(wsUrl, token, id, timeoutMs);
  // COMPLETED goes out after the commit: the query right after it must already show the run's end
  let run;
  let queries = 0;
  for (;;) {
    run = (await gql(url, RUN, { id }, token)).body.data.syncRun;
    queries++;
    if (run.status !== 'RUNNING') break;
    if (queries > 100) throw new Error(`sync ${id} still RUNNING 100 queries after its ${terminal.event.phase} event`);
  }
  const visibleMs = performance.now() - sentAt;
  const visibleWall = Date.now();
  if (run.status !== 'SUCCEEDED') throw new Error(`sync ${id} ended ${run.status}: ${JSON.stringify(run.error)}`);
  const heapAfter = await heapUsedBytes(base).catch(() => null);
  const gc = gcPeakBytes(process.env.HUB_GC_LOG, sentWall, visibleWall);
  const peak = gc.peak === null && heapAfter === null ? null : Math.max(gc.peak || 0, heapAfter || 0);
  console.log(JSON.stringify({
    runId: id,
    status: run.status,
    answeredMs: Math.round(answeredMs * 10) / 10,
    visibleMs: Math.round(visibleMs),
    durationMs: run.durationMs,
    visibleAfterFinishedAtMs: run.finishedAt ? visibleWall - Date.parse(run.finishedAt) : null,
    completedAfterFinishedAtMs: run.finishedAt ? terminal.arrivedWall - Date.parse(run.finishedAt) : null,
    startedAfterSendMs: Date.parse(run.startedAt) - sentWall,
    rowsWritten: run.rowsWritten,
    counts: run.counts,
    progressEvents: terminal.events,
    queriesUntilVisible: queries,
    heapBeforeMiB: mib(heapBefore),
    heapPeakMiB: mib(peak),
    heapAfterMiB: mib(heapAfter),
    gcDuringRun: gc.collections,
  }));
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
