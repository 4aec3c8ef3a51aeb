// The routes the web app adds to the API: the import wizard's preview (format and dropped
// columns, SRC-2, SEG-2), the segment builder's field list (SEG-1), the dashboard's aggregates,
// the composer's exact-message preview (NOT-1) and the public privacy notice page.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg, makeSource } from '../../test/factories.ts';
import { ELECTORAL_HEADERS, ELECTORAL_ROW, tempDir, writeCsv } from '../../test/files.ts';
import { bearer, callerOf, makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let orgId: string;
let manager: Staff;
let viewer: Staff;
let memberSourceId: string;
const files = tempDir();

beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
  app = createApp(s);
  orgId = (await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe' })).id;
  memberSourceId = (await makeSource(s, orgId, { type: 'member_file', label: 'Adhérents' })).id;
  await addContact(s.db, {
    keys: s.keys,
    orgId,
    sourceId: memberSourceId,
    identity: { firstNames: 'Zoé', birthName: 'Martin', email: 'zoe@exemple.fr' },
    actor: 'test',
  });
  manager = await makeStaff(s, orgId, 'manager');
  viewer = await makeStaff(s, orgId, 'viewer');
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

const call = (...args: Parameters<ReturnType<typeof callerOf>>) => callerOf(app)(...args);

describe('import wizard preview', () => {
  it('shows the detected format and every dropped column with its reason and rule, storing nothing', async () => {
    const election = await makeElection(s, orgId);
    const source = await makeSource(s, orgId, { type: 'electoral_list', electionId: election.id });
    const file = writeCsv(
      files.file('liste.csv'),
      [
        [...ELECTORAL_HEADERS, 'Observations'],
        [...ELECTORAL_ROW, 'voisine'],
      ],
      { encoding: 'windows-1252' },
    );
    const body = new FormData();
    body.append('file', new Blob([fs.readFileSync(file)]), 'liste.csv');
    const before = await call(manager, 'GET', `/api/orgs/${orgId}/contacts/count`);
    const res = await app.request(`/api/sources/${source.id}/imports/preview`, {
      method: 'POST',
      headers: bearer(manager),
      body,
    });
    expect(res.status).toBe(200);
    const preview = (await res.json()) as any;
    expect(preview.format).toEqual({ kind: 'csv', encoding: 'windows-1252', delimiter: ';' });
    expect(preview.rows).toBe(1);
    const column = (h: string) => preview.columns.find((c: any) => c.header === h);
    expect(column('Prenoms')).toEqual({ header: 'Prenoms', field: 'firstNames' });
    expect(column('Email').dropped).toEqual({ reason: 'no_email_from_this_source', rule: 'SRC-2' });
    expect(column('Nationalite').dropped).toEqual({ reason: 'never_stored', rule: 'SEG-2' });
    expect(column('CommuneDeNaissance').dropped).toEqual({ reason: 'never_stored', rule: 'SRC-2' });
    expect(column('Observations').dropped).toEqual({ reason: 'not_a_field' });
    // Cell values are personal data: none comes back.
    expect(JSON.stringify(preview)).not.toMatch(/MARTIN|zoe@/);
    expect((await call(manager, 'GET', `/api/orgs/${orgId}/contacts/count`)).body).toEqual(
      before.body,
    );
    const audit = await s.db.execute(
      `select summary from audit_events where action = 'import.preview'` as never,
    );
    expect((audit as any).rows).toEqual([{ summary: { rows: 1, columns: 16, dropped: 5 } }]);
  });
});

describe('segment builder fields (SEG-1, SEG-2)', () => {
  it('offers only the fields the policy pack allows, never a name, birthplace or nationality', async () => {
    const res = await call(viewer, 'GET', `/api/orgs/${orgId}/segment-fields`);
    const fields = res.body.items.map((f: any) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['age', 'commune', 'pollingStation', 'csp']));
    for (const forbidden of ['birthName', 'birthplace', 'nationality', 'firstNames'])
      expect(fields).not.toContain(forbidden);
    expect(res.body.items.find((f: any) => f.field === 'age').ops).toContain('between');
  });
});

describe('volunteers to hand lists to (SEC-1)', () => {
  it('names the volunteers only, by id and name, to whoever hands out lists', async () => {
    const volunteer = await makeStaff(s, orgId, 'volunteer');
    const res = await call(manager, 'GET', `/api/orgs/${orgId}/volunteers`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([{ id: volunteer.userId, displayName: 'Test volunteer' }]);
    expect((await call(viewer, 'GET', `/api/orgs/${orgId}/volunteers`)).status).toBe(403);
  });
});

describe('dashboard', () => {
  it('gives contacts by source, reach by channel, objections and campaigns by state, aggregates only', async () => {
    const res = await call(viewer, 'GET', `/api/orgs/${orgId}/dashboard`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      contacts: 1,
      reachable: { email: 1 },
      objections: { total: 0 },
    });
    expect(res.body.bySource).toEqual(
      expect.arrayContaining([
        { sourceId: memberSourceId, label: 'Adhérents', type: 'member_file', contacts: 1 },
      ]),
    );
    expect(JSON.stringify(res.body)).not.toMatch(/zoe|Martin/i);
  });
});

describe('campaign preview (NOT-1)', () => {
  it('shows the exact message for a sample recipient: merged fields, notice, privacy link, one-click headers', async () => {
    const created = await call(manager, 'POST', `/api/orgs/${orgId}/campaigns`, {
      segmentId: (
        await call(manager, 'POST', `/api/orgs/${orgId}/segments`, {
          name: 'Tous',
          where: { and: [] },
        })
      ).body.id,
      fromName: 'Liste Exemple',
      fromEmail: 'contact@exemple-2027.fr',
      subject: 'Bonjour {{firstName}}',
      body: 'Réunion **jeudi**',
    });
    expect(created.status).toBe(201);
    const res = await call(manager, 'GET', `/api/campaigns/${created.body.id}/preview`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ to: 'zoe@exemple.fr', subject: 'Bonjour Zoé' });
    expect(res.body.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    expect(res.body.text).toMatch(/responsable du traitement/);
    expect(res.body.text).toMatch(
      /Votre adresse provient de : fichier de nos adhérents, obtenu le/,
    );
    expect(res.body.text).toContain(`/privacy/${orgId}`);
    expect(res.body.html).toContain('<strong>jeudi</strong>');
    // It reads one person's identifiers: a viewer may not, and the read is audited.
    expect((await call(viewer, 'GET', `/api/campaigns/${created.body.id}/preview`)).status).toBe(
      403,
    );
    const audit = await s.db.execute(
      `select count(*)::int as n from audit_events where action = 'contact.read' and summary->>'purpose' = 'campaign_preview'` as never,
    );
    expect((audit as any).rows[0].n).toBe(1);
  });
});

describe('privacy notice page (NOT-1, RET-2)', () => {
  it('is public, in the organisation’s language, and names controller, DPO, sources with retention and the regulator', async () => {
    const res = await app.request(`/privacy/${orgId}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<html lang="fr" dir="ltr">');
    expect(page).toContain('Association Exemple pour 2027');
    expect(page).toContain('dpo@exemple-2027.fr');
    expect(page).toMatch(/fichier des adhérents:\s*jusqu’à la fin de notre relation/);
    expect(page).toContain('https://www.cnil.fr/fr/plaintes');
    // Source labels are internal names (they may name people or groups): never on this page.
    expect(page).not.toContain('Adhérents');
    expect((await app.request('/privacy/not-an-id')).status).toBe(404);
  });
});
