// What the ground truth tells about a subscription's clientState without revealing it: its length and
// an estimate of its randomness in bits. The estimate takes the smallest usual alphabet that covers
// the characters (hex 4 bits a character, base64/base64url 6, other printable ASCII 6.55) and
// charges the whole alphabet only when the string uses a fair share of it (at least half of
// min(alphabet, length) distinct characters); otherwise log2(distinct characters). A UUID counts
// 122 bits (its random part); a repeated pattern counts once. An estimate, not a proof: it catches constants, counters, timestamps
// and short values, which is what a test of "≥ 128 random bits" needs.

export interface ClientStateStrength {
  present: boolean;
  length: number;
  estimated_bits: number;
  at_least_128_bits: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function alphabetOf(s: string): { size: number; symbols: string } {
  if (/^[0-9a-f]+$/.test(s) || /^[0-9A-F]+$/.test(s)) return { size: 16, symbols: s };
  if (/^[A-Za-z0-9_-]+$/.test(s) || /^[A-Za-z0-9+/]+=*$/.test(s)) return { size: 64, symbols: s.replace(/=+$/, '') };
  return { size: 95, symbols: s };
}

/** The shortest prefix the string repeats ('abab' → 'ab'): a repeated pattern adds no randomness. */
function period(s: string): string {
  // Only a pattern that occurs at least twice counts (else any string "repeats" its first character).
  for (let p = 1; p * 2 <= s.length; p++) {
    let repeats = true;
    for (let i = p; i < s.length && repeats; i++) repeats = s[i] === s[i - p];
    if (repeats) return s.slice(0, p);
  }
  return s;
}

export function clientStateStrength(value: string | null): ClientStateStrength {
  if (!value) return { present: false, length: 0, estimated_bits: 0, at_least_128_bits: false };
  let bits: number;
  if (UUID.test(value)) bits = 122;
  else {
    const { size, symbols: all } = alphabetOf(value);
    const symbols = period(all);
    const distinct = new Set(symbols).size;
    const perChar = distinct >= Math.min(size, symbols.length) / 2 ? Math.log2(size) : Math.log2(Math.max(distinct, 1));
    bits = Math.floor(symbols.length * perChar);
  }
  return { present: true, length: value.length, estimated_bits: bits, at_least_128_bits: bits >= 128 };
}
