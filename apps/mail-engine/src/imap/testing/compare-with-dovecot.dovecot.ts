/**
 * Plays the same scripted IMAP sessions against Darwin Mail and the lab's Dovecot
 * (../shared/lab/anchor-up.sh: 127.0.0.1:11143) and prints the differences, modulo tags, human
 * text, timings, UIDVALIDITY and modseq values. Not part of `npm test`; run with
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     npx vitest run -c apps/mail-engine/src/imap/testing/vitest.dovecot.config.ts
 *
 * The report goes to stdout and to $DOVECOT_DIFF_OUT (default /tmp/imap-dovecot-diff.txt). The
 * run fails only when a transcript could not be played; differences are for a person to judge.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawImapClient } from './raw-imap-client.js';
import { startImapTestServer, type ImapTestServer } from './start-imap-test-server.js';

const DOVECOT = { port: Number(process.env.DOVECOT_IMAP_PORT ?? 11143), user: process.env.DOVECOT_USER ?? 'user0999@bench.test', pass: process.env.DOVECOT_PASS ?? 'benchpass' };
const OURS = { user: 'compare@darwin.test', pass: 'benchpass' };

const MESSAGES = [
  [
    'From: "Doe, Jane" <jane@example.org>',
    'To: a@example.com, Group: b@example.com;',
    'Cc: carol@example.net',
    'Subject: hello there',
    'Date: Thu, 26 Nov 2026 10:00:00 +0000',
    'Message-ID: <x1@example.org>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    'preamble',
    '--b1',
    'Content-Type: text/plain; format=flowed',
    '',
    'hello zebra',
    '',
    '--b1',
    'Content-Type: message/rfc822',
    '',
    'From: inner@example.net',
    'Subject: inner',
    '',
    'inner body',
    '--b1',
    'Content-Type: text/html; charset=utf-8',
    'Content-Disposition: attachment; filename="x.html"',
    'Content-Language: en, de',
    '',
    '<b>x</b>',
    '--b1--',
    '',
  ].join('\r\n'),
  'From: sender2@example.org\r\nTo: box@example.com\r\nSubject: note 2\r\nDate: Mon, 02 Mar 2026 10:00:00 +0000\r\nX-Priority: 1\r\n\r\nbody of note 2\r\n',
  'From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.org>\r\nTo: box@example.com\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nDate: Tue, 03 Mar 2026 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nnaïve café\r\n.leading dot\r\n',
  'Subject: no date, no from\r\n\r\nshort',
];
const APPEND_FLAGS = ['(\\Seen)', '()', '(\\Flagged $Work)', '(\\Deleted)'];

/** Scripted sessions: each line a command (without tag); `$UV` and `$HMS` are filled per server. */
const TRANSCRIPTS: Record<string, string[]> = {
  'select and examine': ['SELECT INBOX', 'EXAMINE INBOX', 'SELECT nosuch', 'SELECT INBOX', 'UNSELECT'],
  'fetch items': [
    'SELECT INBOX',
    'FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE)',
    'FETCH 1 ENVELOPE',
    'FETCH 1:* BODYSTRUCTURE',
    'FETCH 1:* BODY',
    'FETCH 3 (ENVELOPE)',
    'FETCH 4 (ENVELOPE BODYSTRUCTURE)',
    'FETCH 1 FAST',
    'FETCH 1 ALL',
    'FETCH 1 FULL',
  ],
  'fetch sections': [
    'EXAMINE INBOX',
    'FETCH 1 (BODY.PEEK[1] BODY.PEEK[1.MIME] BODY.PEEK[2] BODY.PEEK[2.HEADER] BODY.PEEK[2.TEXT] BODY.PEEK[2.1] BODY.PEEK[3])',
    'FETCH 1 (BODY.PEEK[HEADER.FIELDS (Subject FROM)] BODY.PEEK[HEADER.FIELDS.NOT (From To Cc Subject Date Message-ID)])',
    'FETCH 1 (BODY.PEEK[TEXT]<0.20> BODY.PEEK[]<10.5> BODY.PEEK[1]<100>)',
    'FETCH 1 (BODY.PEEK[9] BODY.PEEK[1.HEADER] BODY.PEEK[1.2] BODY.PEEK[3.MIME])',
    'FETCH 2 (RFC822.HEADER RFC822.SIZE)',
    'FETCH 4 (BODY.PEEK[1] BODY.PEEK[TEXT] BODY.PEEK[1.MIME])',
    'FETCH 2 BODY.PEEK[HEADER.FIELDS (X-Priority)]',
  ],
  'fetch marks seen': ['SELECT INBOX', 'FETCH 2 FLAGS', 'FETCH 2 BODY[TEXT]', 'FETCH 2 FLAGS', 'STORE 2 -FLAGS (\\Seen)', 'FETCH 2 RFC822.TEXT', 'STORE 2 -FLAGS.SILENT (\\Seen)'],
  'fetch errors': [
    'SELECT INBOX',
    'FETCH 5 FLAGS',
    'FETCH 1:9 FLAGS',
    'FETCH 0 FLAGS',
    'FETCH 1 BOGUS',
    'FETCH 1 (FLAGS',
    'FETCH 1 BODY[MIME]',
    'FETCH 1 BODY[HEADER.FIELDS]',
    'UID FETCH 99 FLAGS',
    'UID FETCH 3:99 UID',
    'UID FETCH *:1 UID',
    'FETCH 1 BINARY.PEEK[1]',
  ],
  store: [
    'SELECT INBOX',
    'STORE 2 +FLAGS ($Label1 \\Answered)',
    'STORE 2 -FLAGS ($Label1)',
    'STORE 2 FLAGS.SILENT (\\Draft)',
    'UID STORE 2 FLAGS ()',
    'STORE 2 +FLAGS (\\Recent)',
    'STORE 2 +FLAGS (\\Bogus)',
    'STORE 2 XFLAGS (\\Seen)',
    'STORE 1:2 +FLAGS \\Flagged',
    'STORE 1:2 -FLAGS \\Flagged',
    'FETCH 1:* FLAGS',
  ],
  search: [
    'EXAMINE INBOX',
    'SEARCH ALL',
    'SEARCH UNSEEN',
    'SEARCH SEEN',
    'SEARCH FLAGGED',
    'SEARCH DELETED',
    'SEARCH KEYWORD $Work',
    'SEARCH UNKEYWORD $Work',
    'SEARCH NEW',
    'SEARCH OLD',
    'SEARCH RECENT',
    'SEARCH FROM jane',
    'SEARCH FROM JÜRGEN',
    'SEARCH CHARSET UTF-8 SUBJECT {6+}\r\ngrüße',
    'SEARCH TO box',
    'SEARCH CC carol',
    'SEARCH BCC carol',
    'SEARCH SUBJECT note',
    'SEARCH HEADER X-Priority ""',
    'SEARCH HEADER X-Priority 1',
    'SEARCH BODY zebra',
    'SEARCH BODY "leading dot"',
    'SEARCH TEXT jane',
    'SEARCH TEXT "body of"',
    'SEARCH LARGER 300',
    'SEARCH SMALLER 300',
    'SEARCH SENTBEFORE 3-Mar-2026',
    'SEARCH SENTON 3-Mar-2026',
    'SEARCH SENTSINCE 3-Mar-2026',
    'SEARCH SINCE 1-Jan-2026',
    'SEARCH BEFORE 1-Jan-2020',
    'SEARCH ON 1-Mar-2026',
    'SEARCH 2:*',
    'SEARCH 1:10',
    'SEARCH 9',
    'SEARCH UID 2:3',
    'SEARCH NOT 1',
    'SEARCH OR 1 3',
    'SEARCH (OR SEEN FLAGGED) NOT DELETED',
    'UID SEARCH ALL',
    'SEARCH RETURN (MIN MAX COUNT ALL) ALL',
    'UID SEARCH RETURN () UNSEEN',
    'SEARCH RETURN (COUNT) DRAFT',
    'SEARCH CHARSET KOI8-R ALL',
    'SEARCH FROBNICATE',
    'SEARCH BEFORE 31-Feb-2026',
  ],
  'copy move expunge': [
    'CREATE Scratch',
    'SELECT INBOX',
    'COPY 1:2 Scratch',
    'UID COPY 3 Scratch',
    'COPY 1 NoSuchBox',
    'SELECT Scratch',
    'MOVE 1 INBOX',
    'UID MOVE 3 INBOX',
    'FETCH 1:* UID',
    'STORE 1 +FLAGS.SILENT (\\Deleted)',
    'EXPUNGE',
    'STATUS INBOX (MESSAGES)',
    'SELECT INBOX',
    'STORE 5:6 +FLAGS.SILENT (\\Deleted)',
    'UID EXPUNGE 1:4',
    'UID EXPUNGE 1:*',
    'CLOSE',
    'DELETE Scratch',
  ],
  mailboxes: [
    'LIST "" ""',
    'LIST "" *',
    'LIST "" %',
    'CREATE Projects/',
    'CREATE Projects/2026',
    'CREATE Projects',
    'CREATE inbox',
    'CREATE "a//b"',
    'CREATE &AMk-t&AOk-',
    'LIST "" "Projects*"',
    'LIST "" "Projects/%"',
    'LSUB "" *',
    'SUBSCRIBE Projects',
    'LSUB "" *',
    'LIST (SUBSCRIBED) "" *',
    'LIST (SUBSCRIBED RECURSIVEMATCH) "" %',
    'LIST "" * RETURN (SUBSCRIBED CHILDREN)',
    'LIST (SPECIAL-USE) "" *',
    'LIST "" (INBOX Projects) RETURN (STATUS (MESSAGES UNSEEN UIDNEXT))',
    'UNSUBSCRIBE Projects',
    'RENAME Projects Work',
    'RENAME Work Sent',
    'RENAME NoSuch X',
    'LIST "" "Work*"',
    'DELETE Work',
    'DELETE Work/2026',
    'DELETE Work',
    'DELETE INBOX',
    'DELETE &AMk-t&AOk-',
    'DELETE NoSuch',
    'STATUS INBOX (MESSAGES RECENT UIDNEXT UNSEEN)',
    'STATUS NoSuch (MESSAGES)',
    'STATUS INBOX (BOGUS)',
    'NAMESPACE',
  ],
  'append and status': [
    'CREATE Drop',
    'APPEND Drop (\\Seen) " 5-Mar-2026 09:04:00 +0100" {22+}\r\nSubject: a\r\n\r\nbody!\r\n',
    'APPEND Drop {22+}\r\nSubject: b\r\n\r\nbody!\r\n',
    'APPEND NoSuch {22+}\r\nSubject: c\r\n\r\nbody!\r\n',
    'APPEND Drop {0+}\r\n',
    'STATUS Drop (MESSAGES UNSEEN UIDNEXT)',
    'EXAMINE Drop',
    'FETCH 1:* (FLAGS INTERNALDATE)',
    'SELECT Drop',
    'APPEND Drop {22+}\r\nSubject: d\r\n\r\nbody!\r\n',
    'UNSELECT',
    'DELETE Drop',
  ],
  condstore: [
    'ENABLE CONDSTORE',
    'SELECT INBOX',
    'FETCH 1 (MODSEQ)',
    'STORE 2 +FLAGS ($Cond)',
    'FETCH 1:* (FLAGS) (CHANGEDSINCE $HMS)',
    'UID STORE 1:2 (UNCHANGEDSINCE 1) +FLAGS ($Cond)',
    'SEARCH MODSEQ $HMS',
    'STORE 2 -FLAGS ($Cond)',
    'STATUS INBOX (HIGHESTMODSEQ)',
    'SELECT INBOX',
  ],
  qresync: ['ENABLE QRESYNC', 'SELECT INBOX (QRESYNC ($UV 1 1:10))', 'UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)', 'SELECT INBOX (QRESYNC (1 1))'],
  misc: ['CAPABILITY', 'NOOP', 'CHECK', 'ID ("name" "compare")', 'ID NIL', 'ENABLE UTF8=ACCEPT', 'GETQUOTAROOT INBOX', 'FROBNICATE', 'LOGIN x y', 'SELECT INBOX', 'CHECK', 'IDLE'],
};

interface Target {
  readonly name: string;
  readonly port: number;
  readonly user: string;
  readonly pass: string;
}

async function session(target: Target): Promise<RawImapClient> {
  const c = await RawImapClient.connect(target.port);
  await c.next();
  const r = await c.command('L', `LOGIN "${target.user}" "${target.pass}"`);
  if (!r.at(-1)!.startsWith('L OK')) throw new Error(`${target.name}: login failed: ${r.join(' | ')}`);
  return c;
}

/**
 * Makes both mailboxes the same: INBOX with MESSAGES (fixed dates and flags), Drafts, Sent, Trash,
 * Junk, nothing else. `uidnext`: for Darwin, the UID to continue from (Dovecot's), so UIDs match.
 * Returns INBOX's UIDNEXT before the messages were added.
 */
async function reset(target: Target, setUidnext?: (n: number) => Promise<void>, uidnext?: number): Promise<number> {
  const c = await session(target);
  const list = await c.command('a', 'LIST "" *');
  const names = list.filter((l) => l.startsWith('* LIST')).map((l) => /"\/" (.*)$/.exec(l)![1]!.replace(/^"|"$/g, ''));
  for (const n of names.sort().reverse()) if (n !== 'INBOX' && !['Drafts', 'Sent', 'Trash', 'Junk'].includes(n)) await c.command('d', `DELETE "${n}"`);
  for (const n of ['Drafts', 'Sent', 'Trash', 'Junk']) if (!names.includes(n)) await c.command('c', `CREATE ${n}`);
  for (const n of ['INBOX', 'Drafts', 'Sent', 'Trash', 'Junk']) await c.command('u', `SUBSCRIBE ${n}`);
  await c.command('s', 'SELECT INBOX');
  await c.command('x', 'STORE 1:* +FLAGS.SILENT (\\Deleted)');
  await c.command('e', 'EXPUNGE');
  const status = await c.command('n', 'STATUS INBOX (UIDNEXT)');
  const next = Number(/UIDNEXT (\d+)/.exec(status[0]!)![1]);
  if (setUidnext && uidnext !== undefined) {
    await c.command('u', 'UNSELECT');
    await setUidnext(uidnext);
    await c.command('s', 'SELECT INBOX');
  }
  for (let i = 0; i < MESSAGES.length; i++) {
    const m = MESSAGES[i]!;
    await c.command('p', `APPEND INBOX ${APPEND_FLAGS[i]} "0${i + 1}-Mar-2026 12:00:00 +0000" {${Buffer.byteLength(m)}+}\r\n${m}`);
  }
  await c.command('o', 'LOGOUT');
  c.close();
  return next;
}

function normalise(lines: string[], caps: Map<string, string>): string[] {
  return lines.map((raw) => {
    let l = raw.replace(/ \(\d+\.\d+ \+ \d+\.\d+(?: \+ \d+\.\d+)? secs\)/, '');
    const capMatch = /CAPABILITY ([^\]]*)/.exec(l);
    if (capMatch) {
      caps.set(l.startsWith('*') ? 'untagged' : 'code', capMatch[1]!);
      l = l.replace(capMatch[1]!, '<caps>');
    }
    l = l
      .replace(/UIDVALIDITY \d+/g, 'UIDVALIDITY <uv>')
      .replace(/(APPENDUID|COPYUID) \d+/g, '$1 <uv>')
      .replace(/HIGHESTMODSEQ \d+/g, 'HIGHESTMODSEQ <m>')
      .replace(/MODSEQ \(\d+\)/g, 'MODSEQ (<m>)')
      .replace(/MODSEQ \d+/g, 'MODSEQ <m>')
      .replace(/^\* ID \(.*\)$/, '* ID (<server id>)')
      // Dovecot lists every keyword ever used in the mailbox (persisted across these runs); we list those in use.
      .replace(/^(\* FLAGS \(|\* OK \[PERMANENTFLAGS \()(.*?)\)/, (_m, head: string, flags: string) => `${head}${flags.split(' ').filter((f) => !f.startsWith('$')).join(' ')})`);
    // Status responses: keep status and response code, drop the human text.
    const m = /^(\S+) (OK|NO|BAD|BYE|PREAUTH)( \[[^\]]*\])?(?: .*)?$/.exec(l);
    if (m && !l.includes('{')) return `${m[1]} ${m[2]}${m[3] ?? ''}`;
    return l;
  });
}

async function play(target: Target, commands: string[], vars: Record<string, string>): Promise<string[]> {
  const c = await session(target);
  const out: string[] = [];
  try {
    for (let i = 0; i < commands.length; i++) {
      let cmd = commands[i]!;
      for (const [k, v] of Object.entries(vars)) cmd = cmd.replaceAll(k, v);
      const tag = `c${i}`;
      out.push(`>> ${cmd.split('\r\n')[0]}`);
      if (cmd === 'IDLE') {
        c.send(`${tag} IDLE\r\n`);
        out.push((await c.next()).text);
        c.send('DONE\r\n');
        out.push(...(await c.until(tag)));
        continue;
      }
      const r = await c.command(tag, cmd, 10_000);
      out.push(...r);
      const hms = r.map((l) => /HIGHESTMODSEQ (\d+)/.exec(l)?.[1]).find(Boolean);
      if (hms) vars.$HMS = hms;
      const uv = r.map((l) => /UIDVALIDITY (\d+)/.exec(l)?.[1]).find(Boolean);
      if (uv) vars.$UV = uv;
    }
  } finally {
    c.close();
  }
  return out;
}

describe('Darwin Mail vs Dovecot on the same scripted sessions', () => {
  let t: ImapTestServer;
  const report: string[] = [];
  const capReport: string[] = [];

  beforeAll(async () => {
    t = await startImapTestServer();
    await t.seed(OURS.user, OURS.pass);
  });
  afterAll(async () => {
    await t?.close();
    const text = [...capReport, ...report].join('\n');
    writeFileSync(process.env.DOVECOT_DIFF_OUT ?? '/tmp/imap-dovecot-diff.txt', text);
    process.stdout.write(`${text}\n`);
  });

  for (const [name, commands] of Object.entries(TRANSCRIPTS)) {
    it(name, async () => {
      const ours: Target = { name: 'darwin', port: t.port, ...OURS };
      const dovecot: Target = { name: 'dovecot', ...DOVECOT };
      const next = await reset(dovecot);
      await reset(ours, async (n) => {
        await t.db.dataSource.query(`UPDATE folders f SET uidnext = $2 FROM mailboxes m WHERE f.mailbox_id = m.id AND m.address = $1 AND f.name = 'INBOX'`, [OURS.user, n]);
      }, next);
      const oursCaps = new Map<string, string>();
      const theirCaps = new Map<string, string>();
      const a = normalise(await play(ours, commands, {}), oursCaps);
      const b = normalise(await play(dovecot, commands, {}), theirCaps);
      for (const [k, v] of oursCaps) {
        const w = theirCaps.get(k);
        if (!w) continue;
        const mine = new Set(v.split(' '));
        const theirs = new Set(w.split(' '));
        capReport.push(`## capabilities (${name}, ${k})\n  only darwin : ${[...mine].filter((x) => !theirs.has(x)).join(' ')}\n  only dovecot: ${[...theirs].filter((x) => !mine.has(x)).join(' ')}`);
      }
      const diff: string[] = [];
      const max = Math.max(a.length, b.length);
      // Align on the command echoes so one extra line does not shift the rest.
      let i = 0;
      let j = 0;
      while (i < a.length || j < b.length) {
        const blockA: string[] = [];
        const blockB: string[] = [];
        const head = a[i]?.startsWith('>> ') ? a[i] : b[j];
        blockA.push(a[i++] ?? '');
        blockB.push(b[j++] ?? '');
        while (i < a.length && !a[i]!.startsWith('>> ')) blockA.push(a[i++]!);
        while (j < b.length && !b[j]!.startsWith('>> ')) blockB.push(b[j++]!);
        // LIST/LSUB order is the store's; compare them as sets.
        for (const block of [blockA, blockB]) {
          const lists = block.filter((l) => /^\* (LIST|LSUB) /.test(l)).sort();
          let k = 0;
          for (let x = 0; x < block.length; x++) if (/^\* (LIST|LSUB) /.test(block[x]!)) block[x] = lists[k++]!;
        }
        if (blockA.join('\n') !== blockB.join('\n')) {
          diff.push(`  ${head}`);
          for (const l of blockA.slice(1)) if (!blockB.includes(l)) diff.push(`    darwin : ${l.slice(0, 400)}`);
          for (const l of blockB.slice(1)) if (!blockA.includes(l)) diff.push(`    dovecot: ${l.slice(0, 400)}`);
        }
        if (i + j > 4 * max) break;
      }
      report.push(`## ${name}: ${diff.length === 0 ? 'same' : 'differences'}`, ...diff);
      expect(a.length).toBeGreaterThan(0);
    });
  }
});
