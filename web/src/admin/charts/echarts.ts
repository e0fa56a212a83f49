// ECharts for the console, tree-shaken to what its charts draw: bar, line, pie (donut) and treemap
// series (the treemap and lines: the county dashboard, src/modules/stats/), a cartesian grid,
// tooltips, legends, the canvas renderer. Import this module only dynamically
// (`await import(...)`), so the library is a chunk of its own, fetched by the pages that draw a
// chart and not by the console's first load. Canvas rendering needs nothing beyond the server's
// CSP (no inline scripts, no remote fetches; tooltips use inline style attributes, which
// style-src 'unsafe-inline' allows).
import { format, init, use, type ComposeOption, type ECharts } from 'echarts/core';
import {
  BarChart,
  LineChart,
  PieChart,
  TreemapChart,
  type BarSeriesOption,
  type LineSeriesOption,
  type PieSeriesOption,
  type TreemapSeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, PieChart, TreemapChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type BarChartOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;
/** Bars and donuts with a legend (the notices follow-up page). */
export type MixedChartOption = ComposeOption<
  BarSeriesOption | PieSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;
/** Lines and bars by month with a legend (the county dashboard's trends). */
export type TrendChartOption = ComposeOption<
  LineSeriesOption | BarSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;
/** A treemap with tooltips (the county dashboard's towns or villages). */
export type TreemapChartOption = ComposeOption<TreemapSeriesOption | TooltipComponentOption>;
/** Whatever a console chart draws (what `useChart`'s `option` returns). */
export type ChartOption = BarChartOption | MixedChartOption | TrendChartOption | TreemapChartOption;
export type { ECharts };

/** Escapes text for tooltip HTML (names come from the database). */
export const encodeHTML = format.encodeHTML;

export { init };
