// A small reader for the parts of our Bicep files the infra tests check. No Bicep compiler can be
// installed here, so this reads the source: comments and strings (with `${…}` interpolations,
// which may hold strings again) are skipped correctly; everything else is plain text.

/** The text with comments blanked out (same length, so offsets stay valid). */
export function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (text[i] === "'") {
      const stop = skipString(text, i);
      out += text.slice(i, stop);
      i = stop;
    } else {
      out += text[i];
      i += 1;
    }
  }
  return out;
}

/** The index just past the string starting at `start` (`'…'` with escapes and interpolations, or `'''…'''`). */
function skipString(text: string, start: number): number {
  if (text.startsWith("'''", start)) {
    const end = text.indexOf("'''", start + 3);
    return end === -1 ? text.length : end + 3;
  }
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === "'") return i + 1;
    else if (text.startsWith('${', i)) i = skipBalanced(text, i + 1);
    else i += 1;
  }
  return i;
}

/** The index just past the bracket (`{`, `[` or `(`) at `open` and its match. */
export function skipBalanced(text: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") {
      i = skipString(text, i);
      continue;
    }
    if (c === '{' || c === '[' || c === '(') depth += 1;
    if (c === '}' || c === ']' || c === ')') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }
  throw new Error(`unbalanced bracket at ${open}`);
}

/** The body (between the brackets) of `var <name> = {…}` or `[…]`. */
export function varBody(text: string, name: string): string {
  const clean = withoutComments(text);
  const found = new RegExp(`^var ${name}\\s*=\\s*([\\[{])`, 'm').exec(clean);
  if (!found) throw new Error(`no var ${name}`);
  const open = found.index + found[0].length - 1;
  return clean.slice(open + 1, skipBalanced(clean, open) - 1);
}

/** The entries of an object body, in order, with their value text: `KEY: value` or `'KEY': value`. */
export function objectEntries(body: string): [string, string][] {
  const entries: [string, string][] = [];
  let depth = 0;
  let i = 0;
  let current: { key: string; from: number } | undefined;
  const close = (at: number) =>
    current && entries.push([current.key, body.slice(current.from, at).trim().replace(/,$/, '').trim()]);
  while (i < body.length) {
    const c = body[i]!;
    if (c === "'" && depth > 0) {
      i = skipString(body, i);
      continue;
    }
    if (depth === 0) {
      const key = /^[ \t]*(?:'([^'\\]+)'|([A-Za-z_][\w]*))[ \t]*:/.exec(body.slice(i));
      // An entry starts a line, or follows a comma in a one-line object (`{ a: 1, b: 2 }`).
      if (key && (i === 0 || body[i - 1] === '\n' || body[i - 1] === ',')) {
        close(i);
        current = { key: key[1] ?? key[2]!, from: i + key[0].length };
        i += key[0].length;
        continue;
      }
      if (c === "'") {
        i = skipString(body, i);
        continue;
      }
    }
    if (c === '{' || c === '[' || c === '(') depth += 1;
    if (c === '}' || c === ']' || c === ')') depth -= 1;
    i += 1;
  }
  close(body.length);
  return entries;
}

/** The string literals of an array body (`'a'` on each line). */
export function arrayStrings(body: string): string[] {
  return [...body.matchAll(/'([^'\\$]*)'/g)].map((m) => m[1]!);
}

/** `param name type = default` lines: name → { type, default value text or undefined }. */
export function params(text: string): Map<string, { type: string; default?: string }> {
  const found = new Map<string, { type: string; default?: string }>();
  for (const m of withoutComments(text).matchAll(/^param\s+(\w+)\s+(\w+)(?:\s*=\s*(.+?))?\s*$/gm)) {
    found.set(m[1]!, { type: m[2]!, ...(m[3] === undefined ? {} : { default: m[3] }) });
  }
  return found;
}

/** A Bicep literal as the string an app setting would hold: `'x'` → x, `15` → 15. */
export function literal(value: string): string | undefined {
  const quoted = /^'((?:[^'\\$]|\\.)*)'$/.exec(value);
  if (quoted) return quoted[1]!.replace(/\\(.)/g, '$1');
  if (/^-?\d+$/.test(value) || value === 'true' || value === 'false') return value;
  return undefined;
}

/** `resource symbol 'Type@version' = …` declarations: symbol, type (no version) and body text (comments blanked). */
export function resources(text: string): { symbol: string; type: string; body: string }[] {
  const clean = withoutComments(text);
  return [...clean.matchAll(/^resource\s+(\w+)\s+'([^'@]+)@[^']+'(?:\s+existing)?\s*=\s*/gm)].map((m) => {
    const open = clean.slice(m.index + m[0].length).search(/[[{]/) + m.index + m[0].length;
    return { symbol: m[1]!, type: m[2]!, body: clean.slice(open, skipBalanced(clean, open)) };
  });
}
