import { describe, expect, it } from 'vitest';
import { autoReplyBlocker, buildVacationReply, vacationActive } from './vacation.js';

const h = (name: string, value: string) => ({ name, value });

describe('autoReplyBlocker (RFC 3834)', () => {
  it.each([
    ['friend@remote.example', [], undefined],
    ['', [], 'null sender'],
    ['me@here.test', [], 'sender is the recipient'],
    ['MAILER-DAEMON@remote.example', [], 'sender is a program'],
    ['owner-list@remote.example', [], 'sender is a program'],
    ['list-request@remote.example', [], 'sender is a program'],
    ['noreply@remote.example', [], 'sender is a program'],
    ['friend@remote.example', [h('auto-submitted', 'auto-replied')], 'auto-submitted'],
    ['friend@remote.example', [h('auto-submitted', 'auto-generated; x=1')], 'auto-submitted'],
    ['friend@remote.example', [h('auto-submitted', 'no')], undefined],
    ['friend@remote.example', [h('precedence', 'bulk')], 'precedence bulk'],
    ['friend@remote.example', [h('precedence', 'junk')], 'precedence junk'],
    ['friend@remote.example', [h('precedence', 'list')], 'precedence list'],
    ['friend@remote.example', [h('list-id', '<news.remote.example>')], 'mailing list'],
    ['friend@remote.example', [h('list-unsubscribe', '<mailto:u@x>')], 'mailing list'],
    ['friend@remote.example', [h('x-auto-response-suppress', 'OOF, AutoReply')], 'x-auto-response-suppress'],
    ['friend@remote.example', [h('content-type', 'multipart/report; report-type=delivery-status')], 'delivery report'],
  ] as const)('%s %j -> %s', (sender, headers, expected) => {
    expect(autoReplyBlocker(sender, 'me@here.test', headers)).toBe(expected);
  });
});

describe('buildVacationReply', () => {
  it('answers with Auto-Submitted, In-Reply-To/References and an "Auto:" subject', () => {
    const sut = buildVacationReply({
      from: 'me@here.test',
      to: 'friend@remote.example',
      subject: null,
      body: 'Away until Monday.\nGrüße',
      original: [h('subject', '=?UTF-8?Q?R=C3=A9union?='), h('message-id', '<m1@remote.example>'), h('references', '<m0@remote.example>')],
      hostname: 'mx.darwin.test',
      date: new Date('2026-11-26T10:00:00Z'),
    }).toString();
    const [head, body] = sut.split('\r\n\r\n');
    expect(head).toContain('From: <me@here.test>\r\nTo: <friend@remote.example>\r\nSubject: Auto: =?UTF-8?Q?R=C3=A9union?=\r\nDate: Thu, 26 Nov 2026 10:00:00 +0000\r\n');
    expect(head).toMatch(/\r\nMessage-ID: <[^>]+\.vacation@mx\.darwin\.test>\r\n/);
    expect(head).toContain('\r\nIn-Reply-To: <m1@remote.example>\r\nReferences: <m0@remote.example> <m1@remote.example>\r\nAuto-Submitted: auto-replied (vacation)\r\n');
    expect(Buffer.from(body!, 'base64').toString()).toBe('Away until Monday.\r\nGrüße');
  });

  it('uses the configured subject', () => {
    expect(buildVacationReply({ from: 'a@b.test', to: 'c@d.test', subject: 'Out of office', body: 'x', original: [], hostname: 'h.test' }).toString()).toContain('\r\nSubject: Out of office\r\n');
  });
});

describe('vacationActive', () => {
  const now = new Date('2026-11-26T10:00:00Z');
  it.each([
    [null, null, true],
    ['2026-11-01', null, true],
    ['2026-12-01', null, false],
    [null, '2026-11-20', false],
    ['2026-11-01', '2026-12-01', true],
  ])('from %s until %s -> %s', (from, until, expected) => {
    expect(vacationActive({ startsAt: from ? new Date(from) : null, endsAt: until ? new Date(until) : null }, now)).toBe(expected);
  });
});
