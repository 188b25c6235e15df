/** Thrown by writes once the connection is gone: unwinds a command without logging an error. */
export class ConnectionClosed extends Error {
  constructor() {
    super('POP3 connection closed');
    this.name = 'ConnectionClosed';
  }
}
