import { redirect } from 'next/navigation';
import { homeOf, requireViewer } from '@/lib/server/viewer';

/** Home: each kind of viewer starts on its own page (provider overview, tenant portal, mailbox). */
export default async function HomePage() {
  redirect(homeOf(await requireViewer()));
}
