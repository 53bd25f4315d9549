// Thin uPlot wrapper: creates the plot once, resizes with its box, and updates the data in place.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  color: string;
  /** Draw as bars (daily counts) instead of a line. */
  bars?: boolean;
}

export function Chart({
  x,
  ys,
  series,
  height = 220,
  timeAxis = true,
}: {
  x: number[];
  ys: number[][];
  series: Series[];
  height?: number;
  timeAxis?: boolean;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const key = series.map((s) => s.label).join('|');
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height,
      scales: { x: { time: timeAxis } },
      axes: [
        { stroke: '#667', grid: { stroke: '#eef' } },
        { stroke: '#667', grid: { stroke: '#eef' }, size: 50 },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          fill: s.bars ? `${s.color}55` : undefined,
          paths: s.bars ? uPlot.paths.bars?.({ size: [0.6, 40] }) : undefined,
          points: { show: false },
        })),
      ],
      legend: { live: false },
    };
    plot.current = new uPlot(opts, [x, ...ys] as uPlot.AlignedData, el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // biome-ignore lint/correctness/useExhaustiveDependencies: recreate only when the series change
  }, [key, height]);
  useEffect(() => {
    plot.current?.setData([x, ...ys] as uPlot.AlignedData);
  }, [x, ys]);
  return <div class="chart" ref={box} />;
}
