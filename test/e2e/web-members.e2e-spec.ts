import { createMember } from '../support/member-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { webLogin, type WebClient } from '../support/web-fixtures.js';

describe('Web pages: members for the treasury and admins (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let admin: WebClient;
  const base = () => `/caisses/${caisseId}/membres`;
  beforeAll(async () => {
    t = await createTestApp();
    let tokens;
    ({ caisseId, tokens } = await t.newCaisse());
    await createMember(t, caisseId, tokens.admin, { firstName: 'Zoé', lastName: '<script>alert(1)</script>' });
    await createMember(t, caisseId, tokens.admin, { firstName: 'Karim', lastName: 'Haddad' });
    admin = await webLogin(t, caisseId, 'admin');
    // Booting the app (and chromium) on a loaded shared CI machine can take well over the default minute.
  }, 180_000);
  afterAll(() => t.close());

  it('lists and searches members by name or number, escaping what they typed', async () => {
    const treasurer = await webLogin(t, caisseId, 'treasurer');
    const all = await treasurer.get(base());
    expect(all.status).toBe(200);
    expect(all.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(all.text).not.toContain('<script>alert(1)');
    const byName = await treasurer.get(`${base()}?q=hadd`);
    expect(byName.text).toContain('Haddad');
    expect(byName.text).not.toContain('Zoé');
    const byNumber = await treasurer.get(`${base()}?q=M00000001`);
    expect(byNumber.text).toContain('Zoé');
    expect(byNumber.text).not.toContain('Haddad');
    expect((await treasurer.get(`${base()}/nouveau`)).status).toBe(403);
  });

  it('enrols a member from the form, showing the PIN once, and names the wrong fields otherwise', async () => {
    await admin.get(`${base()}/nouveau`);
    const bad = await admin.post(base(), { firstName: 'Léa', lastName: 'Martin', commune: 'abc', status: 'active', joinedOn: '2026-01-05', adults: '0' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="f-commune-error"/);
    expect(bad.text).toMatch(/id="f-adults-error"/);
    const page = await admin.get(`${base()}/nouveau`);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(page.text)![1];
    const form = { firstName: 'Léa', lastName: 'Martin', commune: '34172', status: 'active', joinedOn: '2026-01-05', adults: '2', children: '2015 2019', idempotencyKey: key };
    const ok = await admin.post(base(), form);
    expect(ok.status).toBe(201);
    expect(ok.text).toMatch(/Code de la carte : <strong class="pin">\d{4}<\/strong>/);
    const replay = await admin.post(base(), form);
    expect(replay.text).toContain('déjà inscrit');
    expect(replay.text).not.toContain('class="pin"');
    const [{ n }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM members WHERE caisse_id = $1 AND last_name = 'Martin'`, [caisseId]);
    expect(n).toBe(1);
  });

  it('previews a CSV import with each line’s errors, then imports a clean file', async () => {
    await admin.get(`${base()}/import`);
    const header = 'firstName,lastName,commune,status,joinedOn,adults';
    const bad = await admin.post(`${base()}/import`, { csv: `${header}\nAna,Silva,34172,active,2026-01-05,1\nBob,Lee,nope,active,2026-01-05,1\n`, action: 'preview' });
    expect(bad.status).toBe(200);
    expect(bad.text).toContain('2 ligne(s) lue(s), 1 valide(s), 1 en erreur.');
    expect(bad.text).not.toContain('value="import"');
    const csv = `${header}\nAna,Silva,34172,active,2026-01-05,1\nBob,Lee,34172,active,2026-01-05,1\n`;
    const preview = await admin.post(`${base()}/import`, { csv, action: 'preview' });
    expect(preview.text).toContain('value="import"');
    const done = await admin.post(`${base()}/import`, { csv, action: 'import' });
    expect(done.status).toBe(201);
    expect(done.text).toContain('Import terminé');
    const [{ n }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM members WHERE caisse_id = $1 AND last_name IN ('Silva', 'Lee')`, [caisseId]);
    expect(n).toBe(2);
  });

  it('resets a PIN (shown once) and unlocks a locked card', async () => {
    const [m] = await t.sql<{ id: string }>(`SELECT id FROM members WHERE caisse_id = $1 AND last_name = 'Haddad'`, [caisseId]);
    await t.sql(`UPDATE member_cards SET locked_at = now(), pin_attempts = 3 WHERE member_id = $1`, [m.id]);
    const page = await admin.get(`${base()}/${m.id}`);
    expect(page.text).toContain('Verrouillée');
    const unlocked = await admin.post(`${base()}/${m.id}/deverrouillage`, {});
    expect(unlocked.status).toBe(303);
    expect((await admin.get(unlocked.headers.location as string)).text).toContain('Carte déverrouillée.');
    const reset = await admin.post(`${base()}/${m.id}/code`, {});
    expect(reset.text).toMatch(/class="pin">\d{4}</);
  });
});
