/** One line of the printed table: a figure of ours against its reference, and the goal it serves. */
export interface Row {
  metric: string;
  ours: string;
  reference: string;
  /** ours ÷ reference (or as the goal defines it), as printed. */
  ratio: string;
  goal: string;
  /** Whether the goal is met; undefined for figures that carry no goal. */
  met?: boolean;
}

export interface ScenarioResult {
  id: string;
  title: string;
  /** Sizes and repetitions actually used. */
  params: Record<string, unknown>;
  /** Every measured number, for the JSON file. */
  figures: Record<string, unknown>;
  rows: Row[];
  notes: string[];
  seconds?: number;
}

export interface Options {
  quick: boolean;
}

const verdict = (met: boolean | undefined) => (met === undefined ? '' : met ? 'met' : 'NOT met');

/** The results as a Markdown table (BENCHMARKS.md takes it as printed). */
export function markdownTable(results: ScenarioResult[]): string {
  const lines = ['| scenario | figure | ours | reference | ratio | goal | |', '|---|---|---:|---:|---:|---|---|'];
  for (const r of results) {
    for (const row of r.rows) {
      lines.push(
        `| ${r.id} | ${row.metric} | ${row.ours} | ${row.reference} | ${row.ratio} | ${row.goal} | ${verdict(row.met)} |`,
      );
    }
  }
  return lines.join('\n');
}

export const fmt = (value: number, digits = 1): string => {
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '—';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
};
export const ms = (value: number) => `${fmt(value, value < 10 ? 2 : 1)} ms`;
export const times = (value: number) => (Number.isFinite(value) ? `${fmt(value, 2)}×` : '∞');
