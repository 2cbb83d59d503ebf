import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayHoldAddress, searchHolds } from '../../shared/query/raw-match.js';
import { useSeed } from '../support/seed.js';

useSeed('test/unit/raw-match.test.ts');

// The prefilters may only turn down rows the query's own test would drop.
const address = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom('Info@Strasse.example', 'zoë@x.example', 'a\\b@x.example', 'KELVIN\u212a@x.example', 'ΣΑΣ@x.example'),
);

describe('raw-column prefilters', () => {
  it('an address prefilter turns down only rows whose attendees do not hold the address', () => {
    fc.assert(
      fc.property(fc.array(address, { maxLength: 6 }), address, fc.boolean(), (emails, wanted, upper) => {
        const list = emails.map((email, i) => ({ name: `P${i}`, email: upper ? email.toUpperCase() : email }));
        const needle = wanted.toLowerCase();
        const test = mayHoldAddress('attendees', needle);
        const holds = list.some((a) => a.email.toLowerCase() === needle);
        if (test && !test({ attendees: JSON.stringify(list) })) expect(holds).toBe(false);
        // A row with the address is never turned down.
        const withIt = [...list, { name: 'X', email: upper ? wanted.toUpperCase() : wanted }];
        if (test && withIt.at(-1)!.email.toLowerCase() === needle)
          expect(test({ attendees: JSON.stringify(withIt) })).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves rows it cannot judge to the parse, and turns down rows without the address', () => {
    expect(mayHoldAddress('organizer', 'a\\b@x.example')).toBeUndefined();
    const test = mayHoldAddress('organizer', 'bo@contoso.example')!;
    expect(test({})).toBe(true);
    expect(test({ organizer: '{"name":"Bo","email":"BO@Contoso.example"}' })).toBe(true);
    expect(test({ organizer: '{"name":"Bo","email":"bob@contoso.example"}' })).toBe(false);
    expect(searchHolds('café')({ search: 'un café' })).toBe(true);
    expect(searchHolds('café')({ search: 'tea' })).toBe(false);
    expect(searchHolds('café')({})).toBe(true);
  });
});
