'use client';

import Link, { useLinkStatus } from 'next/link';
import { usePathname } from 'next/navigation';

export interface NavItem {
  readonly href: string;
  readonly label: string;
  /** Also current on deeper paths (default true, except for the section's root). */
  readonly prefix?: boolean;
}

/** Section navigation; the current page is marked with aria-current. Scrolls sideways on phones. */
export function SubNav({ label, items }: { label: string; items: readonly NavItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="sub-nav">
      <ul>
        {items.map((item) => {
          const current = item.prefix === false ? pathname === item.href : pathname === item.href || pathname.startsWith(`${item.href}/`);
          return (
            <li key={item.href}>
              <Link href={item.href} aria-current={current ? 'page' : undefined}>
                {item.label}
                <Pending />
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/**
 * While the page behind a clicked link renders on the server, a small spinner on that link (pages
 * check access before anything streams, so there is no route-level loading screen: a refused page
 * answers a real 404).
 */
function Pending() {
  const { pending } = useLinkStatus();
  return pending ? (
    <span className="link-pending" role="status">
      <span className="visually-hidden">Loading…</span>
    </span>
  ) : null;
}
