'use strict';
// Both servers must answer the benchmarked page with the same rows before anything is measured:
// same totalCount and, row by row, the same name, company name and slug, mode, prices and limits.
// Usage: node compare.js HUB_QUERY_FILE PG_QUERY_FILE (HUB_URL, PG_URL). Exits 1 on any difference.
const fs = require('node:fs');
const { gql, env } = require('./lib');

// exact decimal text without trailing zeros ("1e-7", "0.000000100000000000" -> "0.0000001")
function dec(value) {
  if (value === null || value === undefined) return null;
  let text = String(value).trim().toLowerCase();
  let exponent = 0;
  const e = text.indexOf('e');
  if (e >= 0) { exponent = Number(text.slice(e + 1)); text = text.slice(0, e); }
  let sign = '';
  if (text.startsWith('-')) { sign = '-'; text = text.slice(1); }
  let [int, frac = ''] = text.split('.');
  let digits = int + frac;
  let point = int.length + exponent;
  if (point < 0) { digits = '0'.repeat(-point) + digits; point = 0; }
  if (point > digits.length) digits = digits + '0'.repeat(point - digits.length);
  int = digits.slice(0, point).replace(/^0+/, '') || '0';
  frac = digits.slice(point).replace(/0+$/, '');
  return sign + int + (frac ? '.' + frac : '');
}

function hubRow(n) {
  return {
    id: n.id, name: n.name, mode: n.mode,
    company: n.company ? `${n.company.name} (${n.company.slug})` : null,
    input: dec(n.pricing.inputCostPerToken), output: dec(n.pricing.outputCostPerToken),
    maxTokens: n.limits.maxTokens, maxInputTokens: n.limits.maxInputTokens, maxOutputTokens: n.limits.maxOutputTokens,
    rpm: dec(n.limits.rpm), tpm: dec(n.limits.tpm),
  };
}

function pgRow(n) {
  const c = n.companyByCompanyId;
  return {
    id: n.id, name: n.name, mode: n.mode,
    company: c ? `${c.name} (${c.slug})` : null,
    input: dec(n.inputCostPerToken), output: dec(n.outputCostPerToken),
    maxTokens: n.maxTokens, maxInputTokens: n.maxInputTokens, maxOutputTokens: n.maxOutputTokens,
    rpm: dec(n.rpm), tpm: dec(n.tpm),
  };
}

async function main() {
  const [hubFile, pgFile] = process.argv.slice(2);
  const hub = (await gql(env('HUB_URL') + '/graphql', fs.readFileSync(hubFile, 'utf8'))).body.data.models;
  const pg = (await gql(env('PG_URL') + '/graphql', fs.readFileSync(pgFile, 'utf8'))).body.data.allModels;
  const problems = [];
  if (hub.totalCount !== pg.totalCount) problems.push(`totalCount: hub ${hub.totalCount}, PostGraphile ${pg.totalCount}`);
  const a = hub.nodes.map(hubRow);
  const b = pg.nodes.map(pgRow);
  if (a.length !== 50 || b.length !== 50) problems.push(`rows: hub ${a.length}, PostGraphile ${b.length} (want 50)`);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = JSON.stringify(a[i]);
    const y = JSON.stringify(b[i]);
    if (x !== y) problems.push(`row ${i + 1}:\n  hub          ${x}\n  PostGraphile ${y}`);
  }
  if (problems.length) {
    console.error('hub and PostGraphile do NOT answer the same page:\n' + problems.slice(0, 10).join('\n'));
    process.exit(1);
  }
  const companies = new Set(a.map((r) => r.company)).size;
  console.log(JSON.stringify({ same: true, totalCount: hub.totalCount, rows: a.length, companies,
    first: a[0].name, last: a[a.length - 1].name, sample: a[0] }));
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
