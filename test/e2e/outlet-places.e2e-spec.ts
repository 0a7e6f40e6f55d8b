import { bearer, conventionnedOutlet, createOutlet, decision, inDays, shopPlace, transition } from '../support/outlet-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** The next date (after today) falling on an ISO weekday, as YYYY-MM-DD. */
function nextWeekday(isoDay: number): string {
  const d = new Date(`${inDays(1)}T12:00:00Z`);
  while (((d.getUTCDay() + 6) % 7) + 1 !== isoDay) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

describe('outlet places and hours (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Awaited<ReturnType<TestApp['newCaisse']>>['tokens'];
  const places = (outletId: string, path = '') => `/api/v1/caisses/${caisseId}/outlets/${outletId}/places${path}`;

  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
  });
  afterAll(async () => t?.close());

  it('adds a shop with hours, replaces it, and removes it', async () => {
    const o = await createOutlet(t, caisseId, tokens.admin);
    const added = await t.http.post(places(o.id)).set(bearer(tokens.admin)).send(shopPlace({ address: '1 rue Neuve', accessNotes: 'Sonner au portail' }));
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      kind: 'shop',
      commune: '34142',
      alwaysOpen: false,
      accessNotes: 'Sonner au portail',
      hours: [
        { weekday: 2, opens: '09:00', closes: '12:00' },
        { weekday: 5, opens: '15:00', closes: '19:00' },
      ],
    });
    const replaced = await t.http.put(places(o.id, `/${added.body.id}`)).set(bearer(tokens.treasurer)).send(shopPlace({ hours: [{ weekday: 6, opens: '08:00', closes: '24:00' }] }));
    expect(replaced.body.hours).toEqual([{ weekday: 6, opens: '08:00', closes: '24:00' }]);
    expect((await t.http.get(places(o.id)).set(bearer(tokens.committee))).body).toHaveLength(1);
    expect((await t.http.delete(places(o.id, `/${added.body.id}`)).set(bearer(tokens.admin))).status).toBe(200);
    expect((await t.http.get(places(o.id)).set(bearer(tokens.committee))).body).toEqual([]);
    const actions = await t.sql<{ action: string }>(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [o.id]);
    expect(actions.map((a) => a.action)).toEqual(['outlet.created', 'outlet.place-added', 'outlet.place-updated', 'outlet.place-removed']);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['hours that end before they start', { hours: [{ weekday: 1, opens: '12:00', closes: '08:00' }] }, ['hours.0.closes']],
    ['hours that overlap', { hours: [{ weekday: 1, opens: '08:00', closes: '12:00' }, { weekday: 1, opens: '11:00', closes: '13:00' }] }, ['hours.1.opens']],
    ['a time that is not HH:MM', { hours: [{ weekday: 1, opens: '8h', closes: '25:00' }] }, ['hours.0.closes', 'hours.0.opens']],
    ['a weekday 0', { hours: [{ weekday: 0, opens: '08:00', closes: '09:00' }] }, ['hours.0.weekday']],
    ['no hours for a shop', { hours: [] }, ['hours']],
    ['hours for an always-open place', { alwaysOpen: true }, ['hours']],
    ['a postcode as commune', { commune: '34700x' }, ['commune']],
    ['an unknown kind', { kind: 'van' }, ['kind']],
    ['a stop of an outlet that is not a mobile grocery', { kind: 'stop' }, ['kind']],
  ])('refuses %s with 400 naming the field', async (_name, override, fields) => {
    const o = await createOutlet(t, caisseId, tokens.admin);
    const res = await t.http.post(places(o.id)).set(bearer(tokens.admin)).send(shopPlace(override));
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.errors).sort()).toEqual(fields);
    expect((await t.http.get(places(o.id)).set(bearer(tokens.admin))).body).toEqual([]);
  });

  it("keeps a mobile grocery's stops from overlapping: the van is at one stop at a time", async () => {
    const van = await createOutlet(t, caisseId, tokens.admin, { kind: 'mobile-grocery', name: 'Épicerie itinérante du Larzac' });
    const stop = (label: string, commune: string, opens: string, closes: string) => ({ kind: 'stop', label, commune, hours: [{ weekday: 3, opens, closes }] });
    const first = await t.http.post(places(van.id)).set(bearer(tokens.admin)).send(stop('Place de la mairie', '34142', '09:00', '10:30'));
    expect(first.status).toBe(201);
    expect((await t.http.post(places(van.id)).set(bearer(tokens.admin)).send(stop('Lavoir', '34144', '11:00', '12:00'))).status).toBe(201);
    const clash = await t.http.post(places(van.id)).set(bearer(tokens.admin)).send(stop('Église', '34150', '10:00', '11:00'));
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ code: 'ROUND_OVERLAP', errors: { 'hours.0.opens': [expect.stringMatching(/Place de la mairie/)] } });
    // Moving a stop does not clash with its own old hours.
    expect((await t.http.put(places(van.id, `/${first.body.id}`)).set(bearer(tokens.admin)).send(stop('Place de la mairie', '34142', '08:30', '10:45'))).status).toBe(200);
    expect((await t.http.post(places(van.id)).set(bearer(tokens.admin)).send({ kind: 'stop', label: 'x', commune: '34142', alwaysOpen: true, hours: [] })).status).toBe(400);
  });

  describe('where can I shop near me', () => {
    const monday = nextWeekday(1);
    const tuesday = nextWeekday(2);
    let ids: Record<'shop' | 'locker' | 'candidate' | 'elsewhere' | 'leaving', string>;

    beforeAll(async () => {
      const commune = '34301';
      const shop = await conventionnedOutlet(t, caisseId, tokens.admin);
      await t.http.post(places(shop.id)).set(bearer(tokens.admin)).send(shopPlace({ commune, hours: [{ weekday: 2, opens: '09:00', closes: '12:00' }] }));
      const locker = await conventionnedOutlet(t, caisseId, tokens.admin, { kind: 'locker' });
      await t.http.post(places(locker.id)).set(bearer(tokens.admin)).send({ kind: 'locker', label: 'Casier de la gare', commune, alwaysOpen: true, hours: [], accessNotes: 'Code par SMS' });
      const candidate = await createOutlet(t, caisseId, tokens.admin);
      await t.http.post(places(candidate.id)).set(bearer(tokens.admin)).send(shopPlace({ commune }));
      const elsewhere = await conventionnedOutlet(t, caisseId, tokens.admin);
      const leaving = await conventionnedOutlet(t, caisseId, tokens.admin);
      await t.http.post(places(leaving.id)).set(bearer(tokens.admin)).send(shopPlace({ commune, hours: [{ weekday: 2, opens: '09:00', closes: '12:00' }] }));
      // Revoked from tomorrow midnight: still listed today, no longer on the days after.
      const revokeAt = new Date(`${inDays(1)}T00:00:00+01:00`).toISOString();
      expect((await transition(t, caisseId, leaving.id, tokens.admin, { to: 'revoked', ...decision(), effectiveAt: revokeAt })).status).toBe(201);
      ids = { shop: shop.id, locker: locker.id, candidate: candidate.id, elsewhere: elsewhere.id, leaving: leaving.id };
    });

    const found = async (query: Record<string, string>, token = tokens.member) => {
      const res = await t.http.get(`/api/v1/caisses/${caisseId}/outlets`).query({ ...query, limit: '200' }).set(bearer(token));
      expect(res.status).toBe(200);
      return (res.body.items as { id: string }[]).map((o) => o.id).sort();
    };

    it('lists accepting outlets with a place in the commune', async () => {
      expect(await found({ commune: '34301' })).toEqual([ids.shop, ids.locker, ids.leaving].sort());
    });

    it('keeps only places open that weekday (always-open lockers included), accepting that day', async () => {
      expect(await found({ commune: '34301', openOn: tuesday })).toEqual([ids.shop, ids.locker].sort());
      expect(await found({ commune: '34301', openOn: monday })).toEqual([ids.locker]);
      // The committee sees candidates by commune, but openOn is about where to shop.
      expect(await found({ commune: '34301' }, tokens.committee)).toEqual([ids.shop, ids.locker, ids.candidate, ids.leaving].sort());
      expect(await found({ commune: '34301', openOn: tuesday }, tokens.committee)).toEqual([ids.shop, ids.locker].sort());
    });

    it('returns the places and hours a member needs', async () => {
      const res = await t.http.get(`/api/v1/caisses/${caisseId}/outlets/${ids.locker}`).set(bearer(tokens.member));
      expect(res.body.places).toEqual([
        expect.objectContaining({ kind: 'shop', commune: '34142' }),
        expect.objectContaining({ kind: 'locker', label: 'Casier de la gare', alwaysOpen: true, accessNotes: 'Code par SMS', hours: [] }),
      ]);
    });
  });
});
