import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, startPop3Fixture, textMessage, type Pop3Fixture } from './test-support/pop3-fixture.js';
import { Pop3TestClient } from './test-support/pop3-test-client.js';

/** More than any cap a server might plausibly put on a listing (1,000 is a common one). */
const COUNT = 1_500;
const BATCH = 25;
const USER = 'hoarder@pop.test';

/** Sizes differ from message to message, so a LIST line cannot be right by accident. */
const message = (i: number) => textMessage(`big${i}`, `body ${i} ${'x'.repeat(i % 97)}\r\n`);

describe('POP3 maildrop of 1,500 messages: the whole INBOX is listed, no cap', () => {
  let fx: Pop3Fixture;
  /** The INBOX as the database has it, in UID order: read with SQL, not through the store's listing. */
  let rows: { id: string; size: number }[];

  beforeAll(async () => {
    fx = await startPop3Fixture();
    const mb = await fx.mailbox(USER);
    // Parallel batches keep this to seconds; the last message is delivered alone so that it surely
    // has the highest UID, and RETR of the last number must bring exactly its bytes.
    for (let i = 1; i < COUNT; i += BATCH) {
      await Promise.all(Array.from({ length: Math.min(BATCH, COUNT - i) }, (_, k) => fx.deliver(mb.mailboxId, message(i + k))));
    }
    await fx.deliver(mb.mailboxId, message(COUNT));
    rows = (await fx.db.dataSource.query(
      `SELECT m.id::text AS id, m.size::int AS size FROM messages m JOIN folders f ON f.id = m.folder_id
        WHERE f.mailbox_id = $1 AND f.name = 'INBOX' ORDER BY m.uid`,
      [mb.mailboxId],
    )) as { id: string; size: number }[];
  }, 180_000);
  afterAll(async () => {
    Pop3TestClient.destroyAll();
    await fx?.close();
  });

  it('answers STAT, LIST and UIDL for every message, and RETR of the last one', async () => {
    expect(rows).toHaveLength(COUNT);
    const c = await Pop3TestClient.greeted(fx.port);
    await c.login(USER, PASSWORD);
    const octets = rows.reduce((n, r) => n + r.size, 0);
    expect(await c.command('STAT')).toBe(`+OK ${COUNT} ${octets}`);

    const list = await c.lines('LIST');
    expect(list.status).toBe(`+OK ${COUNT} messages (${octets} octets)`);
    expect(list.lines).toHaveLength(COUNT);
    expect(list.lines.at(-1)).toBe(`${COUNT} ${rows.at(-1)!.size}`);
    expect(list.lines).toEqual(rows.map((r, i) => `${i + 1} ${r.size}`));

    const uidl = await c.lines('UIDL');
    expect(uidl.lines).toHaveLength(COUNT);
    expect(uidl.lines).toEqual(rows.map((r, i) => `${i + 1} ${r.id}`));

    expect(await c.command(`LIST ${COUNT}`)).toBe(`+OK ${COUNT} ${rows.at(-1)!.size}`);
    expect(await c.command(`LIST ${COUNT + 1}`)).toBe('-ERR no such message');
    const last = await c.multi(`RETR ${COUNT}`);
    expect(last.status).toBe(`+OK ${rows.at(-1)!.size} octets`);
    expect(last.body.toString('utf8')).toBe(message(COUNT));
    expect(await c.command('QUIT')).toBe('+OK Bye');
  });
});
