/**
 * COMPRESS=DEFLATE (RFC 4978): a Duplex that inflates what the client sends and deflates what we
 * write, over the raw (or TLS) socket. Every write is sync-flushed so each response leaves at
 * once; backpressure passes through (the deflate stream is piped into the socket, and a write
 * completes only when its flush has been taken).
 */
import { Duplex } from 'node:stream';
import zlib from 'node:zlib';

export function deflateTransport(socket: Duplex): Duplex {
  const inflate = zlib.createInflateRaw();
  const deflate = zlib.createDeflateRaw({ level: 6, memLevel: 8 });
  const transport: Duplex = new Duplex({
    read() {
      inflate.resume();
    },
    write(chunk: Buffer, _enc, cb) {
      deflate.write(chunk);
      deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => cb());
    },
    final(cb) {
      deflate.end();
      cb();
    },
    destroy(err, cb) {
      inflate.destroy();
      deflate.destroy();
      socket.destroy();
      cb(err);
    },
  });
  socket.pipe(inflate);
  inflate.on('data', (chunk: Buffer) => {
    if (!transport.push(chunk)) inflate.pause();
  });
  inflate.on('error', (err) => transport.destroy(err));
  deflate.pipe(socket);
  socket.on('error', (err) => transport.destroy(err));
  socket.on('close', () => transport.destroy());
  return transport;
}
