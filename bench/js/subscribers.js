'use strict';
// N graphql-ws subscribers of syncEvents(kind: MODELS) on one hub, then one models sync: every socket must be
// acked, and every subscriber must receive that run's COMPLETED event. Lag = arrival time - the event's `at`.
// Env: HUB_URL ADMIN_TOKEN; optional SUBSCRIBERS (1000) TIMEOUT_S (120). Prints one JSON line; exits 1 unless
// all were acked and all got COMPLETED.
const WebSocket = require('ws');
const { performance } = require('node:perf_hooks');
const { gql, percentile, env } = require('./lib');

const SUBSCRIPTION = 'subscription { syncEvents(kind: MODELS) { runId phase at sequence } }';
const START = 'mutation { syncModels(input: {dryRun: false}) { run { id } userErrors { code message } } }';

async function main() {
  const httpUrl = env('HUB_URL');
  const wsUrl = httpUrl.replace(/^http/, 'ws') + '/graphql';
  const token = env('ADMIN_TOKEN');
  const n = Number(process.env.SUBSCRIBERS || 1000);
  const timeoutMs = 1000 * Number(process.env.TIMEOUT_S || 120);
  let runId = null;
  const subscribers = [];
  const t0 = performance.now();
  let resolveAcked;
  let resolveDone;
  const allAcked = new Promise((r) => { resolveAcked = r; });
  const allDone = new Promise((r) => { resolveDone = r; });
  let acked = 0;
  let completed = 0;
  let finishedCount = 0; // counted, not filtered per event: 1,000 subscribers x 20 events made that 20M calls
  const finished = () => finishedCount;

  for (let i = 0; i < n; i++) {
    const s = { ackMs: null, completedLag: null, firstLag: null, failed: false, events: 0, error: null, closed: null, early: [] };
    subscribers.push(s);
    const ws = new WebSocket(wsUrl, 'graphql-transport-ws');
    s.ws = ws;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } })));
    ws.on('message', (data) => {
      const now = Date.now();
      const msg = JSON.parse(data.toString());
      if (msg.type === 'connection_ack') {
        s.ackMs = performance.now() - t0;
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION } }));
        if (++acked === n) resolveAcked();
      } else if (msg.type === 'ping') {
        ws.send(JSON.stringify({ type: 'pong' }));
      } else if (msg.type === 'next') {
        const event = msg.payload.data && msg.payload.data.syncEvents;
        if (!event) { s.error = JSON.stringify(msg.payload.errors); return; }
        if (runId === null) { s.early.push({ event, now }); return; }
        handle(s, event, now);
      } else if (msg.type === 'error') {
        s.error = JSON.stringify(msg.payload);
      }
    });
    ws.on('error', (e) => { s.error = String(e.message || e); });
    ws.on('close', (code) => { s.closed = code; });
  }

  function handle(s, event, now) {
    if (event.runId !== runId) return; // the replayed event of an earlier run
    s.events++;
    if (s.firstLag === null) s.firstLag = now - Date.parse(event.at);
    if (event.phase === 'COMPLETED' && s.completedLag === null) {
      s.completedLag = now - Date.parse(event.at);
      completed++;
      finishedCount++;
    } else if (event.phase === 'FAILED' && !s.failed) {
      s.failed = true;
      finishedCount++;
    }
    if (finished() === n) resolveDone();
  }

  const timer = (ms, what) => new Promise((_, reject) => setTimeout(() => reject(new Error(what)), ms).unref());
  try {
    await Promise.race([allAcked, timer(timeoutMs, 'timeout waiting for acks')]);
  } catch (e) { /* reported below */ }
  const allAckedMs = acked === n ? performance.now() - t0 : null;
  // long-lived subscribers (dashboards) are subscribed well before a sync starts: let the subscribe messages land
  await new Promise((r) => setTimeout(r, 1000));
  // this client's own CPU while the run's events arrive: one process parses every subscriber's messages, so a
  // lag that grows from the first event to COMPLETED while this is near 100 % of a core is this client's
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const started = await gql(httpUrl + '/graphql', START, {}, token);
  if (started.body.data.syncModels.userErrors.length) throw new Error(JSON.stringify(started.body.data.syncModels.userErrors));
  runId = started.body.data.syncModels.run.id;
  for (const s of subscribers) for (const { event, now } of s.early.splice(0)) handle(s, event, now);
  if (finished() === n) resolveDone();
  let timedOut = false;
  try {
    await Promise.race([allDone, timer(timeoutMs, 'timeout')]);
  } catch (e) { timedOut = true; }
  const cpu = process.cpuUsage(cpu0);
  const clientCpuMs = Math.round((cpu.user + cpu.system) / 1000);
  const clientWallMs = Math.round(performance.now() - wall0);
  const lags = subscribers.filter((s) => s.completedLag !== null).map((s) => s.completedLag);
  const firstLags = subscribers.filter((s) => s.firstLag !== null).map((s) => s.firstLag);
  const events = subscribers.reduce((sum, s) => sum + s.events, 0);
  const acks = subscribers.filter((s) => s.ackMs !== null).map((s) => s.ackMs);
  const errors = subscribers.filter((s) => s.error).map((s) => s.error);
  const result = {
    subscribers: n, acked, completed, failed: subscribers.filter((s) => s.failed).length,
    errors: errors.length, firstError: errors[0] || null, timedOut,
    closedByServer: subscribers.filter((s) => s.closed !== null).length,
    allAckedMs: allAckedMs === null ? null : Math.round(allAckedMs),
    ackP50Ms: Math.round(percentile(acks, 50)), ackP99Ms: Math.round(percentile(acks, 99)),
    lagP50Ms: percentile(lags, 50), lagP99Ms: percentile(lags, 99), lagMaxMs: lags.length ? Math.max(...lags) : null,
    firstEventLagP50Ms: percentile(firstLags, 50), events, clientCpuMs, clientWallMs,
    runId,
  };
  for (const s of subscribers) s.ws.terminate();
  console.log(JSON.stringify(result));
  process.exit(acked === n && completed === n ? 0 : 1);
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
