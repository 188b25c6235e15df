import { describe, expect, it } from 'vitest';
import { decodeMailboxName, encodeMailboxName, MailboxNameError } from './mailbox-name.js';

describe('mailbox names (modified UTF-7)', () => {
  it.each([
    ['INBOX', 'INBOX'],
    ['inbox', 'INBOX'],
    ['InBoX', 'INBOX'],
    ['Sent', 'Sent'],
    ['Tom &- Jerry', 'Tom & Jerry'],
    ['&ZeVnLIqe-', '日本語'],
    ['Entw&APw-rfe', 'Entwürfe'],
    ['~peter/mail/&U,BTFw-/&ZeVnLIqe-', '~peter/mail/台北/日本語'],
    ['&2D3eAA-', '😀'],
  ])('%j <-> %j', (wire, name) => {
    expect(decodeMailboxName(wire)).toBe(name);
    if (name !== 'INBOX') expect(encodeMailboxName(name)).toBe(wire);
  });

  it.each(['&', 'a&b', '&AGE-', '&ZeVnLIqe', '&Z!-', '&2D0-'])('rejects %j', (wire) => {
    expect(() => decodeMailboxName(wire)).toThrow(MailboxNameError);
  });

  it('round-trips arbitrary Unicode', () => {
    for (const s of ['a&b&c', 'Ünïcödé & more', '中文 folder', 'x\u00e9\u00e9y', '&&']) {
      expect(decodeMailboxName(encodeMailboxName(s))).toBe(s);
    }
  });
});
