/** A tenant's or domain's status as a small coloured label. */
export function StatusBadge({ status }: { status: string }) {
  const tone = /^(active|verified|ok)$/i.test(status)
    ? 'good'
    : /^(suspended|disabled|failed|deleted)$/i.test(status)
      ? 'bad'
      : 'neutral';
  return <span className={`badge badge-${tone}`}>{status}</span>;
}
