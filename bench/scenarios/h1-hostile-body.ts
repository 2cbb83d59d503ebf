import { htmlToText, type ScanMeter } from '../../shared/graph/html-text.js';
import { mapEvent } from '../../shared/graph/map-event.js';
import { graphEventSchema, type GraphEvent } from '../../shared/graph/schemas.js';
import { fmt, ms, times, type Options, type ScenarioResult } from '../lib/report.js';
import { median, ratio } from '../lib/stats.js';

const GOAL = 1.5;
const SIZE = 300_000;

/** An Outlook-style HTML body of about `size` characters: head and style, tables, inline styles, links, entities. */
export function normalHtml(size: number): string {
  const head =
    '<html>\r\n<head>\r\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\r\n' +
    '<style type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} </style>\r\n</head>\r\n' +
    '<body dir="ltr">\r\n';
  const tail = '</body>\r\n</html>\r\n';
  const parts: string[] = [head];
  let length = head.length + tail.length;
  for (let i = 0; length < size; i++) {
    const block =
      `<div style="font-family: Aptos, Calibri, Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);">` +
      `Agenda item ${i}: review the quarterly figures &amp; next steps with the team.<br>` +
      `</div>\r\n<table cellspacing="0" style="table-layout:fixed; width:90%; border:0 none black"><tbody><tr>` +
      `<td style="padding:0; border:0 none black; font-size:12px; color:#666666">Owner:&nbsp;<b>Person ${i % 17}</b>, ` +
      `notes at <a href="https://contoso.sharepoint.com/sites/team/notes-${i}" style="color:#0072C6; text-decoration:none">` +
      `the team site</a>.</td></tr></tbody></table>\r\n<p>&quot;Decisions&quot; are due by Friday&#33;</p>\r\n`;
    parts.push(block);
    length += block.length;
  }
  parts.push(tail);
  return parts.join('').slice(0, size - tail.length) + tail;
}

const event = (content: string): GraphEvent =>
  graphEventSchema.parse({
    id: 'AAMk-bench',
    subject: 'Body cost',
    body: { contentType: 'html', content },
    start: { dateTime: '2025-03-10T09:00:00.0000000', timeZone: 'UTC' },
    end: { dateTime: '2025-03-10T10:00:00.0000000', timeZone: 'UTC' },
  });

/**
 * H1: what one event body of 300 KB costs the sync (mapEvent, which turns HTML into text) when it is
 * hostile — the bodies that took 61 s and 19 s with the old regular expressions — against a normal
 * Outlook-style body of the same size. In-process, no I/O: the figure is the converter's.
 */
export async function runH1(options: Options): Promise<ScenarioResult> {
  const reps = options.quick ? 15 : 60;
  const bodies: Record<string, string> = {
    normal: normalHtml(SIZE),
    lt: '<'.repeat(SIZE),
    a: '<a '.repeat(SIZE / 3),
    // Variants aimed at the scanner itself: a `>` at the end makes every `<` a candidate again.
    ltGt: `${'<'.repeat(SIZE - 1)}>`,
    closeGt: `${'</'.repeat(SIZE / 2 - 1)}x>`,
  };
  const events = Object.fromEntries(Object.entries(bodies).map(([k, b]) => [k, event(b)]));
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(bodies).map((k) => [k, []]));
  const keys = Object.keys(bodies);
  for (let i = 0; i < 3; i++) for (const k of keys) mapEvent('bench', events[k]!); // warm-up
  for (let i = 0; i < reps; i++) {
    for (let j = 0; j < keys.length; j++) {
      const k = keys[(i + j) % keys.length]!; // rotate who goes first
      const t0 = performance.now();
      mapEvent('bench', events[k]!);
      samples[k]!.push(performance.now() - t0);
    }
  }
  const steps = Object.fromEntries(
    keys.map((k) => {
      const meter: ScanMeter = { steps: 0 };
      htmlToText(bodies[k]!, meter);
      return [k, meter.steps];
    }),
  );
  const m = (k: string) => median(samples[k]!);
  const normal = m('normal');
  const row = (k: string, label: string, goal: boolean) => {
    const r = ratio(m(k), normal);
    return {
      metric: label,
      ours: ms(m(k)),
      reference: ms(normal),
      ratio: times(r),
      goal: goal ? `≤ ${GOAL}× a normal body` : '',
      ...(goal ? { met: r <= GOAL } : {}),
    };
  };
  return {
    id: 'H1',
    title: 'hostile event bodies',
    params: { reps, size_chars: SIZE },
    figures: { mapEvent_ms: samples, scanner_steps: steps },
    rows: [
      row('lt', `300 KB body of \`<\` × 300,000 → text (median of ${reps})`, true),
      row('a', '300 KB body of `<a ` × 100,000 → text', true),
      row('ltGt', '`<` × 299,999 then `>` → text', false),
      row('closeGt', '`</` × 149,999 then `x>` → text', false),
    ],
    notes: [
      `Reference: a normal Outlook-style HTML body of ${fmt(SIZE, 0)} characters (tables, inline styles, links, entities), ` +
        `${fmt(median(samples.normal!), 2)} ms. Scanner steps (characters looked at): ${keys.map((k) => `${k} ${fmt(steps[k]!, 0)}`).join(', ')}. ` +
        'The old regular expressions took 61 s and 19 s on the first two bodies.',
    ],
  };
}
