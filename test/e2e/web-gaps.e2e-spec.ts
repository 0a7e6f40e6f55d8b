import type { Response } from 'supertest';
import { todayInFrance } from '../../src/common/dates.js';
import { ContributionsService } from '../../src/contributions/contributions.service.js';
import { nextBusinessDay } from '../../src/contributions/target2.js';
import { contributionRules } from '../support/contribution-fixtures.js';
import { outletWithDossier } from '../support/dossier-fixtures.js';
import { seatCommittee } from '../support/governance-fixtures.js';
import { bearer, createMember, type CreatedMember } from '../support/member-fixtures.js';
import { conventionnedOutlet, inDays } from '../support/outlet-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { webClient, webLogin, type WebClient } from '../support/web-fixtures.js';

/** Forms the web pages lacked while the API had them: CSV mapping, batch settle/cancel, card block/replacement, approval vote, direct-debit setup, till keys, a member's payment or waiver, an outlet. */
describe('Web pages: CSV mapping, settle and cancel a batch, block and replace a card, approval vote, direct-debit setup, till keys, member payment, outlet registration (e2e)', () => {
  let t: TestApp;
  let caisseId: string;
  let tokens: Record<'admin' | 'treasurer' | 'committee' | 'cashier' | 'member', string>;
  let treasurer: WebClient;
  let member: CreatedMember;
  const web = (s: string) => `/caisses/${caisseId}${s}`;
  const api = (s: string) => `/api/v1/caisses/${caisseId}${s}`;
  const uploadToken = (page: Response) => /enctype="multipart\/form-data" action="[^"?]+\?_csrf=([^"]+)"/.exec(page.text)?.[1];
  beforeAll(async () => {
    t = await createTestApp();
    ({ caisseId, tokens } = await t.newCaisse());
    // 2.5 % of 1 200 € a month: 30,00 € due each month, collected by direct debit.
    await contributionRules(t, caisseId, tokens.admin, { rule: 'percent-of-income', rate: '0.025', floor: '10.00' });
    member = await createMember(t, caisseId, tokens.admin, { monthlyIncome: '1200.00', joinedOn: '2026-01-05' });
    const settings = await t.http
      .put(api('/direct-debit-settings'))
      .set(bearer(tokens.treasurer))
      .send({ creditorId: 'FR72ZZZ123456', creditorName: 'Caisse commune', creditorIban: 'FR7630004000031234567890143', creditorBic: 'BNPAFRPP' });
    expect(settings.status).toBe(200);
    const mandate = await t.http
      .post(api('/mandates'))
      .set(bearer(tokens.treasurer))
      .send({ memberId: member.id, reference: `RUM-${caisseId.slice(0, 8)}-G`, signedOn: '2026-01-10', debtorName: 'Nadia Benali', iban: 'FR7630006000011234567890189' });
    expect(mandate.status).toBe(201);
    treasurer = await webLogin(t, caisseId, 'treasurer');
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('saves a bank account’s CSV mapping from a form (CSRF, French field errors), then imports a CSV statement with it', async () => {
    const bank = await treasurer.get(web('/banque'));
    expect(bank.text).toContain(`href="${web('/banque/comptes/512/lecture-csv')}"`);
    const csv = 'Date;Libellé;Débit;Crédit\n03/11/2026;VIR DE JEANNE;;12,50\n04/11/2026;FRAIS CARTE;1,20;\n';
    const upload = async () => {
      const token = uploadToken(await treasurer.get(web('/banque')));
      return t.http.post(`${web('/banque/releves')}?_csrf=${token}`).set('Cookie', treasurer.cookieHeader()).set('Accept', 'text/html').field('bankAccount', '512').attach('file', Buffer.from(csv), 'releve.csv');
    };
    const missing = await upload();
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Aucune lecture CSV n’est enregistrée pour ce compte');

    const form = await treasurer.get(web('/banque/comptes/512/lecture-csv'));
    expect(form.status).toBe(200);
    expect(form.text).toContain('Aucune lecture n’est encore enregistrée');
    expect(form.text).toMatch(/<h1[^>]*>Lecture des relevés CSV du compte 512<\/h1>/);
    const good = { delimiter: ';', decimalSeparator: ',', dateFormat: 'DD/MM/YYYY', 'col-date': 'Date', 'col-label': 'Libellé', 'col-debit': 'Débit', 'col-credit': 'Crédit' };
    expect((await treasurer.post(web('/banque/comptes/512/lecture-csv'), good, { csrf: false })).status).toBe(403);
    const noAmount = await treasurer.post(web('/banque/comptes/512/lecture-csv'), { ...good, 'col-credit': '' });
    expect(noAmount.status).toBe(400);
    expect(noAmount.text).toMatch(/id="f-col-amount-error">Donnez la colonne du montant signé/);
    const badFields = await treasurer.post(web('/banque/comptes/512/lecture-csv'), { ...good, delimiter: '|', 'col-date': '' });
    expect(badFields.status).toBe(400);
    expect(badFields.text).toMatch(/id="f-delimiter-error">Choisissez le séparateur de colonnes/);
    expect(badFields.text).toMatch(/id="f-col-date-error">Donnez le titre de la colonne des dates/);
    expect(badFields.text).toContain('Le formulaire contient des erreurs');
    expect((await treasurer.get(web('/banque/comptes/5129/lecture-csv'))).status).toBe(404);
    expect((await treasurer.get(web('/banque/comptes/abc/lecture-csv'))).status).toBe(400);

    const saved = await treasurer.post(web('/banque/comptes/512/lecture-csv'), good);
    expect(saved.status).toBe(303);
    const shown = await treasurer.get(saved.headers.location as string);
    expect(shown.text).toContain('Lecture CSV enregistrée');
    expect(shown.text).toContain('Une lecture est enregistrée');
    expect(shown.text).toMatch(/name="col-debit" type="text" value="Débit"/);
    expect(shown.text).not.toMatch(/name="col-amount" type="text" value="[^"]/);
    const [audit] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE caisse_id = $1 AND action = 'reconciliation.csv-mapping-saved'`, [caisseId]);
    expect(audit.n).toBe(1);

    const imported = await upload();
    expect(imported.status).toBe(303);
    expect(imported.headers.location).toBe(web('/banque/comptes/512?importe=2'));
    const lines = (await t.http.get(api('/bank-statement-lines?bankAccount=512')).set(bearer(tokens.treasurer))).body as { amount: string }[];
    expect(lines.map((l) => l.amount).sort()).toEqual(['-1.20', '12.50']);
    // Committee members do not read bank accounts.
    const committee = await webLogin(t, caisseId, 'committee');
    expect((await committee.get(web('/banque/comptes/512/lecture-csv'))).status).toBe(403);
  });

  it('cancels a batch not yet sent, then settles the next one, each behind a confirmation box', async () => {
    const today = todayInFrance();
    const build = async () => {
      const made = await treasurer.post(web('/prelevements'), { period: today.slice(0, 7), collectionDate: nextBusinessDay(today) });
      expect(made.status).toBe(303);
      return (made.headers.location as string).replace(/\?.*$/, '');
    };
    const first = await build();
    const page = await treasurer.get(first);
    expect(page.text).toContain('Annuler la remise');
    expect(page.text).toContain('Régler la remise');

    expect((await treasurer.post(`${first}/annulation`, { confirm: 'oui' }, { csrf: false })).status).toBe(403);
    const unconfirmed = await treasurer.post(`${first}/annulation`, {});
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toMatch(/id="f-cancel-confirm-error">Cochez la case pour confirmer l’annulation/);
    const cancelled = await treasurer.post(`${first}/annulation`, { confirm: 'oui' });
    expect(cancelled.status).toBe(303);
    const after = await treasurer.get(cancelled.headers.location as string);
    expect(after.text).toContain('Remise annulée');
    expect(after.text).not.toContain('action="' + `${first}/annulation"`);
    const again = await treasurer.post(`${first}/annulation`, { confirm: 'oui' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('Seule une remise pas encore envoyée à la banque peut être annulée');
    expect((await treasurer.post(`${first}/reglement`, { settledOn: today, confirm: 'oui' })).text).toContain('Cette remise est déjà réglée ou annulée');

    // The cancelled calls are reversed: the month is owed again and a new batch collects it.
    const second = await build();
    expect((await treasurer.post(`${second}/envoi`, {})).status).toBe(303);
    const sent = await treasurer.get(second);
    expect(sent.text).not.toContain('Annuler la remise');
    expect((await treasurer.post(`${second}/reglement`, { settledOn: today, confirm: 'oui' }, { csrf: false })).status).toBe(403);
    const badDate = await treasurer.post(`${second}/reglement`, { settledOn: '2026-02-30', confirm: 'oui' });
    expect(badDate.status).toBe(400);
    expect(badDate.text).toMatch(/id="f-settledOn-error">Date du crédit invalide/);
    const noBox = await treasurer.post(`${second}/reglement`, { settledOn: today });
    expect(noBox.status).toBe(400);
    expect(noBox.text).toMatch(/id="f-settle-confirm-error">Cochez la case/);
    const settled = await treasurer.post(`${second}/reglement`, { settledOn: today, confirm: 'oui' });
    expect(settled.status).toBe(303);
    const done = await treasurer.get(settled.headers.location as string);
    expect(done.text).toContain('Remise réglée');
    expect(done.text).toContain('Crédité par la banque');
    const batches = (await t.http.get(api('/direct-debit-batches')).set(bearer(tokens.treasurer))).body as { status: string }[];
    expect(batches.map((b) => b.status).sort()).toEqual(['cancelled', 'settled']);
    const [entry] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM journal_entries WHERE caisse_id = $1 AND label LIKE 'Remise prélèvements %'`, [caisseId]);
    expect(entry.n).toBe(1);
  });

  it('blocks a member’s card and issues a replacement from the member page (admin only)', async () => {
    const admin = await webLogin(t, caisseId, 'admin');
    const page = web(`/membres/${member.id}`);
    const shown = await admin.get(page);
    expect(shown.text).toContain('Bloquer la carte');
    expect(shown.text).toContain('Remplacer la carte');
    expect((await treasurer.get(page)).text).not.toContain('Bloquer la carte');
    expect((await treasurer.post(`${page}/carte/blocage`, { blockReason: 'Carte perdue' })).status).toBe(403);
    expect((await admin.post(`${page}/carte/blocage`, { blockReason: 'Carte perdue' }, { csrf: false })).status).toBe(403);
    const noReason = await admin.post(`${page}/carte/blocage`, { blockReason: '  ' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toMatch(/id="f-blockReason-error">Indiquez la raison du blocage/);

    const blocked = await admin.post(`${page}/carte/blocage`, { blockReason: 'Carte perdue' });
    expect(blocked.status).toBe(200);
    expect(blocked.text).toContain('Carte bloquée');
    expect(blocked.text).toContain('Aucune carte active');
    expect(blocked.text).not.toContain('Générer un nouveau code');
    const twice = await admin.post(`${page}/carte/blocage`, { blockReason: 'Carte perdue' });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('Ce membre n’a plus de carte active');

    const noReplaceReason = await admin.post(`${page}/carte/remplacement`, {});
    expect(noReplaceReason.status).toBe(400);
    expect(noReplaceReason.text).toMatch(/id="f-replaceReason-error">Indiquez la raison du remplacement/);
    const replaced = await admin.post(`${page}/carte/remplacement`, { replaceReason: 'Carte perdue', newPin: 'oui' });
    expect(replaced.status).toBe(201);
    const number = /Nouvelle carte émise : (\d+)\./.exec(replaced.text)?.[1];
    expect(number).toBeDefined();
    expect(number).not.toBe(member.cardNumber);
    const pin = /Code de la carte : <strong class="pin">(\d{4})<\/strong>/.exec(replaced.text)?.[1];
    expect(pin).toBeDefined();
    // The new card and its PIN open the member's session through the API.
    expect((await t.http.post(api('/members/login')).send({ cardNumber: number, pin })).status).toBe(200);
    const cards = (await t.http.get(api(`/members/${member.id}/cards`)).set(bearer(tokens.admin))).body as { state: string }[];
    expect(cards.map((c) => c.state).sort()).toEqual(['active', 'blocked']);
  });

  it('puts an outlet’s decision to an approval vote with its options and θ, refusing missing options in French', async () => {
    await seatCommittee(t, caisseId, tokens.admin, 3);
    const committee = await webLogin(t, caisseId, 'committee');
    const outlet = await outletWithDossier(t, caisseId, tokens, 'Ferme du Morvan');
    const url = web(`/comite/points-de-vente/${outlet.id}/mettre-au-vote`);
    const form = await committee.get(url);
    expect(form.text).toContain('<option value="approval">Vote par approbation');
    expect(form.text).toMatch(/<textarea id="f-options" name="options"/);
    const fields = { title: 'Conventionnement de la Ferme du Morvan', subject: 'conventionnement', method: 'approval', closesAt: '2030-01-10T18:00', reviewOn: inDays(365) };
    const options = 'Conventionner pour un an\r\n\r\n  Conventionner pour trois ans  ';
    expect((await committee.post(url, { ...fields, options, theta: '60' }, { csrf: false })).status).toBe(403);
    const none = await committee.post(url, { ...fields, options: ' \n ', theta: '60' });
    expect(none.status).toBe(400);
    expect(none.text).toMatch(/id="f-options-error">Donnez les options soumises au vote/);
    const zero = await committee.post(url, { ...fields, options, theta: '0' });
    expect(zero.status).toBe(400);
    expect(zero.text).toMatch(/id="f-theta-error">Donnez θ/);
    const tooLong = await committee.post(url, { ...fields, options: 'x'.repeat(81), theta: '60' });
    expect(tooLong.status).toBe(400);
    expect(tooLong.text).toMatch(/id="f-options-error">Donnez les options/);
    expect(tooLong.text).toContain(`>${'x'.repeat(81)}</textarea>`);

    const created = await committee.post(url, { ...fields, options, theta: '60' });
    expect(created.status).toBe(303);
    const decisionId = /\/comite\/decisions\/([0-9a-f-]{36})$/.exec(created.headers.location as string)?.[1];
    const d = (await t.http.get(api(`/decisions/${decisionId}`)).set(bearer(tokens.committee))).body;
    expect(d.method).toMatchObject({ kind: 'approval', theta: 60, options: ['Conventionner pour un an', 'Conventionner pour trois ans'] });
    const page = await committee.get(created.headers.location as string);
    expect(page.text).toContain('Conventionner pour trois ans');
  });

  it('configures direct debit from a form, then records a member’s mandate from the member page', async () => {
    const other = await t.newCaisse();
    const root = (s: string) => `/caisses/${other.caisseId}${s}`;
    const someone = await createMember(t, other.caisseId, other.tokens.admin, { joinedOn: '2026-01-05' });
    const tr = await webLogin(t, other.caisseId, 'treasurer');
    const list = await tr.get(root('/prelevements'));
    expect(list.text).toContain(`href="${root('/prelevements/parametres')}">Configurer le prélèvement`);
    const settings = { creditorId: 'FR72ZZZ123456', creditorName: 'Caisse commune du Morvan', creditorIban: 'FR76 3000 4000 0312 3456 7890 143', creditorBic: '' };
    expect((await tr.get(root('/prelevements/parametres'))).text).toContain('pas encore configuré');
    expect((await tr.post(root('/prelevements/parametres'), settings, { csrf: false })).status).toBe(403);
    const bad = await tr.post(root('/prelevements/parametres'), { ...settings, creditorId: 'FR00ZZZ123456', creditorIban: 'FR7630004000031234567890144' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="f-creditorId-error">ICS invalide/);
    expect(bad.text).toMatch(/id="f-creditorIban-error">IBAN invalide/);
    const saved = await tr.post(root('/prelevements/parametres'), settings);
    expect(saved.status).toBe(303);
    const shown = await tr.get(saved.headers.location as string);
    expect(shown.text).toContain('Paramètres du prélèvement enregistrés');
    expect(shown.text).toContain('value="FR7630004000031234567890143"');
    expect(await t.app.get(ContributionsService).directDebitSettings(other.caisseId)).toEqual({ creditorId: 'FR72ZZZ123456', creditorName: 'Caisse commune du Morvan', creditorIban: 'FR7630004000031234567890143', creditorBic: null });

    const memberPage = await tr.get(root(`/membres/${someone.id}`));
    const formUrl = root(`/prelevements/mandats/nouveau?membre=${someone.id}`);
    expect(memberPage.text).toContain(`href="${formUrl.replace(/&/g, '&amp;')}"`);
    const form = await tr.get(formUrl);
    expect(form.status).toBe(200);
    expect((await tr.get(root('/prelevements/mandats/nouveau?membre=nope'))).status).toBe(400);
    const mandate = { memberId: someone.id, reference: 'RUM-MORVAN-0001', signedOn: '2026-02-01', debtorName: 'Jeanne Morvan', iban: 'FR7630006000011234567890189', bic: '' };
    expect((await tr.post(root('/prelevements/mandats'), mandate, { csrf: false })).status).toBe(403);
    const badMandate = await tr.post(root('/prelevements/mandats'), { ...mandate, reference: '/RUM', iban: 'FR00' });
    expect(badMandate.status).toBe(400);
    expect(badMandate.text).toMatch(/id="f-reference-error">Référence invalide/);
    expect(badMandate.text).toMatch(/id="f-iban-error">IBAN invalide/);
    const recorded = await tr.post(root('/prelevements/mandats'), mandate);
    expect(recorded.status).toBe(303);
    const after = await tr.get(recorded.headers.location as string);
    expect(after.text).toContain('Mandat enregistré');
    expect(after.text).toContain('RUM-MORVAN-0001');
    const taken = await tr.post(root('/prelevements/mandats'), mandate);
    expect(taken.status).toBe(409);
    expect(taken.text).toContain('Cette référence de mandat (RUM) est déjà utilisée');
  });

  it('issues a till key for an outlet (shown once), pairs a till with it, then revokes it', async () => {
    const outlet = await conventionnedOutlet(t, caisseId, tokens.admin, { name: 'Épicerie mobile du Morvan' });
    const list = await treasurer.get(web('/points-de-vente'));
    const url = web(`/points-de-vente/${outlet.id}/terminaux`);
    expect(list.text).toContain(`href="${url}"`);
    expect((await treasurer.get(url)).text).toContain('Aucune clé pour ce point de vente');
    expect((await treasurer.post(url, { label: 'Tablette du camion' }, { csrf: false })).status).toBe(403);
    const empty = await treasurer.post(url, { label: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toMatch(/id="f-label-error">Donnez un nom à l’appareil/);
    const issued = await treasurer.post(url, { label: 'Tablette du camion' });
    expect(issued.status).toBe(201);
    const key = /<code>(ck_[^<]+)<\/code>/.exec(issued.text)?.[1];
    expect(key).toBeDefined();
    // Shown once: the page read again lists the key by its prefix only.
    const again = await treasurer.get(url);
    expect(again.text).toContain('Tablette du camion');
    expect(again.text).not.toContain(key!);
    const committee = await webLogin(t, caisseId, 'committee');
    expect((await committee.get(url)).status).toBe(403);

    const till = webClient(t);
    await till.get(web('/caisse-enregistreuse/appairage'));
    expect((await till.post(web('/caisse-enregistreuse/appairage'), { key: key! })).status).toBe(303);
    expect((await till.get(web('/caisse-enregistreuse'))).status).toBe(200);

    const terminalId = /action="[^"]+\/terminaux\/([0-9a-f-]{36})\/revocation"/.exec(again.text)?.[1];
    expect((await treasurer.post(`${url}/${terminalId}/revocation`, {}, { csrf: false })).status).toBe(403);
    const revoked = await treasurer.post(`${url}/${terminalId}/revocation`, {});
    expect(revoked.status).toBe(303);
    const after = await treasurer.get(revoked.headers.location as string);
    expect(after.text).toContain('Clé révoquée');
    expect(after.text).toContain('Révoquée le');
    // The paired till is refused at its next request.
    const refused = await till.get(web('/caisse-enregistreuse'));
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toMatch(/^\/connexion\?retour=/);
  });

  it('records a member’s cheque from the contributions page, once for a double submit, with French field errors', async () => {
    const month = todayInFrance().slice(0, 7);
    const payer = await createMember(t, caisseId, tokens.admin, { monthlyIncome: '1200.00', joinedOn: '2026-01-05' });
    const list = await treasurer.get(web(`/contributions?mois=${month}`));
    const link = web(`/contributions/paiement?membre=${payer.id}&amp;mois=${month}`);
    expect(list.text).toContain(`href="${link}"`);
    const form = await treasurer.get(link.replace('&amp;', '&'));
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/name="amount" type="text" value="30,00"/);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.text)![1];
    const payment = { idempotencyKey: key, memberId: payer.id, period: month, amount: '30,00', method: 'cheque', receivedOn: todayInFrance(), bankAccount: '' };
    expect((await treasurer.post(web('/contributions/paiement'), payment, { csrf: false })).status).toBe(403);
    const bad = await treasurer.post(web('/contributions/paiement'), { ...payment, amount: '-3', method: 'bitcoin' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="f-amount-error">Montant invalide/);
    expect(bad.text).toMatch(/id="f-method-error">Choisissez un moyen de paiement/);
    const done = await treasurer.post(web('/contributions/paiement'), payment);
    expect(done.status).toBe(303);
    expect((await treasurer.post(web('/contributions/paiement'), payment)).status).toBe(303);
    const after = await treasurer.get(done.headers.location as string);
    expect(after.text).toContain('Paiement enregistré');
    expect(after.text).not.toContain(`membre=${payer.id}`);
    const [count] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM contributions WHERE caisse_id = $1 AND member_id = $2`, [caisseId, payer.id]);
    expect(count.n).toBe(1);
    const [status] = await t.app.get(ContributionsService).memberStatuses(caisseId, payer.id, [month]);
    expect(status).toMatchObject({ status: 'paid', paid: '30.00' });
  });

  it('registers an outlet from a form, refusing a bad SIRET and IBAN in French, then a duplicate SIRET', async () => {
    const list = await treasurer.get(web('/points-de-vente'));
    expect(list.text).toContain(`href="${web('/points-de-vente/nouveau')}"`);
    const form = await treasurer.get(web('/points-de-vente/nouveau'));
    expect(form.status).toBe(200);
    const outlet = {
      name: 'Ferme de la Vallée', legalName: 'GAEC de la Vallée', siret: '732 829 320 00074', kind: 'producer', commune: '71014', communeName: 'Autun',
      postcode: '71400', buildingNumber: '3', streetName: 'Route d’Anost', country: 'FR', iban: 'FR7630006000011234567890189', bic: '', email: 'ferme@example.org', phone: '',
    };
    expect((await treasurer.post(web('/points-de-vente/nouveau'), outlet, { csrf: false })).status).toBe(403);
    const bad = await treasurer.post(web('/points-de-vente/nouveau'), { ...outlet, siret: '123', iban: 'FR00', email: 'pas-un-mail' });
    expect(bad.status).toBe(400);
    expect(bad.text).toMatch(/id="f-siret-error">SIRET invalide/);
    expect(bad.text).toMatch(/id="f-iban-error">IBAN invalide/);
    expect(bad.text).toMatch(/id="f-email-error">Adresse e-mail invalide/);
    expect(bad.text).toContain('value="Ferme de la Vallée"');
    const created = await treasurer.post(web('/points-de-vente/nouveau'), outlet);
    expect(created.status).toBe(303);
    const id = /\/comite\/points-de-vente\/([0-9a-f-]{36})$/.exec(created.headers.location as string)?.[1];
    const dto = (await t.http.get(api(`/outlets/${id}`)).set(bearer(tokens.treasurer))).body;
    expect(dto).toMatchObject({ name: 'Ferme de la Vallée', siret: '73282932000074', kind: 'producer', commune: '71014', status: 'candidate' });
    expect((await treasurer.get(created.headers.location as string)).text).toContain('Ferme de la Vallée');
    const twice = await treasurer.post(web('/points-de-vente/nouveau'), outlet);
    expect(twice.status).toBe(409);
    expect(twice.text).toMatch(/id="f-siret-error">Un point de vente de la caisse est déjà enregistré avec ce SIRET/);
    const committee = await webLogin(t, caisseId, 'committee');
    expect((await committee.get(web('/points-de-vente/nouveau'))).status).toBe(403);
  });

  it('waives a member’s month from the payment page, with its reason required', async () => {
    const month = todayInFrance().slice(0, 7);
    const waived = await createMember(t, caisseId, tokens.admin, { monthlyIncome: '1200.00', joinedOn: '2026-01-05' });
    const page = await treasurer.get(web(`/contributions/paiement?membre=${waived.id}&mois=${month}`));
    expect(page.text).toContain('Dispenser de cotisation');
    const form = { memberId: waived.id, period: month, reason: 'Situation examinée par la commission de solidarité' };
    expect((await treasurer.post(web('/contributions/paiement/dispense'), form, { csrf: false })).status).toBe(403);
    const noReason = await treasurer.post(web('/contributions/paiement/dispense'), { ...form, reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toMatch(/id="f-reason-error">Donnez le motif de la dispense/);
    const outOfRoll = await treasurer.post(web('/contributions/paiement/dispense'), { ...form, period: '2025-06' });
    expect(outOfRoll.status).toBe(400);
    expect(outOfRoll.text).toContain('Ce membre n’est pas actif ce mois-là');
    const done = await treasurer.post(web('/contributions/paiement/dispense'), form);
    expect(done.status).toBe(303);
    expect((await treasurer.get(done.headers.location as string)).text).toContain('Dispense enregistrée');
    const [status] = await t.app.get(ContributionsService).memberStatuses(caisseId, waived.id, [month]);
    expect(status.status).toBe('waived');
  });
});
