import { formatPercent } from '@/lib/format';

interface Props {
  readonly label: string;
  readonly used: number;
  readonly limit: number;
  readonly percent?: number;
  readonly format?: (n: number) => string;
  readonly compact?: boolean;
}

/** "used of limit" with a bar; amber from 80 %, red from 95 %. The text carries the figures. */
export function UsageBar({ label, used, limit, percent, format = (n) => String(n), compact }: Props) {
  const pct = percent ?? (limit > 0 ? (used / limit) * 100 : used > 0 ? 100 : 0);
  const tone = pct >= 95 ? 'bad' : pct >= 80 ? 'warn' : 'good';
  return (
    <div className={compact ? 'usage usage-compact' : 'usage'}>
      <div className="usage-text">
        {compact ? null : <span className="usage-label">{label}</span>}
        <span className="usage-figures">
          {format(used)} of {format(limit)} <span className="muted">({formatPercent(pct)})</span>
        </span>
      </div>
      <div className="usage-track" aria-hidden="true">
        <div className={`usage-fill usage-${tone}`} style={{ width: `${Math.min(100, Math.max(0, pct))}%` }} />
      </div>
    </div>
  );
}
