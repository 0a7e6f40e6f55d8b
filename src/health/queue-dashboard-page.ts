import type { FastifyInstance } from 'fastify';

/**
 * The queue dashboard's page: static, public, holding no data. Its script asks for a platform admin's access token
 * (kept in sessionStorage only) and calls the JSON routes with it, so the admin guard protects every figure and action.
 * No inline script: works under a strict CSP, like the API docs page.
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Caisse – job queues</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:14px system-ui,sans-serif;margin:1.5rem;max-width:70rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}pre{margin:0;white-space:pre-wrap;font-size:12px}
.bad{color:#a00}button{margin-right:.25rem}</style></head>
<body><h1>Job queues</h1>
<form id="auth"><label>Platform admin access token <input id="token" type="password" size="40" autocomplete="off"></label> <button>Use</button></form>
<p id="status" role="status"></p><div id="queues"></div>
<script src="/api/ops/queues/app.js"></script></body></html>`;

export const DASHBOARD_JS = `'use strict';
const api = '/api/v1/ops/queues';
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
async function call(path, method = 'GET', body) {
  const res = await fetch(api + path, { method, headers: { Authorization: 'Bearer ' + sessionStorage.getItem('caisse-token'), ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.detail || res.status);
  return json;
}
async function render() {
  $('status').textContent = 'Loading…';
  try {
    const queues = await call('');
    let html = '<table><tr><th>queue</th><th>connection</th><th>waiting</th><th>active</th><th>delayed</th><th>failed</th><th>completed</th><th>schedules</th><th></th></tr>';
    for (const q of queues) {
      const c = q.counts || {};
      html += '<tr><td>' + esc(q.name) + '</td><td class="' + (q.ready ? '' : 'bad') + '">' + esc(q.connection) + '</td>' +
        ['waiting', 'active', 'delayed', 'failed', 'completed'].map((k) => '<td>' + esc(c[k] ?? '–') + '</td>').join('') +
        '<td>' + q.schedules.map((s) => esc(s.name + ' ' + s.cron) + (s.present ? '' : ' <b class="bad">missing</b>')).join('<br>') + '</td>' +
        '<td><button data-clean="' + esc(q.name) + '" data-status="failed">clean failed</button><button data-clean="' + esc(q.name) + '" data-status="completed">clean completed</button></td></tr>';
    }
    html += '</table>';
    for (const q of queues) {
      if (!q.counts || !q.counts.failed) continue;
      const failed = await call('/' + encodeURIComponent(q.name) + '/jobs?status=failed&limit=50');
      html += '<h2>' + esc(q.name) + ': failed jobs</h2><table><tr><th>job</th><th>attempts</th><th>reason</th><th>finished</th><th></th></tr>' +
        failed.items.map((j) => '<tr><td>' + esc(j.name) + ' ' + esc(j.id) + '<pre>' + esc(JSON.stringify(j.data)) + '</pre></td><td>' + esc(j.attemptsMade) +
          '</td><td>' + esc(j.failedReason) + '<pre>' + esc(j.stacktrace.join('\\n')) + '</pre></td><td>' + esc(j.finishedAt) +
          '</td><td><button data-retry="' + esc(q.name) + '" data-job="' + esc(j.id) + '">retry</button></td></tr>').join('') + '</table>';
    }
    $('queues').innerHTML = html;
    $('status').textContent = 'Updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    $('status').textContent = 'Error: ' + e.message;
  }
}
$('auth').addEventListener('submit', (e) => { e.preventDefault(); sessionStorage.setItem('caisse-token', $('token').value); $('token').value = ''; render(); });
$('queues').addEventListener('click', async (e) => {
  const b = e.target.closest('button');
  if (!b) return;
  try {
    if (b.dataset.retry) await call('/' + encodeURIComponent(b.dataset.retry) + '/jobs/' + encodeURIComponent(b.dataset.job) + '/retry', 'POST');
    if (b.dataset.clean) await call('/' + encodeURIComponent(b.dataset.clean) + '/clean', 'POST', { status: b.dataset.status });
  } catch (err) { $('status').textContent = 'Error: ' + err.message; return; }
  render();
});
if (sessionStorage.getItem('caisse-token')) render();
setInterval(() => sessionStorage.getItem('caisse-token') && render(), 10000);
`;

/** Two plain routes, like the API docs page: static files, outside the API (and its OpenAPI document). */
export function serveQueueDashboardPage(fastify: FastifyInstance): void {
  fastify.get('/api/ops/queues', (_req, reply) => reply.type('text/html; charset=utf-8').send(DASHBOARD_HTML));
  fastify.get('/api/ops/queues/app.js', (_req, reply) => reply.type('application/javascript; charset=utf-8').send(DASHBOARD_JS));
}
