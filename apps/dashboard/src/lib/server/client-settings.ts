import 'server-only';
import { parseAutoconfig, type ServerSetting } from '../autoconfig';
import { API_TIMEOUT_MS, apiRestUrl } from './config';

/**
 * The servers a mail client uses for this address, as the API publishes them for automatic setup
 * (the Thunderbird autoconfig document, built from DARWIN_HOSTNAME and the engine's ports). Read
 * from there so the dashboard needs no copy of those settings. Undefined when the API does not
 * answer for the domain (for instance while the domain is suspended).
 */
export async function clientSettingsFor(address: string): Promise<ServerSetting[] | undefined> {
  try {
    const response = await fetch(apiRestUrl(`/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(address)}`), {
      cache: 'no-store',
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
    });
    if (!response.ok) return undefined;
    const servers = parseAutoconfig(await response.text());
    return servers.length ? servers : undefined;
  } catch {
    return undefined;
  }
}
