import type { Server } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { Logger } from '@darwin/logger';
import type { TlsMaterial } from './tls/tls-material.js';

/**
 * A listener with implicit TLS (IMAPS 993, POP3S 995) in front of a protocol server: each
 * connection is decrypted here and handed to the same session code as the plain port, as a
 * TLSSocket (`socket.encrypted === true`), which sessions treat as a secure channel.
 */
export function implicitTls(protocol: Server, tls: TlsMaterial, logger: Logger): TlsServer {
  const server = createTlsServer({ ...tls.serverOptions, handshakeTimeout: 30_000 }, (socket) => protocol.emit('connection', socket));
  // A failed handshake is the client's problem; log it quietly and keep serving others.
  server.on('tlsClientError', (err, socket) => {
    logger.debug('TLS handshake failed', { ip: socket.remoteAddress, err: err.message });
    socket.destroy();
  });
  return server;
}
