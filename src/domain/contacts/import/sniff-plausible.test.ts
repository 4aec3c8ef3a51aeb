// Sniffing refuses text that would be stored garbled (a wrong encoding read as Windows-1252,
// UTF-16 without its mark, EBCDIC, a binary blob) and never refuses a real French export.
import fs from 'node:fs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/files.ts';
import { DomainError } from '../../errors.ts';
import { sniffFile } from './sniff.ts';

const files = tempDir();
afterAll(() => files.remove());

let n = 0;
function rawFile(content: Buffer): string {
  const file = files.file(`f${n++}.csv`);
  fs.writeFileSync(file, content);
  return file;
}

async function refusal(file: string, encoding?: string): Promise<DomainError> {
  const error = await sniffFile(file, { encoding }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

const FRENCH_CELLS = [
  'Élodie',
  'Hélène-Noëlle',
  'François',
  'Zoé',
  'Maëlle',
  'Gaëtan',
  'Chloé',
  'Cœur',
  'Œuvre',
  'ŒUVRE',
  'L’Haÿ-les-Roses',
  'N’GUYEN',
  'Saint-Étienne',
  'ÉLÉONORE',
  'HÉLÈNE',
  'Besançon',
  'Noël',
  '« Les Tilleuls »',
  '«\u00a0Résidence du Parc\u00a0»',
  '12 € de cotisation',
  '250 €',
  'N° 12',
  '2ᵉ étage'.replace('ᵉ', 'e'),
  'Bâtiment B – escalier C',
  'rue de l’Église…',
  'Mme Dupont — trésorière',
  '“Le Bon Coin”',
  'Çelik',
  'Ayşe'.replace('ş', 's'),
  'Müller',
  'Größe',
  'João',
  'Conceição',
  'Peña',
  'Núñez',
  'Søren',
  'Åsa',
  'Þór',
  'Ðorđe'.replace('đ', 'd'),
  'Šimon',
  'Žaneta',
  'Ÿvette',
  'Abd al-Raḥmān'.replace('ḥ', 'h').replace('ā', 'a'),
  'Aït Ben Haddou',
  'Saïd',
  'Ø 30 cm',
  '½ pension',
  '10 m²',
  '3°C',
  '• adhérent',
  '© 2026',
  'café‑théâtre',
];

const frenchText = (rows: string[][]) => rows.map((r) => r.join(';')).join('\r\n') + '\r\n';

describe('French Windows-1252 exports', () => {
  it('always pass, accents, €, œ, «», ’ and all (fixed seed)', async () => {
    const encodable = FRENCH_CELLS.filter(
      (c) => iconv.decode(iconv.encode(c, 'windows-1252'), 'windows-1252') === c,
    );
    const cell = fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...encodable) },
      {
        weight: 2,
        arbitrary: fc.constantFrom('DUPONT', 'Martin', '69003', '0612345678', 'a@exemple.fr', ''),
      },
    );
    const file = fc.array(fc.array(cell, { minLength: 3, maxLength: 12 }), {
      minLength: 1,
      maxLength: 400,
    });
    await fc.assert(
      fc.asyncProperty(file, async (rows) => {
        const bytes = iconv.encode(
          frenchText([['Nom', 'Prénom', 'Adresse'], ...rows]),
          'windows-1252',
        );
        const path = rawFile(bytes);
        for (const encoding of [undefined, 'windows-1252', 'latin1']) {
          const sniffed = await sniffFile(path, { encoding });
          expect(sniffed).toMatchObject({ kind: 'csv' });
        }
      }),
      { seed: 13_2, numRuns: 60 },
    );
  });

  it('pass with a column of nothing but accented names', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => [
      ['Élise', 'Hélène', 'Chloé', 'Zoé', 'Noël', 'Gaël'][i % 6]!,
      ['Lefèvre', 'Bérénice', 'Désirée', 'Ève'][i % 4]!,
    ]);
    const path = rawFile(iconv.encode(frenchText([['Prénom', 'Nom'], ...rows]), 'windows-1252'));
    await expect(sniffFile(path)).resolves.toMatchObject({ encoding: 'windows-1252' });
  });
});

describe('implausible text is refused', () => {
  const japanese = [
    '氏名;ふりがな;住所;メール',
    '山田太郎;やまだ たろう;東京都新宿区西新宿2-8-1;taro@exemple.jp',
    '田中花子;たなか はなこ;大阪府大阪市北区梅田1-1;hanako@exemple.jp',
    '鈴木一郎;すずき いちろう;愛知県名古屋市中区;ichiro@exemple.jp',
  ].join('\r\n');

  it('Shift-JIS is refused as Windows-1252, sniffed or given, saying what it looks like and suggesting --encoding', async () => {
    const path = rawFile(iconv.encode(japanese, 'shift_jis'));
    for (const encoding of [undefined, 'windows-1252', 'latin1']) {
      const error = await refusal(path, encoding);
      expect(error.key).toBe('import.looks_like_shift_jis');
      expect(error.message).toMatch(/Japanese.*--encoding shift_jis/);
    }
    // Given as what it is, it reads.
    await expect(sniffFile(path, { encoding: 'shift_jis' })).resolves.toMatchObject({
      encoding: 'shift_jis',
      delimiter: ';',
    });
  });

  it('a single Japanese column in an otherwise ASCII file is refused', async () => {
    const rows = Array.from(
      { length: 40 },
      (_, i) => `${['山田', '田中', '鈴木', '佐藤'][i % 4]};user${i}@exemple.jp;0612345678;69003`,
    );
    const path = rawFile(iconv.encode(['Nom;Email;Tel;CP', ...rows].join('\n'), 'shift_jis'));
    expect((await refusal(path)).key).toBe('import.looks_like_shift_jis');
  });

  it('UTF-16 without a byte order mark is refused, naming the --encoding that reads it', async () => {
    const text = 'Nom;Prénom;Email\r\nPetit;Anne;anne.petit@exemple.fr\r\n';
    for (const encoding of ['utf-16le', 'utf-16be'] as const) {
      const path = rawFile(iconv.encode(text, encoding, { addBOM: false }));
      for (const given of [undefined, 'utf-8', 'windows-1252']) {
        const error = await refusal(path, given);
        expect(error.key).toBe('import.utf16_without_bom');
        expect(error.params).toEqual({ encoding });
      }
      await expect(sniffFile(path, { encoding })).resolves.toMatchObject({
        encoding,
        delimiter: ';',
      });
    }
  });

  it('EBCDIC is refused as such', async () => {
    const ebcdic = (text: string) =>
      Buffer.from(
        [...text].map((ch) => {
          const c = ch.charCodeAt(0);
          if (ch === ' ') return 0x40;
          if (ch === ';') return 0x5e;
          if (ch === '@') return 0x7c;
          if (ch === '.') return 0x4b;
          if (ch === '\n') return 0x25;
          if (c >= 0x30 && c <= 0x39) return 0xf0 + c - 0x30;
          const upper = ch.toUpperCase().charCodeAt(0) - 0x41;
          const base = ch === ch.toUpperCase() ? 0xc1 : 0x81;
          return base + (upper < 9 ? upper : upper < 18 ? upper + 7 : upper + 15);
        }),
      );
    const rows = Array.from(
      { length: 50 },
      (_, i) => `DUPONT JEAN;RUE DE LA PAIX ${i};LYON;jean${i}@exemple.fr`,
    );
    const path = rawFile(ebcdic(['NOM PRENOM;ADRESSE;VILLE;EMAIL', ...rows].join('\n')));
    expect((await refusal(path)).key).toBe('import.looks_like_ebcdic');
  });

  it('a binary blob with no NUL and few control characters is refused (fixed seed)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 2000, maxLength: 20_000 }).map((bytes) =>
          // No NUL, no control character but tab and line breaks: past the binary test.
          Buffer.from(bytes.map((b) => (b < 0x20 ? [0x09, 0x0a, 0x0d, 0x3b][b % 4]! : b))),
        ),
        async (bytes) => {
          if (bytes[0] === 0x50 && bytes[1] === 0x4b) return; // a zip signature: XLSX, not text
          const error = await refusal(rawFile(bytes));
          expect(error.key).toMatch(
            /^import\.(implausible_text|looks_like_\w+|utf16_without_bom)$/,
          );
        },
      ),
      { seed: 1313, numRuns: 40 },
    );
  });

  it('ASCII read as UTF-16 (an --encoding that decodes to nonsense) is refused', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `Petit;Anne;anne${i}@exemple.fr`);
    const path = rawFile(Buffer.from(['Nom;Prenom;Email', ...rows].join('\n')));
    const error = await refusal(path, 'utf-16le');
    expect(error.key).toBe('import.implausible_text');
    expect(error.message).toMatch(/--encoding/);
  });

  it('an --encoding the bytes are not valid in is refused clearly, naming the line', async () => {
    const path = rawFile(
      Buffer.concat([
        Buffer.from('Nom;Prénom\nPetit;Anne\n'),
        iconv.encode('Lefèvre;Hélène\n', 'windows-1252'),
      ]),
    );
    const error = await refusal(path, 'utf-8');
    expect(error.key).toBe('import.undecodable');
    expect(error.params).toEqual({ line: 3, encoding: 'utf-8' });
    // Sniffed, the same file is Windows-1252.
    await expect(sniffFile(path)).resolves.toMatchObject({ encoding: 'windows-1252' });
  });
});
