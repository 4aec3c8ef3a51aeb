// SEC-3: what the attachment scanner blocks and lets through, by content, not by name.
import { describe, expect, it } from 'vitest';
import { scanAttachment } from './scan-attachment.ts';

const own = { ownAddresses: ['contact@exemple-2027.fr'] };
const scan = (fileName: string, text: string | Buffer) =>
  scanAttachment({ fileName, content: Buffer.isBuffer(text) ? text : Buffer.from(text) }, own);

describe('attachment scan (SEC-3)', () => {
  it('blocks a list of names and addresses even without emails or phones', async () => {
    const v = await scan(
      'liste.txt',
      'Nom de famille;Prénom;Adresse postale\nMartin;Alice;12 rue des Lilas\n',
    );
    expect(v).toEqual([
      expect.objectContaining({
        rule: 'SEC-3',
        message: expect.stringMatching(/columns of personal data/),
      }),
    ]);
  });

  it("lets a leaflet through that gives only the organisation's own address", async () => {
    expect(
      await scan(
        'tract.txt',
        'Réunion publique jeudi à 19 h, salle des fêtes.\nContact : contact@exemple-2027.fr\n',
      ),
    ).toEqual([]);
  });

  it('blocks a PDF carrying embedded files, and an unreadable spreadsheet, as impossible to check', async () => {
    const pdf = await scan('programme.pdf', '%PDF-1.7\n1 0 obj << /Type /EmbeddedFile >> endobj\n');
    expect(pdf[0]?.message).toMatch(/embedded files/);
    const zip = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(40)]);
    expect((await scan('x.xlsx', zip))[0]?.rule).toBe('SEC-3');
  });
});
