import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';

/** Starts listening and answers the base URL actually bound (port 0 becomes the chosen port). */
export async function listen(app: INestApplication, host: string, port: number): Promise<string> {
  await app.listen(port, host);
  const address = app.getHttpServer().address() as AddressInfo;
  const shownHost = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return `http://${shownHost}:${address.port}`;
}
