'use strict';
// Shared by the bench/run Node helpers: one GraphQL POST, timed, failing loudly on HTTP or GraphQL errors.
const { performance } = require('node:perf_hooks');

async function gql(url, query, variables, token, { allowErrors = false } = {}) {
  // no-store: the hub's catalog cache steps aside, so what is captured, compared and timed is an execution (the
  // cached path is load.js's hub-cached target alone)
  const headers = { 'content-type': 'application/json', accept: 'application/json', 'cache-control': 'no-store' };
  if (token) headers.authorization = `Bearer ${token}`;
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables: variables || {} }) });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`HTTP ${response.status} from ${url}: ${text.slice(0, 500)}`);
  const body = JSON.parse(text);
  if (body.errors && !allowErrors) throw new Error(`GraphQL errors from ${url}: ${JSON.stringify(body.errors).slice(0, 1000)}`);
  return { body, ms, bytes: text.length };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function loadavg() {
  return require('node:fs').readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

module.exports = { gql, median, percentile, loadavg, env };
