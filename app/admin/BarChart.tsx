// A bar chart drawn on the server as SVG: no script (the pages' CSP allows none without a nonce), readable as an image
// with a summary for screen readers, each bar with its value on hover; the tables beside it hold the same figures.
type Bar = { label: string; value: number; title?: string };

type Props = { title: string; summary: string; bars: Bar[]; format?: (n: number) => string; height?: number };

const WIDTH = 720;
const PAD = { top: 12, right: 8, bottom: 28, left: 56 };

export function BarChart({ title, summary, bars, format = (n) => String(n), height = 180 }: Props) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = height - PAD.top - PAD.bottom;
  const step = innerW / Math.max(1, bars.length);
  const barW = Math.max(2, step * 0.7);
  // About six labels along the axis, whatever the number of bars.
  const every = Math.max(1, Math.ceil(bars.length / 6));
  const id = title.replace(/\W+/g, "-").toLowerCase();
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} preserveAspectRatio="xMidYMid meet">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        {[0, 0.5, 1].map((f) => {
          const y = PAD.top + innerH * (1 - f);
          return (
            <g key={f}>
              <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y} y2={y} className="chart-grid" />
              <text x={PAD.left - 6} y={y + 4} textAnchor="end" className="chart-axis">
                {format(max * f)}
              </text>
            </g>
          );
        })}
        {bars.map((b, i) => {
          const h = (b.value / max) * innerH;
          const x = PAD.left + i * step + (step - barW) / 2;
          return (
            <g key={b.label}>
              <rect x={x} y={PAD.top + innerH - h} width={barW} height={Math.max(h, b.value > 0 ? 1 : 0)} className="chart-bar">
                <title>{b.title ?? `${b.label}: ${format(b.value)}`}</title>
              </rect>
              {i % every === 0 && (
                <text x={x + barW / 2} y={height - 8} textAnchor="middle" className="chart-axis">
                  {b.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
