// Load generator of the purchases bench, run as its own process (fork) so the terminals' HTTP work neither shares the
// app's event loop nor counts in its CPU time. Receives {port, base, keys, payers, seconds} — terminal i pays with
// payers[i]: {card}, {card, pin} or {qr} — and answers with the figures. With `ports` instead of `port` (several API
// processes), requests go round-robin over them, one request to the next port, as a balancer in front would send them.
import http from 'node:http';
import { randomUUID } from 'node:crypto';

process.once('message', async ({ port, ports, base, keys, payers, seconds }) => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: keys.length + 8 });
  const targets = ports ?? [port];
  let next = 0;
  const post = (path, body, headers) =>
    new Promise((resolve, reject) => {
      const data = JSON.stringify(body);
      const req = http.request({ host: '127.0.0.1', port: targets[next++ % targets.length], method: 'POST', path, agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...headers } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, text }));
      });
      req.on('error', reject);
      req.end(data);
    });
  const deadline = Date.now() + seconds * 1000;
  const latencies = [];
  const refusals = [];
  let ok = 0;
  const terminal = async (i) => {
    while (Date.now() < deadline) {
      const t0 = process.hrtime.bigint();
      const r = await post(`${base}/purchases`, { ...payers[i], lines: [{ category: 'fruits-legumes', amount: '1.20' }, { category: 'epicerie', amount: '2.35' }] }, { 'X-Api-Key': keys[i], 'Idempotency-Key': `bench-${randomUUID()}` });
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (r.status === 201) ok++;
      else refusals.push(`${r.status} ${r.text}`);
    }
  };
  const t0 = Date.now();
  await Promise.all(keys.map((_, i) => terminal(i)));
  const elapsed = (Date.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  process.send({ ok, elapsed, p50: latencies[Math.floor(latencies.length * 0.5)], p99: latencies[Math.floor(latencies.length * 0.99)], failed: refusals.length, sample: refusals.slice(0, 3) }, () => process.exit(0));
});
