'use strict';
// The SQL one GraphQL request makes, read from PostgreSQL's own statement log (log_statement = all, jsonlog):
// everything the server executed between two marker statements, less the markers and the hub's LISTEN
// connection. Optionally writes the statements, with the logged parameter values inlined, as a pgbench script.
// Usage: node capture.js URL QUERY_FILE [VARIABLES_JSON] [--token T] [--pgbench OUT.sql] [--repeat 3]
//   (PGLOG = the jsonlog file; PGHOST/PGPORT/PGUSER/PGDATABASE for psql). Prints one JSON line.
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { gql, env } = require('./lib');

function psql(sql) {
  execFileSync('psql', ['-X', '-q', '-At', '-c', sql], { env: { ...process.env, PGAPPNAME: 'bench-marker' }, stdio: ['ignore', 'pipe', 'inherit'] });
}

function parseParams(detail) {
  const params = {};
  if (!detail || !detail.startsWith('parameters: ')) return params;
  const re = /\$(\d+) = ('(?:[^']|'')*'|NULL)/g;
  let m;
  while ((m = re.exec(detail)) !== null) params[m[1]] = m[2];
  return params;
}

function inline(text, params) {
  return text.replace(/\$(\d+)/g, (all, n) => {
    if (!(n in params)) throw new Error(`no logged value for $${n} in: ${text}`);
    return params[n];
  });
}

async function captureOnce(url, queryFile, variablesJson, token) {
  const logFile = env('PGLOG');
  const mark = randomUUID();
  const offset = fs.statSync(logFile).size;

  psql(`SELECT 'bench-mark ${mark} start'`);
  const answer = await gql(url, fs.readFileSync(queryFile, 'utf8'), variablesJson ? JSON.parse(variablesJson) : {}, token);
  psql(`SELECT 'bench-mark ${mark} end'`);

  let entries = [];
  for (let tries = 0; ; tries++) {
    const fd = fs.openSync(logFile, 'r');
    const size = fs.fstatSync(fd).size;
    const buffer = Buffer.alloc(size - offset);
    fs.readSync(fd, buffer, 0, buffer.length, offset);
    fs.closeSync(fd);
    entries = buffer.toString('utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
    if (entries.some((e) => (e.message || '').includes(`bench-mark ${mark} end`))) break;
    if (tries > 100) throw new Error(`end marker not in ${logFile} after 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const start = entries.findIndex((e) => (e.message || '').includes(`bench-mark ${mark} start`));
  const end = entries.findIndex((e) => (e.message || '').includes(`bench-mark ${mark} end`));
  if (start < 0) throw new Error('start marker not found: is log_statement = all?');
  const statements = [];
  for (const e of entries.slice(start + 1, end)) {
    const app = e.application_name || '';
    if (app === 'bench-marker' || app.startsWith('oneuihub-sync-listener')) continue;
    const m = /^(?:statement|execute [^:]*): ([\s\S]*)$/.exec(e.message || '');
    if (!m) continue;
    statements.push({ pid: e.pid, app, text: m[1].trim(), params: parseParams(e.detail) });
  }
  if (statements.length === 0) throw new Error('the request ran no SQL between the markers');

  return { statements, answer };
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name) => { const i = args.indexOf(name); if (i < 0) return null; const v = args[i + 1]; args.splice(i, 2); return v; };
  const token = opt('--token');
  const pgbenchOut = opt('--pgbench');
  const repeat = Number(opt('--repeat') || 3);
  const [url, queryFile, variablesJson] = args;
  // the hub's background jobs (the abandoned-run sweep, lease renewals) can land between the markers and only
  // ever add statements: of several captures, the one with the fewest is the request's own
  const tries = [];
  for (let i = 0; i < repeat; i++) tries.push(await captureOnce(url, queryFile, variablesJson, token));
  const { statements, answer } = tries.reduce((best, t) => (t.statements.length < best.statements.length ? t : best));

  if (pgbenchOut) {
    // one pgbench transaction = one request: each backend's statements in the order that backend ran them
    const pids = [...new Set(statements.map((s) => s.pid))];
    const lines = [];
    for (const pid of pids) {
      for (const s of statements.filter((x) => x.pid === pid)) {
        const sql = inline(s.text, s.params).replace(/;\s*$/, '');
        // pgbench reads :name as a variable; a logged value containing one would be mangled
        if (/:[A-Za-z0-9_]/.test(sql.replace(/::/g, ''))) {
          throw new Error('this statement has a :name that pgbench would read as a variable: ' + sql.slice(0, 300));
        }
        lines.push(sql + ';');
      }
    }
    fs.writeFileSync(pgbenchOut, lines.join('\n') + '\n');
  }
  console.log(JSON.stringify({
    count: statements.length,
    backends: new Set(statements.map((s) => s.pid)).size,
    responseBytes: answer.bytes,
    tries: tries.map((t) => t.statements.length),
    statements: statements.map((s) => ({ pid: s.pid, text: s.text, params: s.params })),
  }));
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
