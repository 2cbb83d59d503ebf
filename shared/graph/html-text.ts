const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
const BLOCKS = ['script', 'style', 'head'] as const;

/** Counts the characters the converter looks at, so a test can prove it linear without a clock. */
export interface ScanMeter {
  steps: number;
}

/**
 * Event bodies arrive as HTML; the API returns plain text. Drops scripts, styles, heads and tags, turns
 * `<br>` and block ends into newlines, decodes entities, collapses blank runs. Linear in the input on
 * every input: each stage is one scan whose searches never re-read what an earlier search passed.
 */
export function htmlToText(html: string, meter: ScanMeter = { steps: 0 }): string {
  const scan = new Scanner(meter);
  let text = scan.span(html, (t) => scan.dropBlocks(t));
  text = scan.span(text, (t) => scan.breaks(t));
  text = scan.span(text, (t) => scan.dropTags(t));
  text = scan.entities(text);
  return scan.whitespace(text).trim();
}

// The stages keep the output of the regular expressions this file had before, input for input (the unit
// test holds them side by side), without their backtracking: `<[^>]*>` over 300 KB of `<` re-read the
// rest of the body at every `<` (61 s).

const isAsciiLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number) => c >= 48 && c <= 57;
const isHex = (c: number) => isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
/** JavaScript's `\s`. */
const isSpace = (c: number) =>
  (c >= 9 && c <= 13) ||
  c === 32 ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;

/** ASCII-only lower case, same length: what the old expressions' `i` flag compared. */
const lowerAscii = (s: string) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

class Scanner {
  constructor(private readonly meter: ScanMeter) {}

  /** `s.indexOf(needle, from)`, counting the characters it passes. */
  private find(s: string, needle: string, from: number): number {
    const at = s.indexOf(needle, from);
    this.meter.steps += (at === -1 ? s.length : at + needle.length) - Math.min(from, s.length) + 1;
    return at;
  }

  /** A memo of the next `needle` at or after a position: asked at rising positions, it reads each character once. */
  private nextOf(s: string, needle: string): (from: number) => number {
    let askedFrom = Number.POSITIVE_INFINITY;
    let found = -1;
    return (from) => {
      if (from >= askedFrom && (found === -1 || from <= found)) return found;
      askedFrom = from;
      found = this.find(s, needle, from);
      return found;
    };
  }

  /** The nearest of several needles at or after a position (rising positions read each character once per needle). */
  private nextOfAny(s: string, needles: readonly string[]): (from: number) => number {
    const finders = needles.map((n) => this.nextOf(s, n));
    return (from) => {
      let best = -1;
      for (const next of finders) {
        const at = next(from);
        if (at !== -1 && (best === -1 || at < best)) best = at;
      }
      return best;
    };
  }

  /**
   * Runs a tag stage on the text from its first `<` to its last `>` (every tag starts at the one and ends
   * at the other): a body of `<` alone, with no `>`, costs two searches.
   */
  span(s: string, stage: (inner: string) => string): string {
    const first = this.find(s, '<', 0);
    if (first === -1) return s;
    const last = s.lastIndexOf('>');
    this.meter.steps += s.length - Math.max(last, first);
    if (last < first) return s;
    const inner = s.slice(first, last + 1);
    const done = stage(inner);
    return done === inner ? s : s.slice(0, first) + done + s.slice(last + 1);
  }

  /** `/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi` → ''. */
  dropBlocks(s: string): string {
    const lower = lowerAscii(s);
    this.meter.steps += s.length;
    const nextOpen = this.nextOfAny(
      lower,
      BLOCKS.map((b) => `<${b}`),
    );
    const nextGt = this.nextOf(s, '>');
    const nextClose = Object.fromEntries(BLOCKS.map((b) => [b, this.nextOf(lower, `</${b}>`)]));
    const out: string[] = [];
    let last = 0;
    for (let i = nextOpen(0); i !== -1;) {
      const name = BLOCKS.find((b) => lower.startsWith(b, i + 1))!;
      const gt = nextGt(i + 1 + name.length);
      const close = gt === -1 ? -1 : nextClose[name]!(gt + 1);
      if (close === -1) {
        i = nextOpen(i + 1);
        continue;
      }
      out.push(s.slice(last, i));
      last = close + name.length + 3;
      i = nextOpen(last);
    }
    if (last === 0) return s;
    out.push(s.slice(last));
    return out.join('');
  }

  /** `/<br\s*\/?>|<\/(p|div|li|tr|h[1-6])>/gi` → '\n'. */
  breaks(s: string): string {
    const lower = lowerAscii(s);
    this.meter.steps += s.length;
    // Candidates are `<` before `/` or `br`: searching for those (not for `<`) keeps a run of `<` cheap.
    const slashes = this.nextOf(lower, '/');
    const brs = this.nextOf(lower, 'br');
    const candidate = (next: (from: number) => number, from: number) => {
      for (let at = next(from + 1); at !== -1; at = next(at + 1)) {
        this.meter.steps += 1;
        if (lower.charCodeAt(at - 1) === 60 /* < */) return at - 1;
      }
      return -1;
    };
    const out: string[] = [];
    let last = 0;
    for (let from = 0; ;) {
      const a = candidate(slashes, from);
      const b = candidate(brs, from);
      const i = a === -1 ? b : b === -1 ? a : Math.min(a, b);
      if (i === -1) break;
      const end = this.breakEnd(lower, i);
      if (end === -1) {
        from = i + 1;
        continue;
      }
      out.push(s.slice(last, i), '\n');
      last = from = end;
    }
    if (last === 0) return s;
    out.push(s.slice(last));
    return out.join('');
  }

  /** Where a line break tag starting at `i` of the lower-cased text ends, or -1. */
  private breakEnd(s: string, i: number): number {
    const at = (k: number) => s.charCodeAt(i + k);
    const GT = 62;
    if (at(1) === 98 /* b */) {
      // `br`, then white space, an optional `/` and `>`
      let j = i + 3;
      while (j < s.length && isSpace(s.charCodeAt(j))) j++;
      this.meter.steps += j - i;
      if (s.charCodeAt(j) === 47 /* / */) j++;
      return s.charCodeAt(j) === GT ? j + 1 : -1;
    }
    this.meter.steps += 4;
    switch (at(2)) {
      case 112 /* p */:
        return at(3) === GT ? i + 4 : -1;
      case 100 /* d */:
        return at(3) === 105 && at(4) === 118 && at(5) === GT ? i + 6 : -1;
      case 108 /* l */:
        return at(3) === 105 && at(4) === GT ? i + 5 : -1;
      case 116 /* t */:
        return at(3) === 114 && at(4) === GT ? i + 5 : -1;
      case 104 /* h */:
        return at(3) >= 49 && at(3) <= 54 && at(4) === GT ? i + 5 : -1;
      default:
        return -1;
    }
  }

  /** `/<[^>]*>/g` → ''. */
  dropTags(s: string): string {
    const out: string[] = [];
    let last = 0;
    for (let i = this.find(s, '<', 0); i !== -1;) {
      const gt = this.find(s, '>', i + 1);
      // No `>` after this `<`: none after any later one either, so nothing more is a tag.
      if (gt === -1) break;
      out.push(s.slice(last, i));
      last = gt + 1;
      i = this.find(s, '<', last);
    }
    if (last === 0) return s;
    out.push(s.slice(last));
    return out.join('');
  }

  /** `/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi` → the character (unknown names stay as they are). */
  entities(s: string): string {
    const out: string[] = [];
    let last = 0;
    for (let i = this.find(s, '&', 0); i !== -1;) {
      const end = this.entityEnd(s, i);
      if (end !== -1) {
        out.push(s.slice(last, i), decodeEntity(s.slice(i, end)));
        last = end;
        i = this.find(s, '&', end);
      } else {
        i = this.find(s, '&', i + 1);
      }
    }
    if (last === 0) return s;
    out.push(s.slice(last));
    return out.join('');
  }

  /** Where an entity starting at `i` ends (after its `;`), or -1. */
  private entityEnd(s: string, i: number): number {
    const run = (from: number, accept: (c: number) => boolean) => {
      let j = from;
      while (j < s.length && accept(s.charCodeAt(j))) j++;
      this.meter.steps += j - from + 1;
      return j > from && s[j] === ';' ? j + 1 : -1;
    };
    if (s[i + 1] !== '#') return run(i + 1, isAsciiLetter);
    if ((s.charCodeAt(i + 2) | 0x20) === 0x78 /* x */) return run(i + 3, isHex);
    return run(i + 2, isDigit);
  }

  /** `\r\n?` → '\n', `[ \t\f\v]+` → ' ', ` *\n *` → '\n', `\n{3,}` → '\n\n', in one pass. */
  whitespace(s: string): string {
    const out: string[] = [];
    let last = 0;
    let i = 0;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 12 && c !== 11 && c !== 13 && c !== 10) {
        i++;
        continue;
      }
      // A gap of spaces and line ends: its spaces go where it has a line end, at most two line ends stay.
      const start = i;
      let lines = 0;
      let plain = c === 32;
      for (; i < s.length; i++) {
        const g = s.charCodeAt(i);
        if (g === 10) lines++;
        else if (g === 13) {
          lines++;
          if (s.charCodeAt(i + 1) === 10) i++;
        } else if (g !== 32 && g !== 9 && g !== 12 && g !== 11) break;
      }
      plain &&= i - start === 1;
      if (plain) continue; // a lone space stays as it is
      out.push(s.slice(last, start), lines === 0 ? ' ' : lines === 1 ? '\n' : '\n\n');
      last = i;
    }
    this.meter.steps += s.length;
    if (last === 0) return s;
    out.push(s.slice(last));
    return out.join('');
  }
}

function decodeEntity(whole: string): string {
  const name = whole.slice(1, -1);
  if (name[0] === '#') {
    const code = name[1]?.toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : '';
  }
  const key = name.toLowerCase();
  // Own keys only: `&constructor;` is no entity.
  return Object.hasOwn(ENTITIES, key) ? ENTITIES[key]! : whole;
}
