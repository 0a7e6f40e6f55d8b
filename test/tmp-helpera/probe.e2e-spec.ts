import { gzipSync } from 'node:zlib';
import { createTestApp, type TestApp } from '../support/test-app.js';
describe('probe', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t?.close(); });
  it('probe', async () => {
    const zipped = gzipSync(Buffer.from(JSON.stringify({ name: 'x'.repeat(300 * 1024), slug: 'zip-bomb' })));
    let res = await t.http.post('/api/v1/caisses').set('Authorization', `Bearer ${t.adminToken}`).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send(zipped);
    console.log(res.status, res.headers, res.text);
    res = await t.http.post('/api/v1/caisses').set('Authorization', `Bearer ${t.adminToken}`).set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send(Buffer.from('nope'));
    console.log(res.status, res.text);
    res = await t.http.post('/api/v1/caisses').set('Authorization', `Bearer ${t.adminToken}`).set('Content-Type', 'application/json').send('{"name":"Caisse proto","slug":"proto-zz1","__proto__":{"polluted":true}}');
    console.log(res.status, res.text);
  });
});
