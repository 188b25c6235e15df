import { formatNumber } from '@/lib/format';

export interface ChartPoint {
  readonly label: string;
  /** One value per series; null where nothing is known (a day before the platform's history starts). */
  readonly values: readonly (number | null)[];
}

interface Props {
  readonly title: string;
  readonly series: readonly string[];
  readonly points: readonly ChartPoint[];
  readonly format?: (n: number) => string;
  readonly kind?: 'bar' | 'line';
  /** Sizes in bytes: the y axis ends at a power of two (ticks read 512 B, 1 KB, 2 KB…), at least 1 KB. */
  readonly bytes?: boolean;
}

const WIDTH = 640;
const HEIGHT = 200;
const PAD = { top: 12, right: 8, bottom: 26, left: 48 };

/**
 * A small chart over time in plain SVG (no library, rendered on the server): grouped bars or lines,
 * a few y-axis ticks, first/middle/last x labels. Unknown values (null) leave a gap: no bar, a break
 * in the line (a lone known point is a dot). The same figures are in a table under "Show as table"
 * for screen readers and for exact values.
 */
export function TimeChart({ title, series, points, format = formatNumber, kind = 'bar', bytes = false }: Props) {
  const known = (v: number | null | undefined): v is number => typeof v === 'number';
  // At least 2 (ticks 0, 1, 2 rather than 0, 0.5, 1 for small counts).
  const max = Math.max(bytes ? 1024 : 2, ...points.flatMap((p) => p.values.filter(known)));
  const niceMax = bytes ? 2 ** Math.ceil(Math.log2(max)) : niceCeil(max);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const step = points.length ? plotW / points.length : plotW;
  const y = (v: number) => PAD.top + plotH - (v / niceMax) * plotH;
  const ticks = [0, niceMax / 2, niceMax];
  const labelAt = new Set([0, Math.floor((points.length - 1) / 2), points.length - 1]);
  // Bars add up over the period; a line (a running count) is read at its last known point.
  const total = series.map((_, i) =>
    kind === 'line' ? ([...points].reverse().find((p) => known(p.values[i]))?.values[i] ?? null) : points.reduce((sum, p) => sum + (p.values[i] ?? 0), 0),
  );
  const reading = (i: number) => {
    const t = total[i];
    return t === null || t === undefined ? 'no data yet' : `${format(t)}${kind === 'line' ? ' now' : ' in total'}`;
  };
  const summary = `${title}: ${series.map((s, i) => `${s} ${reading(i)}`).join(', ')} over ${points.length} days.`;
  const x = (i: number) => PAD.left + i * step + step / 2;
  /** Each series' runs of consecutive known points. */
  const runs = series.map((_, s) => {
    const out: { i: number; v: number }[][] = [];
    let run: { i: number; v: number }[] = [];
    points.forEach((p, i) => {
      const v = p.values[s];
      if (known(v)) run.push({ i, v });
      else if (run.length) (out.push(run), (run = []));
    });
    if (run.length) out.push(run);
    return out;
  });
  const barW = Math.max(1, (step * 0.8) / Math.max(1, series.length));

  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} preserveAspectRatio="none">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(t)} y2={y(t)} className="chart-grid" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="chart-tick">
              {format(t)}
            </text>
          </g>
        ))}
        {kind === 'bar'
          ? points.map((p, i) =>
              p.values.map((v, s) =>
                known(v) ? (
                <rect
                  key={`${p.label}-${s}`}
                  x={PAD.left + i * step + step * 0.1 + s * barW}
                  y={y(v)}
                  width={barW}
                  height={Math.max(0, PAD.top + plotH - y(v))}
                  className={`chart-series-${s}`}
                >
                  <title>{`${p.label} · ${series[s]}: ${format(v)}`}</title>
                </rect>
                ) : null,
              ),
            )
          : runs.map((seriesRuns, s) =>
              seriesRuns.map((run) =>
                run.length === 1 ? (
                  <circle key={`${s}-${run[0]!.i}`} cx={x(run[0]!.i)} cy={y(run[0]!.v)} r={3} className={`chart-dot-${s}`}>
                    <title>{`${points[run[0]!.i]!.label} · ${series[s]}: ${format(run[0]!.v)}`}</title>
                  </circle>
                ) : (
                  <polyline key={`${s}-${run[0]!.i}`} fill="none" className={`chart-line-${s}`} points={run.map((r) => `${x(r.i)},${y(r.v)}`).join(' ')} />
                ),
              ),
            )}
        {points.map((p, i) =>
          labelAt.has(i) ? (
            <text key={p.label} x={x(i)} y={HEIGHT - 8} textAnchor="middle" className="chart-tick">
              {p.label.slice(5)}
            </text>
          ) : null,
        )}
      </svg>
      <div className="chart-legend">
        {series.map((s, i) => (
          <span key={s} className="chart-key">
            <span className={`chart-swatch chart-series-${i}`} aria-hidden="true" /> {s}: {reading(i)}
          </span>
        ))}
      </div>
      <details className="chart-table">
        <summary>Show as table</summary>
        <div className="table-wrap" tabIndex={0}>
          <table>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {series.map((s) => (
                  <th key={s} scope="col" className="numeric">
                    {s}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.label}>
                  <th scope="row">{p.label}</th>
                  {p.values.map((v, i) => (
                    <td key={i} className="numeric">
                      {known(v) ? format(v) : '—'}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}

function niceCeil(n: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * magnitude >= n) return m * magnitude;
  return 10 * magnitude;
}
