'use client';

import { useEffect, useState } from 'react';

/**
 * Copies a value to the clipboard and says so beside the button (a live region, so screen readers
 * hear it too) for two seconds. The button itself always reads "Copy": its visible text stays part
 * of its accessible name (WCAG 2.5.3, axe "label-content-name-mismatch").
 */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      // Without clipboard permission: select a hidden textarea and use the older command.
      const area = document.createElement('textarea');
      area.value = value;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      const ok = document.execCommand('copy');
      area.remove();
      setState(ok ? 'copied' : 'failed');
    }
  }

  return (
    <span className="copy">
      <button type="button" className="button button-small" onClick={copy} aria-label={label}>
        Copy
      </button>
      <span role="status" className={state === 'failed' ? 'copy-status copy-failed' : 'copy-status'}>
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Could not copy; select the text instead' : ''}
      </span>
    </span>
  );
}
