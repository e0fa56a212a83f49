// Colours for a figure across places (the treemap's tiles): a light-to-dark scale between the
// smallest and the largest value shown — green for most figures, red for those where less is
// better (overdue requests, waiting times) — grey for a place without the figure, and the text
// colour that reads on each.
export const NO_VALUE = '#d9d9d9';
const GREEN: [string, string] = ['#e3efe7', '#175533'];
const RED: [string, string] = ['#fbe4e1', '#a00000'];

function rgb(hex: string): [number, number, number] {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

function mix(a: string, b: string, t: number): string {
  const x = rgb(a);
  const y = rgb(b);
  return `#${x
    .map((c, i) => Math.round(c + (y[i] - c) * t))
    .map((c) => c.toString(16).padStart(2, '0'))
    .join('')}`;
}

export interface ColorScale {
  min: number | null;
  max: number | null;
  /** The colour of a value (grey for null). */
  color: (v: number | null) => string;
  /** A readable text colour on that colour. */
  ink: (v: number | null) => string;
  /** The scale's two ends, for the legend. */
  ends: [string, string];
}

/** A scale over `values`; `worse` = red, for figures where less is better. */
export function colorScale(values: (number | null)[], worse = false): ColorScale {
  const nums = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const min = nums.length ? Math.min(...nums) : null;
  const max = nums.length ? Math.max(...nums) : null;
  const ends = worse ? RED : GREEN;
  const pos = (v: number) => (min === null || max === null || max === min ? 0.75 : 0.1 + (0.9 * (v - min)) / (max - min));
  return {
    min,
    max,
    ends,
    color: (v) => (v === null ? NO_VALUE : mix(ends[0], ends[1], pos(v))),
    ink: (v) => (v === null || pos(v) < 0.55 ? '#1d2129' : '#ffffff'),
  };
}
