// Every refusal and validation message the server sends carries a stable key, and the web app
// can say each of them in French and in English (web/i18n/errors.ts), naming only values the
// error carries. A scan of the sources: a new `new DomainError(` without a key, or a key without
// its two texts, fails here with the file and line to fix.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_TEXTS, placeholders } from '../web/i18n/errors.ts';
import { DomainError } from './domain/errors.ts';
import { parseId, parseInput } from './domain/validation.ts';
import { PUBLIC_ERRORS } from './http/public-page.ts';

const SRC = new URL('.', import.meta.url).pathname;

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The index just past the bracket that closes the one at `open` (strings and templates skipped). */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"' || ch === '`') {
      i = stringEnd(text, i);
      continue;
    }
    if (ch === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      continue;
    }
    if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch) && --depth === 0) return i + 1;
  }
  return text.length;
}

function stringEnd(text: string, start: number): number {
  const quote = text[start]!;
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (quote === '`' && text.startsWith('${', i)) i = closing(text, i + 1) - 1;
    else if (text[i] === quote) return i;
  }
  return text.length;
}

/** The innermost object literal around `at`: from its `{` to its `}`. */
function enclosingObject(text: string, at: number): string {
  let depth = 0;
  for (let i = at; i >= 0; i--) {
    if (text[i] === '}') depth++;
    else if (text[i] === '{' && depth-- === 0) return text.slice(i, closing(text, i));
  }
  return '';
}

/** The bracketed literal that opens at `open`. */
const literalAt = (text: string, open: number) => text.slice(open, closing(text, open));

const lineOf = (text: string, index: number) => text.slice(0, index).split('\n').length;

type Site = { where: string; key: string; params: string[] | undefined };

/** Property names of an object literal's text (`{ id, state: s.state }` -> id, state). */
function propertyNames(literal: string): string[] | undefined {
  const inner = literal.trim();
  if (!inner.startsWith('{')) return undefined;
  const names: string[] = [];
  let depth = 0;
  let start = 1;
  const parts: string[] = [];
  for (let i = 1; i < inner.length - 1; i++) {
    const ch = inner[i]!;
    if (ch === "'" || ch === '"' || ch === '`') i = stringEnd(inner, i);
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(inner.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(inner.slice(start, inner.length - 1));
  for (const part of parts.map((p) => p.trim()).filter(Boolean)) {
    if (part.startsWith('...')) return undefined; // spread: not known statically
    const name = /^['"]?([\w$]+)['"]?\s*(:|$)/.exec(part)?.[1];
    if (name) names.push(name);
  }
  return names;
}

/** Splits a call's arguments (the text between its parentheses) at top-level commas. */
function callArguments(text: string, open: number): string[] {
  const end = closing(text, open) - 1;
  const args: string[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < end; i++) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"' || ch === '`') i = stringEnd(text, i);
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  args.push(text.slice(start, end).trim());
  return args.filter(Boolean);
}

function scan() {
  const unkeyed: string[] = [];
  const sites: Site[] = [];
  for (const path of sources()) {
    const file = relative(SRC, path);
    const text = readFileSync(path, 'utf8');
    const where = (i: number) => `src/${file}:${lineOf(text, i)}`;
    // `new DomainError(...)` outside the class itself must pass { key } (its fifth argument).
    if (file !== 'domain/errors.ts')
      for (const m of text.matchAll(/new DomainError\(/g)) {
        const call = text.slice(m.index, closing(text, m.index + m[0].length - 1));
        if (!/\bkey\b/.test(call)) unkeyed.push(where(m.index));
      }
    for (const m of text.matchAll(/DomainError\.keyed\(/g)) {
      const args = callArguments(text, m.index + m[0].length - 1);
      // A key from a table (`OTHER[what].key`) is found where the table names it.
      const key = /^'([^']+)'$/.exec(args[1] ?? '')?.[1];
      if (!key) continue;
      sites.push({ where: where(m.index), key, params: args[3] ? propertyNames(args[3]) : [] });
    }
    // A violation (an object with a rule and a message) names its key beside them.
    for (const m of text.matchAll(/\bmessage\s*:/g)) {
      const object = enclosingObject(text, m.index);
      // Objects with a rule and a message; not the Violation type itself (`key?:`).
      if (!/\brule\b\s*[:,]/.test(object) || /\bkey\?\s*:/.test(object)) continue;
      const key = /\bkey\s*:\s*'([^']+)'/.exec(object)?.[1];
      if (!key && !/\bkey\s*:/.test(object)) unkeyed.push(`${where(m.index)} (violation)`);
      else if (key) {
        const params = /\bparams\s*:\s*\{/.exec(object);
        sites.push({
          where: where(m.index),
          key,
          params: params
            ? propertyNames(literalAt(object, params.index + params[0].length - 1))
            : /\bparams\b/.test(object)
              ? undefined
              : [],
        });
      }
    }
    // Keys kept in tables, defaults or choices (`key: '...'`, `key = '...'`, `key: a ? 'x.y' :
    // 'x.z'`), and validation's tuples.
    for (const m of text.matchAll(/\bkey\s*[:=]\s*([^,;\n]+)|'(validation\.[a-z_]+)'/g))
      for (const key of m[2]
        ? [m[2]]
        : [...m[1]!.matchAll(/'([a-z_]+\.[a-z_.]+)'/g)].map((k) => k[1]!))
        if (!sites.some((s) => s.key === key && s.where === where(m.index)))
          sites.push({ where: where(m.index), key, params: undefined });
  }
  return { unkeyed, sites };
}

const { unkeyed, sites } = scan();

describe('stable message keys', () => {
  it('every DomainError and every violation thrown in src carries a stable key', () => {
    expect(unkeyed, 'add a key (DomainError.keyed or { key } on the violation)').toEqual([]);
  });

  it('keys are lowercase and dotted, <area>.<what>', () => {
    expect(sites.filter((s) => !/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/.test(s.key))).toEqual([]);
  });

  it('every key the server sends has a French and an English text in the web catalogue', () => {
    const keys = new Set([
      ...sites.map((s) => s.key),
      ...Object.keys(PUBLIC_ERRORS),
      // The body's key when an error has none of its own (errorBody in http/errors.ts).
      ...[
        'invalid',
        'unauthenticated',
        'forbidden',
        'not_found',
        'conflict',
        'refused',
        'throttled',
        'internal',
      ].map((code) => `error.${code}`),
    ]);
    const missing = [...keys].filter((k) => !ERROR_TEXTS[k]?.fr || !ERROR_TEXTS[k]?.en).sort();
    expect(missing, 'add these keys to web/i18n/errors.ts').toEqual([]);
  });

  it('the French and English texts name the same params, and each site passes them all', () => {
    const problems: string[] = [];
    for (const [key, texts] of Object.entries(ERROR_TEXTS)) {
      const fr = placeholders(texts.fr).sort();
      const en = placeholders(texts.en).sort();
      if (fr.join() !== en.join()) problems.push(`${key}: fr {${fr}} / en {${en}}`);
    }
    for (const site of sites) {
      const texts = ERROR_TEXTS[site.key];
      if (!texts || site.params === undefined) continue;
      const absent = placeholders(texts.en).filter((p) => !site.params!.includes(p));
      if (absent.length) problems.push(`${site.where} ${site.key}: no param ${absent.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('a validation failure names its key and the params its texts use', () => {
    const schema = z.strictObject({
      name: z.string().min(1, 'is required').max(5),
      tags: z.array(z.string()).max(1),
      email: z.email(),
      kind: z.enum(['a', 'b']),
    });
    const cases: unknown[] = [
      {},
      { name: '', tags: [], email: 'a@b.fr', kind: 'a' },
      { name: 'toolong', tags: [], email: 'a@b.fr', kind: 'a' },
      { name: 'ok', tags: ['x', 'y'], email: 'a@b.fr', kind: 'a' },
      { name: 'ok', tags: [], email: 'nope', kind: 'a' },
      { name: 'ok', tags: [], email: 'a@b.fr', kind: 'c' },
      { name: 'ok', tags: [], email: 'a@b.fr', kind: 'a', extra: 1 },
      { name: 3, tags: [], email: 'a@b.fr', kind: 'a' },
    ];
    const seen = new Set<string>();
    for (const input of cases) {
      let error: unknown;
      try {
        parseInput(schema, input);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      const { key, params } = error as DomainError;
      expect(ERROR_TEXTS[key!], key).toBeDefined();
      for (const p of placeholders(ERROR_TEXTS[key!]!.en))
        expect(params?.[p], `${key} {${p}}`).toBeDefined();
      seen.add(key!);
    }
    expect([...seen].sort()).toEqual([
      'validation.format',
      'validation.invalid_fields',
      'validation.not_allowed',
      'validation.required',
      'validation.too_long',
      'validation.too_many',
      'validation.unknown_fields',
      'validation.wrong_type',
    ]);
    expect(() => parseId('campaign', 'x')).toThrow(
      expect.objectContaining({ key: 'validation.id_not_uuid', params: { what: 'campaign' } }),
    );
  });
});
