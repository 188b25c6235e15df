import type { ReactNode } from 'react';
import { requirePlatformAdmin } from '@/lib/server/viewer';

/**
 * The provider's console: platform admins only. Anyone else gets the 404 page, the same as for a
 * page that does not exist. Each page checks again (a layout is not re-run on client navigation).
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  await requirePlatformAdmin();
  return <>{children}</>;
}
