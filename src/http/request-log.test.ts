// The request log names routes, never credentials: an unsubscribe token or a message reference
// (whose page can stop every message, RIGHTS-2) is masked wherever it appears in the path, on
// served and unserved paths alike, percent-encoded or not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import type { Logger } from '../logger.ts';
import { createApp } from './app.ts';

let s: TestServices;
beforeAll(async () => {
  s = await openTestServices();
});
afterAll(() => s.dispose());

const REF = '0123456789abcdef0123456789abcdef';

describe('the request log', () => {
  it('never holds a message reference or an unsubscribe token, whatever the path', async () => {
    const lines: string[] = [];
    const logger = {
      info: (fields: unknown) => lines.push(JSON.stringify(fields)),
      error: (fields: unknown) => lines.push(JSON.stringify(fields)),
    } as unknown as Logger;
    const app = createApp(s, logger);
    const encoded = [...REF].map((ch) => `%${ch.charCodeAt(0).toString(16)}`).join('');
    for (const path of [
      `/m/${REF}`,
      `//m/${REF}`,
      `/m/${REF}/report`,
      `/api/public/messages/${REF}`,
      `/api//public/messages/${REF}/reports`,
      `/u/${REF}.abcdefghijklmnopqrstuv`,
      `/nowhere/${REF}`,
      `/m/${encoded}`,
    ])
      await app.request(path);
    expect(lines).toHaveLength(8);
    for (const line of lines) {
      expect(line).not.toContain(REF);
      expect(line).not.toContain('abcdefghijklmnopqrstuv');
      expect(line.toLowerCase()).not.toContain('%30%31%32%33');
    }
    expect(lines[0]).toContain('"path":"/m/:ref"');
  });
});
