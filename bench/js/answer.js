'use strict';
// How fast syncModels answers once its path is warm: RUNS dry-run syncModels mutations one after another (each
// awaited until its run ends, polling syncRun every 100 ms), timing each answer. The sync runs in sync.js are the
// first three calls of that mutation in a fresh JVM, so their answer times are mostly first-call costs.
// Env: HUB_URL ADMIN_TOKEN; optional RUNS (12). Prints one JSON line.
const { performance } = require('node:perf_hooks');
const { gql, median, percentile, env } = require('./lib');

const START = 'mutation { syncModels(input: {dryRun: true}) { run { id status } userErrors { code message } } }';
const STATUS = 'query($id: ID!) { syncRun(id: $id) { status } }';

async function main() {
  const url = env('HUB_URL') + '/graphql';
  const token = env('ADMIN_TOKEN');
  const runs = Number(process.env.RUNS || 12);
  const answers = [];
  for (let i = 0; i < runs; i++) {
    const sent = performance.now();
    const started = await gql(url, START, {}, token);
    answers.push(performance.now() - sent);
    const payload = started.body.data.syncModels;
    if (payload.userErrors.length) throw new Error('syncModels: ' + JSON.stringify(payload.userErrors));
    for (;;) {
      const status = (await gql(url, STATUS, { id: payload.run.id }, token)).body.data.syncRun.status;
      if (status === 'SUCCEEDED') break;
      if (status !== 'RUNNING') throw new Error(`dry run ${payload.run.id} ended ${status}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const warm = answers.slice(Math.floor(runs / 2));
  const round = (x) => Math.round(x * 10) / 10;
  console.log(JSON.stringify({ runs, answersMs: answers.map(round), warmHalf: warm.length, warmMedianMs: round(median(warm)),
    warmMaxMs: round(Math.max(...warm)), p90Ms: round(percentile(answers, 90)) }));
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
