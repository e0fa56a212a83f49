// The console's ECharts plumbing, shared by its charts (the dashboard's people per town, the
// notices follow-up's read chart, the requests' 三率, the county dashboard's trends and treemap):
// loads src/admin/charts/echarts.ts on demand
// (a chunk of its own; only its types are imported here), draws into the container once the library is in,
// follows the container's width (ResizeObserver, else window resizes, one resize per frame) and
// redraws for new figures, elderly mode and the UI language. `chartStyle()` gives the look the
// charts have in common (colours from the CSS variables, elderly sizes, tooltip and legend).
import { nextTick, onBeforeUnmount, onMounted, ref, watch, type Ref, type WatchSource } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError } from '@/shared/api';
import { prefs } from '@/shared/prefs';
import type { ChartOption, ECharts } from '@/admin/charts/echarts';

type ChartLib = typeof import('@/admin/charts/echarts');

export interface ChartSetup {
  /** The container (the template's `ref="el"`, or ChartFrame.vue's `canvas`). */
  el: Ref<HTMLDivElement | null>;
  /** Whether there is anything to draw (nothing is drawn otherwise). */
  hasData: () => boolean;
  /** The chart's options; `encodeHTML` escapes text for tooltip HTML. */
  option: (encodeHTML: (s: string) => string) => ChartOption;
  /** What else redraws the chart (elderly mode and the language always do). */
  sources: WatchSource[];
  /** Called once with the new chart instance (pointer handlers). */
  init?: (chart: ECharts) => void;
}

export function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** The common look: elderly sizes, text and line colours, animation, font, tooltip and legend. */
export function chartStyle() {
  const big = prefs.elderly;
  const text = cssVar('--sx-text', '#1d2129');
  const line = cssVar('--el-border-color-light', '#e4e7ed');
  const font = big ? 18 : 13;
  return {
    big,
    text,
    line,
    font,
    animation: !(typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches),
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    tooltip: { confine: true, borderColor: line, textStyle: { color: text, fontSize: big ? 20 : 14 } },
    legend: { top: 0, left: 0, textStyle: { color: text, fontSize: font }, itemWidth: big ? 24 : 18, itemHeight: big ? 16 : 12 },
  };
}

export function useChart(setup: ChartSetup) {
  const { locale } = useI18n();
  const { el } = setup;
  const libError = ref<unknown>(null);
  const libLoading = ref(true);
  const drawn = ref(false); // options set
  const rendered = ref(false); // first frame finished (for tests: data-state="rendered")

  let lib: ChartLib | null = null;
  let chart: ECharts | null = null;
  let observer: ResizeObserver | null = null;
  let frame = 0;
  let alive = true;

  function draw(): void {
    if (!alive || !lib || !el.value || !setup.hasData()) return;
    try {
      if (!chart) {
        chart = lib.init(el.value, null, { renderer: 'canvas' });
        setup.init?.(chart);
        chart.on('finished', () => {
          rendered.value = true;
        });
      }
      chart.setOption(setup.option(lib.encodeHTML), { notMerge: true });
      chart.resize();
      drawn.value = true;
    } catch (e) {
      libError.value = e;
    }
  }

  async function loadLib(): Promise<void> {
    libError.value = null;
    libLoading.value = true;
    try {
      lib = await import('@/admin/charts/echarts');
    } catch {
      // The chunk did not arrive (offline, or a new deployment replaced it): say so as a network failure.
      libError.value = new ApiError(0, '', '');
    } finally {
      libLoading.value = false;
    }
    await nextTick();
    draw();
  }

  function scheduleResize(): void {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => chart?.resize());
  }

  watch([...setup.sources, () => prefs.elderly, locale], async () => {
    await nextTick(); // the container has its new height (and is shown) first
    draw();
  });

  onMounted(() => {
    if (typeof ResizeObserver === 'function' && el.value) {
      observer = new ResizeObserver(scheduleResize);
      observer.observe(el.value);
    } else {
      window.addEventListener('resize', scheduleResize);
    }
    void loadLib();
  });

  onBeforeUnmount(() => {
    alive = false;
    observer?.disconnect();
    window.removeEventListener('resize', scheduleResize);
    cancelAnimationFrame(frame);
    chart?.dispose();
    chart = null;
  });

  return { libError, libLoading, drawn, rendered, loadLib, chart: (): ECharts | null => chart };
}
