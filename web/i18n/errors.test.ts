// The catalogue of server messages: a known key is said in the user's language with its params
// filled in; an unknown key, or a text whose param did not come, falls back to the server's
// English message (shown with lang="en").
import { describe, expect, it } from 'vitest';
import { ERROR_TEXTS, errorText, localisedError, placeholders } from './errors.ts';

describe('error catalogue', () => {
  it('says a known key in French or English, with its params', () => {
    expect(errorText('export.not_found', { id: 'e1' }, 'fr')).toBe('L’export e1 n’existe pas.');
    expect(errorText('export.not_found', { id: 'e1' }, 'en')).toBe('Export e1 does not exist.');
    expect(errorText('session.throttled', { seconds: 30 }, 'fr')).toMatch(/dans 30 s/);
    expect(
      errorText(
        'campaign.unknown_merge_field',
        { where: 'body', field: 'nom', known: '{{x}}' },
        'en',
      ),
    ).toBe('body: unknown merge field {{nom}}; use {{x}}.');
  });

  it('falls back to the server’s English message for an unknown key or a missing param', () => {
    const server = { message: 'export e1 does not exist' };
    expect(localisedError({ ...server, key: 'no.such_key' }, 'fr')).toEqual({
      text: 'export e1 does not exist',
      lang: 'en',
    });
    expect(localisedError({ ...server, key: 'export.not_found', params: {} }, 'fr')).toEqual({
      text: 'export e1 does not exist',
      lang: 'en',
    });
    expect(
      localisedError({ ...server, key: 'export.not_found', params: { id: 'e1' } }, 'fr'),
    ).toEqual({
      text: 'L’export e1 n’existe pas.',
      lang: undefined,
    });
    // Object properties are not keys.
    expect(errorText('constructor', {}, 'fr')).toBeUndefined();
  });

  it('has every text in both languages, naming the same params, as one or more sentences', () => {
    for (const [key, texts] of Object.entries(ERROR_TEXTS)) {
      expect(texts.fr.trim(), key).not.toBe('');
      expect(texts.en.trim(), key).not.toBe('');
      expect(placeholders(texts.fr).sort(), key).toEqual(placeholders(texts.en).sort());
    }
  });
});
