// CH-EMAIL: no header can be injected. Random sender names, subjects and merge-field values,
// full of CR, LF, NUL, colons and header-like text, either are refused (sender name, subject:
// one line) or reach the message as one header each: the raw message never gains a header, a Cc,
// a Bcc or a second recipient. A fixed seed: a failure replays.
import fc from 'fast-check';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../test/factories.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { identitySchema } from '../contacts/identity.ts';
import { DomainError } from '../errors.ts';
import type { Organisation } from '../organisations/organisations.ts';
import { saveSegment } from '../segments/segments.ts';
import { createCampaign } from './campaigns.ts';
import { composeEmail } from './compose.ts';

let s: TestServices;
let org: Organisation;
let segmentId: string;
const render = nodemailer.createTransport({
  streamTransport: true,
  buffer: true,
  newline: 'windows',
});

const ALLOWED = new Set([
  'content-type',
  'from',
  'to',
  'subject',
  'message-id',
  'date',
  'mime-version',
  'list-unsubscribe',
  'list-unsubscribe-post',
  'x-isoloir-ref',
  'content-transfer-encoding',
]);

beforeAll(async () => {
  s = await openTestServices();
  const made = await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'équipe' });
  org = made;
  await makeSource(s, org.id);
  segmentId = (
    await saveSegment(s.db, {
      orgId: org.id,
      input: { name: 'Tous', where: { and: [] } },
      actor: 'test',
    })
  ).id;
});
afterAll(() => s.dispose());

const nasty = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .tuple(
      fc.string({ maxLength: 10 }),
      fc.constantFrom(
        '\r\n',
        '\n',
        '\r',
        '\0',
        '\r\nBcc: victim@evil.example',
        '\nX-Injected: yes',
        ': ',
        '=?utf-8?B?DQpCY2M6IHg=?=',
      ),
      fc.string({ maxLength: 10 }),
    )
    .map(([a, b, c]) => a + b + c),
);

function headersOf(raw: Buffer): { name: string; value: string }[] {
  const head = raw
    .toString('utf8')
    .split('\r\n\r\n')[0]!
    .replace(/\r\n[ \t]+/g, ' ');
  return head.split('\r\n').map((line) => {
    const i = line.indexOf(':');
    return { name: line.slice(0, i).toLowerCase(), value: line.slice(i + 1).trim() };
  });
}

describe('header injection (CH-EMAIL)', () => {
  it('CH-EMAIL: never lets a sender name, subject or merge field add a header or a recipient', async () => {
    let composed = 0;
    await fc.assert(
      fc.asyncProperty(
        nasty,
        nasty,
        nasty,
        nasty,
        async (fromName, subject, firstNames, usageName) => {
          let campaign;
          try {
            campaign = await createCampaign(s.db, {
              orgId: org.id,
              input: {
                segmentId,
                fromName,
                fromEmail: 'contact@exemple-2027.fr',
                subject: `${subject} {{firstName}} {{lastName}}`,
                body: 'Bonjour {{firstName}}',
              },
              actor: 'test',
              clock: s.clock,
            });
          } catch (error) {
            // Refused: only because a one-line field held a control character, or was empty.
            expect(error).toBeInstanceOf(DomainError);
            expect((error as DomainError).message).toMatch(/fromName|subject/);
            return;
          }
          const identity = identitySchema.safeParse({
            firstNames,
            usageName,
            email: 'alice@exemple.fr',
          });
          if (!identity.success) return;
          const message = composeEmail({
            org,
            campaign,
            identity: identity.data,
            provenance: {
              channel: 'email',
              consented: false,
              sourceType: 'member_file',
              obtainedOn: '2026-01-01',
            },
            messageRef: '0123456789abcdef0123456789abcdef',
            unsubscribeUrl: 'https://isoloir.example/u/x',
            privacyUrl: 'https://isoloir.example/privacy/x',
            messageUrl: 'https://isoloir.example/m/0123456789abcdef0123456789abcdef',
            unsubscribeMailto: 'mailto:unsubscribe+x@exemple-2027.fr',
            domain: 'exemple-2027.fr',
            today: '2026-11-24',
          });
          composed++;
          const info = await render.sendMail({
            ...message,
            envelope: { from: message.from.address, to: [message.to] },
          });
          const headers = headersOf(info.message as Buffer);
          for (const h of headers) expect(ALLOWED, `unexpected header ${h.name}`).toContain(h.name);
          expect(headers.filter((h) => h.name === 'to').map((h) => h.value)).toEqual([
            'alice@exemple.fr',
          ]);
          expect(headers.filter((h) => h.name === 'subject')).toHaveLength(1);
          expect(headers.filter((h) => h.name === 'from')).toHaveLength(1);
        },
      ),
      { seed: 20261201, numRuns: 300 },
    );
    expect(composed).toBeGreaterThan(50); // the property reached composition often enough
  }, 120_000);
});
