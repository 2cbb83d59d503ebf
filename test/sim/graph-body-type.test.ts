import { describe, expect, it } from 'vitest';
import { createGraphService } from '../../dev/sim/graph/index.js';
import { htmlAsText, preferredBodyType } from '../../dev/sim/graph/event-json.js';
import { callerFor, json } from '../../dev/sim/graph/testing.js';

type Obj = Record<string, unknown>;
type Body = { contentType: string; content: string };
const DAY = 86_400_000;
const TEXT = 'outlook.body-content-type="text"';

function setup() {
  const clock = new Date('2025-03-10T12:00:00Z');
  const service = createGraphService({ seed: 7, now: () => clock });
  const user = service.createUser({ email: 'body@contoso.com', calendar: { events: 40, recurring_series: 2 } });
  const window = `startDateTime=${new Date(clock.getTime() - 30 * DAY).toISOString()}&endDateTime=${new Date(clock.getTime() + 30 * DAY).toISOString()}`;
  return { call: callerFor(service, user), window };
}

const bodies = (items: Obj[]) => items.map((i) => i.body as Body | undefined).filter((b): b is Body => b !== undefined);

describe('Prefer: outlook.body-content-type', () => {
  it('calendarView sends text bodies when asked (Preference-Applied says so), HTML otherwise', async () => {
    const { call, window } = setup();
    const html = await call('GET', `/me/calendarView?${window}&$top=100`);
    const text = await call('GET', `/me/calendarView?${window}&$top=100`, {
      headers: { Prefer: `odata.maxpagesize=100, ${TEXT}` },
    });
    const htmlBodies = bodies(json(html).value as Obj[]);
    const textBodies = bodies(json(text).value as Obj[]);
    expect(htmlBodies.length).toBeGreaterThan(20);
    expect(textBodies.length).toBe(htmlBodies.length);
    expect(new Set(htmlBodies.map((b) => b.contentType))).toEqual(new Set(['html']));
    expect(new Set(textBodies.map((b) => b.contentType))).toEqual(new Set(['text']));
    textBodies.forEach((b, k) => {
      expect(b.content).not.toMatch(/[<>]/);
      expect(b.content).toBe(htmlAsText(htmlBodies[k]!.content));
      expect(b.content.length).toBeGreaterThan(0);
    });
    expect(html.headers?.['Preference-Applied'] ?? '').not.toContain('body-content-type');
    expect(text.headers?.['Preference-Applied']).toContain(TEXT);
    expect(text.headers?.['Preference-Applied']).toContain('odata.maxpagesize=100');
  });

  it('calendarView delta and GET /me/events/{id} honour it too (occurrence stubs carry no body either way)', async () => {
    const { call, window } = setup();
    const page = await call('GET', `/me/calendarView/delta?${window}`, {
      headers: { Prefer: `outlook.timezone="UTC", ${TEXT}, odata.maxpagesize=200` },
    });
    const items = json(page).value as Obj[];
    expect(page.headers?.['Preference-Applied']).toContain(TEXT);
    const full = items.filter((i) => i.type !== 'occurrence');
    expect(full.length).toBeGreaterThan(10);
    for (const item of full) expect((item.body as Body).contentType).toBe('text');
    expect(items.filter((i) => i.type === 'occurrence' && i.body !== undefined)).toEqual([]);
    const plain = json(
      await call('GET', `/me/calendarView/delta?${window}`, { headers: { Prefer: 'odata.maxpagesize=200' } }),
    ).value as Obj[];
    for (const item of plain.filter((i) => i.type !== 'occurrence'))
      expect((item.body as Body).contentType).toBe('html');

    const masterId = String(items.find((i) => i.seriesMasterId)?.seriesMasterId);
    const asText = await call('GET', `/me/events/${masterId}`, { headers: { Prefer: TEXT } });
    const asHtml = await call('GET', `/me/events/${masterId}`, {
      headers: { Prefer: 'outlook.body-content-type="html"' },
    });
    expect((json(asText).body as Body).contentType).toBe('text');
    expect((json(asHtml).body as Body).contentType).toBe('html');
    expect(asHtml.headers?.['Preference-Applied']).toContain('outlook.body-content-type="html"');
  });

  it('reads the preference among others, and nothing else as it', () => {
    expect(preferredBodyType(`odata.maxpagesize=5, ${TEXT}`)).toBe('text');
    expect(preferredBodyType('outlook.body-content-type=HTML')).toBe('html');
    expect(preferredBodyType('outlook.body-content-type="rtf"')).toBeUndefined();
    expect(preferredBodyType('x-outlook.body-content-type="text"')).toBeUndefined();
    expect(preferredBodyType(undefined)).toBeUndefined();
  });

  it('renders text as Exchange roughly does, in one pass even for a hostile body', () => {
    const html =
      '<html><head><style>p{}</style></head><body><p>Hello&nbsp;<b>world</b> &amp; you</p><p>line&#33;<br>two</p></body></html>';
    expect(htmlAsText(html)).toBe('Hello world & you\r\nline!\r\ntwo');
    expect(htmlAsText('<'.repeat(300_000))).toHaveLength(300_000);
    expect(htmlAsText('<a '.repeat(100_000))).toHaveLength(299_999);
  });
});
