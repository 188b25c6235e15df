'use client';

import { useRouter } from 'next/navigation';
import type { ReactNode } from 'react';

/**
 * The filter bar of a list: on submit, the non-empty fields named in `keys` become the query
 * string of `path`, which the server-rendered page reads (so a filtered list has its own URL).
 */
export function FilterForm({ label, path, keys, children }: { label: string; path: string; keys: readonly string[]; children: ReactNode }) {
  const router = useRouter();
  return (
    <form
      className="filters"
      role="search"
      aria-label={label}
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const params = new URLSearchParams();
        for (const key of keys) {
          const value = String(form.get(key) ?? '').trim();
          if (value) params.set(key, value);
        }
        router.push(`${path}${params.size ? `?${params}` : ''}`);
      }}
    >
      {children}
      <button type="submit" className="button">
        Filter
      </button>
    </form>
  );
}
