// Issue 13: the plausibility test of Windows-1252 text never refuses real contact lists: names
// written with the acute accent for an apostrophe (D´ALMEIDA, O´NEILL), addresses with ½ or ×,
// notes with ± or µ. Shift-JIS read as Windows-1252 stays refused.
import fs from 'node:fs';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/files.ts';
import { implausibleText } from './plausible-text.ts';
import { sniffFile } from './sniff.ts';

const files = tempDir();
afterAll(() => files.remove());

let n = 0;
function windows1252File(text: string): string {
  const file = files.file(`names${n++}.csv`);
  fs.writeFileSync(file, iconv.encode(text, 'windows-1252'));
  return file;
}

const NAMES =
  'nom;prenom\n' +
  ['D´ALMEIDA;João', 'L´HERMITE;Anne', 'N´DIAYE;Awa', 'O´NEILL;Sean', 'MARTIN;Paul'].join('\n') +
  '\n';
const ADDRESSES =
  'nom;adresse;note\n' +
  [
    'MARTIN;12 ½ rue des Lilas;',
    'DURAND;3 × 2 allée Verte;',
    'PETIT;1 place du Marché;±5 min à pied',
    'ROUX;4 rue Haute;µ-onde au 2ᵉ',
    'BLANC;5 ¼ chemin Creux;bât. B ³',
  ].join('\n') +
  '\n';

describe('real Windows-1252 contact lists are plausible text', () => {
  it('accepts names written with the acute accent as an apostrophe, sniffed or given', async () => {
    expect(implausibleText(Buffer.from(NAMES, 'latin1'), NAMES, 'windows-1252')).toBeUndefined();
    const file = windows1252File(NAMES);
    await expect(sniffFile(file)).resolves.toMatchObject({ encoding: 'windows-1252' });
    await expect(sniffFile(file, { encoding: 'windows-1252' })).resolves.toBeDefined();
  });

  it('accepts addresses and notes with ½ × ± µ ¼ ³', async () => {
    const text = ADDRESSES.replace('2ᵉ', '2e');
    expect(implausibleText(Buffer.from(text, 'latin1'), text, 'windows-1252')).toBeUndefined();
    await expect(sniffFile(windows1252File(text))).resolves.toMatchObject({
      encoding: 'windows-1252',
    });
  });

  it('still refuses Japanese names in Shift-JIS read as Windows-1252', () => {
    const japanese =
      '氏名;住所\n' +
      ['山田太郎;東京都千代田区', '佐藤花子;大阪府大阪市', 'スズキ イチロウ;名古屋市'].join('\n') +
      '\n';
    const bytes = iconv.encode(japanese, 'shift_jis');
    const asLatin = iconv.decode(bytes, 'windows-1252');
    expect(implausibleText(bytes, asLatin, 'windows-1252')).toBe('shift_jis');
  });
});
