import { useEffect, useRef, useState } from "preact/hooks";
import { count } from "../../lib/plural";
import { formatTime } from "../../lib/time";

/** Arrivals per 5-minute bucket as an SVG bar chart, with the same numbers as text for screen readers. */
export function ArrivalsChart(props: { arrivals: { at: string; count: number }[]; timeZone: string }) {
  const { arrivals, timeZone } = props;
  // Drawn at the card's own width in CSS pixels, so it fills the card and its labels stay 12 px on any screen.
  const figure = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(360);
  const empty = arrivals.length === 0;
  useEffect(() => {
    const element = figure.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(240, Math.round(element.clientWidth)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [empty]);
  if (empty) return <p class="muted">No arrivals yet: the chart fills as people check in.</p>;
  const height = 180;
  const pad = { left: 28, bottom: 22, top: 10, right: 6 };
  const max = Math.max(...arrivals.map((bucket) => bucket.count), 1);
  const slot = (width - pad.left - pad.right) / arrivals.length;
  const barWidth = Math.max(2, Math.min(36, slot * 0.8));
  const y = (count: number) => pad.top + (height - pad.top - pad.bottom) * (1 - count / max);
  const labelEvery = Math.ceil(arrivals.length / Math.max(2, Math.floor((width - pad.left) / 56)));
  const total = arrivals.reduce((sum, bucket) => sum + bucket.count, 0);
  const peak = arrivals.reduce((best, bucket) => (bucket.count > best.count ? bucket : best), arrivals[0]);
  return (
    <figure ref={figure} style={{ margin: 0 }}>
      <svg class="chart" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img"
        aria-label={`${count(total, "arrival")} between ${formatTime(arrivals[0].at, timeZone)} and ${formatTime(arrivals[arrivals.length - 1].at, timeZone)}; busiest at ${formatTime(peak.at, timeZone)} with ${peak.count}.`}>
        <line x1={pad.left} x2={width - pad.right} y1={height - pad.bottom} y2={height - pad.bottom} stroke="#8a92a3" />
        <text x={pad.left - 6} y={y(max) + 4} text-anchor="end">{max}</text>
        <text x={pad.left - 6} y={height - pad.bottom} text-anchor="end">0</text>
        {arrivals.map((bucket, i) => {
          const x = pad.left + i * slot + (slot - barWidth) / 2;
          return (
            <g>
              <rect class="bar" x={x} y={y(bucket.count)} width={barWidth} height={height - pad.bottom - y(bucket.count)} rx="2">
                <title>{`${formatTime(bucket.at, timeZone)}: ${bucket.count}`}</title>
              </rect>
              {i % labelEvery === 0 && <text x={x + barWidth / 2} y={height - 6} text-anchor="middle">{formatTime(bucket.at, timeZone)}</text>}
            </g>
          );
        })}
      </svg>
      <figcaption class="hint">{count(total, "arrival")}; busiest: {formatTime(peak.at, timeZone)} ({peak.count}).</figcaption>
    </figure>
  );
}
