import { existsSync, writeFileSync } from 'node:fs';
import * as echarts from 'echarts';
import { chromium } from 'playwright-core';
import { attainment } from './bench-goals';
import type { BenchOutcome } from './bench-report-markdown';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Bars are cut here so that one figure far beyond its goal does not flatten the others. */
const CAP = 3;

interface Bar {
  label: string;
  attainment: number;
  text: string;
}

function barsOf(outcomes: BenchOutcome[]): Bar[] {
  return outcomes.flatMap(({ plan, result }) =>
    plan.goals.flatMap((goal) => {
      const value = result?.[goal.figure];
      const reached = attainment(goal, value);
      if (reached === null) return [];
      return [{ label: `${plan.name} · ${goal.figure}`, attainment: Math.min(CAP, reached), text: `${String(value)} (goal ${goal.op} ${String(goal.target)})` }];
    }),
  );
}

/**
 * Each throughput and latency figure against its goal as a horizontal bar, 100 % being the goal
 * (value / floor for throughput, ceiling / value for latency), rendered server-side by echarts as SVG.
 */
export function benchChartSvg(outcomes: BenchOutcome[]): string {
  const bars = barsOf(outcomes).reverse();
  const height = 120 + bars.length * 34;
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 960, height });
  chart.setOption({
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: 'Benchmarks against their goals (100 % = goal)', left: 'center', textStyle: { fontSize: 16 } },
    grid: { left: 220, right: 220, top: 50, bottom: 40 },
    xAxis: { type: 'value', max: CAP * 100, axisLabel: { formatter: '{value} %' } },
    yAxis: { type: 'category', data: bars.map((b) => b.label) },
    series: [
      {
        type: 'bar',
        data: bars.map((b) => ({ value: Math.round(b.attainment * 100), itemStyle: { color: b.attainment >= 1 ? '#3ba272' : '#ee6666' } })),
        label: { show: true, position: 'right', formatter: ({ dataIndex }: { dataIndex: number }) => bars[dataIndex]!.text },
        markLine: { symbol: 'none', silent: true, lineStyle: { color: '#333', type: 'dashed' }, data: [{ xAxis: 100 }], label: { formatter: 'goal' } },
      },
    ],
  });
  const svg = chart.renderToSVGString();
  chart.dispose();
  return svg;
}

/** Writes the SVG as a PNG by screenshotting it in headless chromium; false when chromium is missing. */
export async function writeChartPng(svg: string, path: string): Promise<boolean> {
  if (!existsSync(CHROMIUM)) return false;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 2 });
    await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
    writeFileSync(path, await page.locator('svg').first().screenshot());
    return true;
  } finally {
    await browser.close();
  }
}
