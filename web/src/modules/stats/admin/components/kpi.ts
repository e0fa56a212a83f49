// One figure of a KPI card: its label, its text, its plain value (data-value) and data-testid.
export interface KpiFigure {
  label: string;
  text: string;
  value: number | null;
  testid?: string;
  /** 'warn': something needs attention (overdue requests). */
  tone?: 'warn' | '';
  /** What the figure means, for a tooltip. */
  hint?: string;
}
