import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface Secrets {
  jwtSecret: string;
}

/**
 * Secrets generated on first start and kept in the data folder (mode 0600), so tokens stay valid
 * across restarts without the user having to invent a key. An explicit setting always wins.
 */
export async function loadOrCreateSecrets(dataDir: string): Promise<Secrets> {
  const file = join(dataDir, 'secrets.json');
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<Secrets>;
    if (typeof parsed.jwtSecret === 'string' && parsed.jwtSecret.length >= 32) return { jwtSecret: parsed.jwtSecret };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secrets: Secrets = { jwtSecret: randomBytes(48).toString('base64url') };
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}
