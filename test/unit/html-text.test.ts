import { describe, expect, it } from 'vitest';
import { htmlToText, type ScanMeter } from '../../shared/graph/html-text.js';
import { seededRandom } from '../../dev/sim/rng.js';

// The converter as it was: regular expressions, quadratic on hostile bodies. It is the reference the
// scanner must equal on every input small enough for it to finish.
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
function regexHtmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h[1-6])>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1]?.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : '';
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

// Pieces that sit on every edge of the old expressions: partial and whole tags in both cases,
// unclosed blocks, break tags with and without spaces and slashes, entities of each kind, and
// each kind of white space (including the ones only trim() knows).
const PIECES = [
  '<',
  '>',
  '/',
  '<script',
  '<SCRIPT',
  '<script>',
  '</script>',
  '</Script>',
  '<style type="x">',
  '</style>',
  '<head>',
  '</head>',
  '<header>',
  '</HEAD>',
  '<br',
  '<br>',
  '<BR/>',
  '<br />',
  '<br/ >',
  '<br\t\n>',
  '</p>',
  '</P>',
  '</div>',
  '</li>',
  '</tr>',
  '</h1>',
  '</h6>',
  '</h7>',
  '<p>',
  '<b>',
  '</b>',
  '<a href="x">',
  '&',
  '&amp;',
  '&AMP;',
  '&nbsp;',
  '&lt;',
  '&gt;b&gt;',
  '&quot;',
  '&apos;',
  '&#33;',
  '&#x41;',
  '&#X1F600;',
  '&#0;',
  '&#x110000;',
  '&#99999999999;',
  '&unknown;',
  '&#;',
  '&#x;',
  '#',
  'x',
  ';',
  '12',
  'ff',
  ' ',
  '  ',
  '\t',
  '\f',
  '\v',
  '\r',
  '\n',
  '\r\n',
  '\u00a0',
  '\u2028',
  '\ufeff',
  'a',
  'Hello',
  'é',
  '日本',
  'İ',
  'K',
];

function randomHtml(rng: () => number, pieces: number): string {
  let s = '';
  for (let i = 0; i < pieces; i++) s += PIECES[Math.floor(rng() * PIECES.length)];
  return s;
}

const outlookBody = (paragraphs: number) =>
  `<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n<style type="text/css">p{margin:0}</style>\r\n</head>\r\n<body>\r\n` +
  Array.from(
    { length: paragraphs },
    (_, i) => `<div><p>Item ${i}: agenda &amp; notes&nbsp;<b>bold</b><br>next&#33;</p></div>\r\n`,
  ).join('') +
  '<script>track()</script></body>\r\n</html>\r\n';

describe('htmlToText gives what the regular expressions gave', () => {
  it('on the mapping test’s case and on Outlook-style bodies', () => {
    const html =
      '<html><head><style>p{}</style></head><body><p>Hello&nbsp;<b>world</b> &amp; you</p><p>line&#33;</p><script>x()</script></body></html>';
    expect(htmlToText(html)).toBe('Hello world & you\nline!');
    for (const n of [0, 1, 5, 200]) expect(htmlToText(outlookBody(n))).toBe(regexHtmlToText(outlookBody(n)));
  });

  it('on 5,000 random inputs built from the pieces the expressions treat specially', () => {
    const rng = seededRandom(19);
    let differing = 0;
    const examples: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const html = randomHtml(rng, 1 + Math.floor(rng() * 40));
      if (htmlToText(html) !== regexHtmlToText(html)) {
        differing++;
        if (examples.length < 3) examples.push(JSON.stringify(html));
      }
    }
    expect(examples).toEqual([]);
    expect(differing).toBe(0);
  });

  it('except for names of Object’s own properties, which are no entities', () => {
    expect(htmlToText('a &constructor; b &toString; c')).toBe('a &constructor; b &toString; c');
    expect(regexHtmlToText('&constructor;')).toContain('function Object');
  });
});

/** Steps the converter takes on an input. */
const steps = (html: string) => {
  const meter: ScanMeter = { steps: 0 };
  htmlToText(html, meter);
  return meter.steps;
};

describe('htmlToText is linear on every input (counted in steps, not timed)', () => {
  // The bodies that made the old expressions quadratic, and others aimed at each stage's searches.
  const hostile: Record<string, (n: number) => string> = {
    'a run of <': (n) => '<'.repeat(n),
    '<a  repeated': (n) => '<a '.repeat(n / 3),
    'unclosed <script': (n) => '<script'.repeat(n / 7),
    'unclosed <script> blocks': (n) => '<script>'.repeat(n / 8),
    'blocks whose > never comes': (n) => '<head'.repeat(n / 5),
    '<br then spaces, never closed': (n) => '<br     '.repeat(n / 8),
    'a run of </': (n) => '</'.repeat(n / 2),
    'a run of &': (n) => '&'.repeat(n),
    '&# then digits, no ;': (n) => '&#1234567'.repeat(n / 9),
    'one entity name of n letters, no ;': (n) => `&${'a'.repeat(n - 1)}`,
    'spaces and line ends': (n) => ' \r\n\t'.repeat(n / 4),
    'random pieces': (n) => {
      const rng = seededRandom(n);
      let s = '';
      while (s.length < n) s += randomHtml(rng, 50);
      return s.slice(0, n);
    },
  };
  const sizes = [10_000, 20_000, 40_000, 80_000];

  for (const [name, make] of Object.entries(hostile)) {
    it(`${name}: doubling the input at most doubles the steps (and they stay under 30 per character)`, () => {
      const counts = sizes.map((n) => steps(make(n)));
      for (let k = 1; k < sizes.length; k++) {
        expect(counts[k]!, `${name} at ${sizes[k]}: ${counts.join(', ')}`).toBeLessThanOrEqual(2.1 * counts[k - 1]!);
      }
      for (let k = 0; k < sizes.length; k++) expect(counts[k]!).toBeLessThanOrEqual(30 * sizes[k]!);
      expect(counts[0]!).toBeGreaterThan(0);
    });
  }

  it('a 300 KB hostile body takes no more steps than a normal 300 KB HTML body, within a small factor', () => {
    let normal = '';
    for (let n = 1; normal.length < 300_000; n *= 2) normal = outlookBody(n);
    normal = normal.slice(0, 300_000);
    const normalSteps = steps(normal);
    for (const body of ['<'.repeat(300_000), '<a '.repeat(100_000)]) {
      expect(steps(body)).toBeLessThanOrEqual(2 * normalSteps);
    }
  });
});
