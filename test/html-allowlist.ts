// What an email's HTML may hold (CH-EMAIL, SEC-3), checked independently of the sanitiser: every
// "<" opens an allowlisted tag; attributes are allowlisted; links go to http, https or mailto;
// an inline style (the notice's own) loads nothing. Returns the problems found, empty when safe.
const TAGS = new Set(
  (
    'p br hr div span h1 h2 h3 h4 h5 h6 ul ol li blockquote pre code a strong b em i u s del ins ' +
    'sub sup small mark table caption thead tbody tfoot tr th td'
  ).split(' '),
);
const ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title'],
  ol: ['start'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
  p: ['style'],
};

const decode = (v: string) =>
  v
    .replace(/&#(\d+);?/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);?/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&colon;/gi, ':')
    .replace(/&amp;/g, '&');

export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  const tags = [
    ...html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*\/?>/g),
  ];
  if ((html.match(/</g) ?? []).length !== tags.length)
    problems.push('a "<" that is not a safe tag');
  for (const [, , name, attributes] of tags) {
    const tag = name!.toLowerCase();
    if (!TAGS.has(tag)) problems.push(`<${tag}>`);
    for (const [, attr, value = ''] of attributes!.matchAll(/([^\s=]+)(?:="([^"]*)")?/g)) {
      const a = attr!.toLowerCase();
      if (!(ATTRIBUTES[tag] ?? []).includes(a)) problems.push(`${tag}[${a}]`);
      if (a === 'href' && !/^(https?:\/\/|mailto:)/i.test(decode(value).trim()))
        problems.push(`a link to ${decode(value).slice(0, 20)}`);
      if (a === 'style' && /url|expression|import|@|\\/i.test(decode(value)))
        problems.push('a style that loads something');
    }
  }
  return problems;
}
