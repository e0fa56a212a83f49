// ECharts for the console, tree-shaken to what its charts draw: bar series, a cartesian grid,
// tooltips, the canvas renderer. Import this module only dynamically (`await import(...)`), so the
// library is a chunk of its own, fetched by the pages that draw a chart and not by the console's
// first load. Canvas rendering needs nothing beyond the server's CSP (no inline scripts, no
// remote fetches; tooltips use inline style attributes, which style-src 'unsafe-inline' allows).
import { format, init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { BarChart, type BarSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, type GridComponentOption, type TooltipComponentOption } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export type BarChartOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;
export type { ECharts };

/** Escapes text for tooltip HTML (names come from the database). */
export const encodeHTML = format.encodeHTML;

export { init };
