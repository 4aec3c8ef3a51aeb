// SEC-3 / issue 13: an XLSX zip bomb sent as a campaign attachment does not exhaust the server's
// memory. The attachment scan inflates archives through the capped zip reader, counting real
// bytes; one that inflates past the limit cannot be checked, so the campaign is refused (never
// sent unscanned), with a stable key and the limit named.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg } from '../../../test/factories.ts';
import { tempDir } from '../../../test/files.ts';
import {
  inlineRows,
  sheetXml,
  writeSharedStringsBomb,
  writeWorkbook,
  writeZip,
} from '../../../test/hostile-xlsx.ts';
import { openTestServices, testDbKind, type TestServices } from '../../../test/test-db.ts';
import { saveSegment } from '../segments/segments.ts';
import { attachmentText } from './attachment-text.ts';
import { createCampaign } from './campaigns.ts';
import { planCampaign } from './plan-campaign.ts';
import { scanAttachment } from './scan-attachment.ts';

let s: TestServices;
const files = tempDir('isoloir-attachment-bomb-');
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

describe(`zip bombs as campaign attachments (SEC-3, ${testDbKind})`, () => {
  it('SEC-3: a campaign whose XLSX attachment inflates to gigabytes is refused at plan with the limit named, and the process keeps its memory', async () => {
    const file = path.join(files.dir, 'bomb.xlsx');
    writeSharedStringsBomb(file, 1.1 * 1024 ** 3);
    const content = fs.readFileSync(file);
    expect(content.length).toBeLessThan(10 * 1024 * 1024); // within the attachment size cap
    const org = await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe' });
    const segmentId = (
      await saveSegment(s.db, {
        orgId: org.id,
        input: { name: 'Tous', where: { and: [] } },
        actor: 'test',
      })
    ).id;
    const campaign = await createCampaign(s.db, {
      orgId: org.id,
      input: {
        segmentId,
        fromName: 'Liste Exemple 2027',
        fromEmail: 'campagne@exemple-2027.fr',
        subject: 'Réunion publique',
        body: 'Bonjour, rendez-vous jeudi.',
      },
      attachments: [{ fileName: 'programme.xlsx', content }],
      actor: 'test',
      clock: s.clock,
    });
    const rssBefore = process.memoryUsage().rss;
    const plan = await planCampaign(s.db, {
      campaignId: campaign.id,
      actor: 'test',
      clock: s.clock,
    });
    expect(plan.state).toBe('draft');
    expect(plan.violations).toEqual([
      expect.objectContaining({
        rule: 'SEC-3',
        key: 'attachment.inflates_too_large',
        params: { limit: '64 MiB' },
        message: expect.stringMatching(/inflates past 64 MiB .*cannot be checked/),
      }),
    ]);
    // Nothing near the inflated gigabyte was held (generous: the limit is 64 MiB).
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(400 * 1024 * 1024);
  }, 120_000);

  it('SEC-3: an archive whose zip headers lie about a part’s size is refused, not read past its limit', async () => {
    const file = path.join(files.dir, 'liar.docx');
    writeZip(file, [
      { name: '[Content_Types].xml', content: '<Types/>' },
      {
        name: 'word/document.xml',
        content: {
          head: '<w:document><w:body>',
          body: 'A'.repeat(1 << 20),
          times: 80,
          tail: '</w:body></w:document>',
        },
        declaredSize: 1000,
      },
    ]);
    const found = await attachmentText(fs.readFileSync(file));
    expect(found).toMatchObject({ kind: 'unreadable' });
    const v = await scanAttachment(
      { fileName: 'tract.docx', content: fs.readFileSync(file) },
      { ownAddresses: [] },
    );
    expect(v.map((x) => x.rule)).toEqual(['SEC-3']);
  }, 60_000);

  it('a genuine spreadsheet under the limit is still read and scanned (its addresses block it as personal data)', async () => {
    const file = path.join(files.dir, 'liste.xlsx');
    writeWorkbook(file, {
      sheets: {
        Liste: sheetXml(
          inlineRows([
            ['Nom', 'Email'],
            ['Martin', 'alice.martin@exemple.fr'],
          ]),
        ),
      },
    });
    const content = fs.readFileSync(file);
    const v = await scanAttachment({ fileName: 'liste.xlsx', content }, { ownAddresses: [] });
    expect(v).toEqual([
      expect.objectContaining({ rule: 'SEC-3', key: 'attachment.personal_data' }),
    ]);
    // The same file against a limit below its inflated size: refused as too large to check.
    expect(await attachmentText(content, { maxInflatedBytes: 100 })).toMatchObject({
      kind: 'unreadable',
      key: 'attachment.inflates_too_large',
      params: { limit: '100 bytes' },
    });
  });
});
