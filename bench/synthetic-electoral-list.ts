// Writes a realistic synthetic electoral list: official extract headers, French names with
// accents (faker's fr locale), real communes and postal codes, ~6% duplicate people,
// Windows-1252, ';'. Streams to disk so that a million rows never sit in memory.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { fakerFR as faker } from '@faker-js/faker';
import iconv from 'iconv-lite';
import { ELECTORAL_HEADERS } from '../test/files.ts';

type CommuneRecord = { code: string; nom: string; type: string; codesPostaux?: string[] };

// The official extract's columns (the test fixtures' list), without an email column.
export const HEADERS = ELECTORAL_HEADERS.filter((h) => h !== 'Email');

export async function writeElectoralList(
  file: string,
  rows: number,
  seed = 42,
): Promise<{ duplicates: number }> {
  faker.seed(seed);
  const require = createRequire(import.meta.url);
  const communes = (
    require('@etalab/decoupage-administratif/data/communes.json') as CommuneRecord[]
  )
    .filter((c) => c.type === 'commune-actuelle' && c.codesPostaux?.length)
    .slice(0, 3000);
  const out = fs.createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(iconv.encode(text, 'windows-1252'))) await once(out, 'drain');
  };
  await write(`${HEADERS.join(';')}\r\n`);
  const recent: string[] = [];
  let duplicates = 0;
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    let line: string;
    if (recent.length > 100 && faker.number.float() < 0.06) {
      line = recent[faker.number.int(recent.length - 1)]!;
      duplicates++;
    } else {
      const sex = faker.helpers.arrayElement(['female', 'male'] as const);
      const commune = communes[faker.number.int(communes.length - 1)]!;
      const birth = faker.date.birthdate({ min: 18, max: 95, mode: 'age' });
      const d = (n: number) => String(n).padStart(2, '0');
      line = [
        faker.person.lastName().toUpperCase(),
        faker.number.float() < 0.2 ? faker.person.lastName().toUpperCase() : '',
        `${faker.person.firstName(sex)}${faker.number.float() < 0.4 ? ` ${faker.person.firstName(sex)}` : ''}`,
        sex === 'female' ? 'F' : 'M',
        `${d(birth.getUTCDate())}/${d(birth.getUTCMonth() + 1)}/${birth.getUTCFullYear()}`,
        faker.location.city(),
        'FRANCE',
        'Française',
        String(faker.number.int({ min: 1, max: 200 })),
        faker.location.street().replace(/;/g, ' '),
        commune.codesPostaux![0]!,
        commune.nom,
        commune.code,
        String(faker.number.int({ min: 1, max: 40 })).padStart(4, '0'),
      ].join(';');
      recent.push(line);
      if (recent.length > 5000) recent.shift();
    }
    chunk += `${line}\r\n`;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  out.end();
  await once(out, 'finish');
  return { duplicates };
}
