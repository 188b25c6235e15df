/** A status as a small coloured label (the word is always shown, colour is only a hint). */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const tone = /^(active|verified|ok|sent|enabled|resolved)$/i.test(status)
    ? 'good'
    : /^(suspended|disabled|failed|deleted|missing|mismatch|error|bounced|blocked|revoked|expired|open)$/i.test(status)
      ? 'bad'
      : /^(deferred|sending|unchecked|queued|warning)$/i.test(status)
        ? 'warn'
        : 'neutral';
  return <span className={`badge badge-${tone}`}>{label ?? status}</span>;
}
