import { describe, expect, it } from 'vitest';
import { addFacts, EMPTY_FACTS, resolveRecipient } from './resolve.js';
import type { DirectoryAlias, DirectoryDomain, DirectoryFacts, DirectoryMailbox, RecipientResolution, ResolveOptions } from './types.js';

/** A small directory, looked up like the database would be. */
interface Dir {
  domains: DirectoryDomain[];
  mailboxes: Partial<DirectoryMailbox>[];
  aliases: Partial<DirectoryAlias>[];
}

const T = 'tenant-1';

function mailbox(p: Partial<DirectoryMailbox>): DirectoryMailbox {
  return {
    id: `mb:${p.address}`,
    tenantId: T,
    address: p.address!,
    receiveSuspended: false,
    active: true,
    quotaBytes: 1000,
    quotaMessages: null,
    usedBytes: 0,
    usedMessages: 0,
    maxMessageBytes: 10_000,
    forwardTo: [],
    forwardKeepCopy: true,
    ...p,
  };
}

function alias(p: Partial<DirectoryAlias>): DirectoryAlias {
  return { source: p.source!, tenantId: T, destinations: [], enabled: true, ...p };
}

const base: Dir = {
  domains: [
    { name: 'example.test', tenantId: T, active: true },
    { name: 'xn--bcher-kva.test', tenantId: T, active: true },
    { name: 'asleep.test', tenantId: T, active: false },
    { name: 'other.test', tenantId: 'tenant-2', active: true },
  ],
  mailboxes: [
    { address: 'alice@example.test' },
    { address: 'bob@example.test' },
    { address: 'carol@example.test' },
    { address: 'jo@xn--bcher-kva.test' },
    { address: 'away@example.test', receiveSuspended: true },
    { address: 'full@example.test', usedBytes: 1000 },
    { address: 'fwd@example.test', forwardTo: ['someone@remote.example'], forwardKeepCopy: false },
    { address: 'fwdcopy@example.test', forwardTo: ['someone@remote.example', 'bob@example.test'], forwardKeepCopy: true },
    { address: 'fullfwd@example.test', usedBytes: 1000, forwardTo: ['x@remote.example'], forwardKeepCopy: false },
    { address: 'selffwd@example.test', forwardTo: ['SelfFwd@example.test', 'y@remote.example'], forwardKeepCopy: false },
    { address: 'dave@other.test', tenantId: 'tenant-2' },
    { address: 'ghost@asleep.test', active: false },
  ],
  aliases: [
    { source: 'team@example.test', destinations: ['alice@example.test', 'Bob@Example.test', 'partner@remote.example', 'dave@other.test'] },
    { source: 'alice+special@example.test', destinations: ['carol@example.test'] },
    { source: 'loop-a@example.test', destinations: ['loop-b@example.test'] },
    { source: 'loop-b@example.test', destinations: ['loop-a@example.test'] },
    { source: 'diamond@example.test', destinations: ['team@example.test', 'alice@example.test'] },
    { source: 'off@example.test', destinations: ['carol@example.test'], enabled: false },
    { source: 'onlyaway@example.test', destinations: ['away@example.test'] },
    { source: 'mixedfull@example.test', destinations: ['full@example.test', 'alice@example.test'] },
    { source: 'nobody-home@example.test', destinations: ['missing@example.test'] },
    { source: '@xn--bcher-kva.test', destinations: ['jo@xn--bcher-kva.test'] },
    { source: 'chain1@example.test', destinations: ['chain2@example.test'] },
    { source: 'chain2@example.test', destinations: ['chain3@example.test'] },
    { source: 'chain3@example.test', destinations: ['alice@example.test'] },
  ],
};

/** Resolves like the engine does: look up what is asked for, call again; returns the result and the rounds. */
function resolve(raw: string, dir: Dir = base, opts: ResolveOptions = {}): { sut: RecipientResolution; rounds: number } {
  let facts: DirectoryFacts = EMPTY_FACTS;
  for (let rounds = 1; rounds <= 10; rounds++) {
    const sut = resolveRecipient(raw, facts, opts);
    if (sut.kind !== 'need') return { sut, rounds };
    facts = addFacts(facts, {
      domains: sut.domains.map((d) => [d, dir.domains.find((x) => x.name === d) ?? null]),
      mailboxes: sut.addresses.map((a) => {
        const m = dir.mailboxes.find((x) => x.address === a);
        return [a, m ? mailbox(m) : null];
      }),
      aliases: sut.addresses.map((a) => {
        const x = dir.aliases.find((y) => y.source === a);
        return [a, x ? alias(x) : null];
      }),
    });
  }
  throw new Error('resolution did not converge');
}

function summary(r: RecipientResolution): string {
  if (r.kind === 'accepted') {
    const local = r.deliveries.map((d) => `${d.mailbox.address}(${d.route})`).sort();
    const ext = r.forwards.map((f) => `${f.address}<${f.mailboxId ?? 'alias'}>`).sort();
    return [...local, ...ext.map((e) => `-> ${e}`)].join(' ');
  }
  if (r.kind === 'rejected') return `rejected:${r.reason}`;
  if (r.kind === 'remote') return `remote:${r.domain}`;
  return 'need';
}

describe('resolveRecipient', () => {
  it.each([
    // mailbox, compared case-insensitively
    ['alice@example.test', 'alice@example.test(mailbox)'],
    ['ALICE@Example.TEST', 'alice@example.test(mailbox)'],
    ['<alice@example.test>', 'alice@example.test(mailbox)'],
    // IDNA: a Unicode domain finds the mailbox stored in ASCII form, and its catch-all
    ['Jo@BÜCHER.test', 'jo@xn--bcher-kva.test(mailbox)'],
    ['jo@xn--bcher-kva.test', 'jo@xn--bcher-kva.test(mailbox)'],
    ['anyone@bücher.test', 'jo@xn--bcher-kva.test(catch_all)'],
    // subaddress delivered to the base mailbox; an exact alias for the tagged address wins
    ['alice+news@example.test', 'alice@example.test(subaddress)'],
    ['Alice+News+more@example.test', 'alice@example.test(subaddress)'],
    ['alice+special@example.test', 'carol@example.test(alias)'],
    // alias with several local (also in another tenant) and external destinations
    ['team@example.test', 'alice@example.test(alias) bob@example.test(alias) dave@other.test(alias) -> partner@remote.example<alias>'],
    ['team+x@example.test', 'alice@example.test(alias) bob@example.test(alias) dave@other.test(alias) -> partner@remote.example<alias>'],
    // alias chains and diamonds: one copy per mailbox
    ['chain1@example.test', 'alice@example.test(alias)'],
    ['diamond@example.test', 'alice@example.test(alias) bob@example.test(alias) dave@other.test(alias) -> partner@remote.example<alias>'],
    // forwarding without and with a kept copy, to external and local addresses
    ['fwd@example.test', '-> someone@remote.example<mb:fwd@example.test>'],
    ['fwdcopy@example.test', 'bob@example.test(forward) fwdcopy@example.test(mailbox) -> someone@remote.example<mb:fwdcopy@example.test>'],
    ['selffwd@example.test', 'selffwd@example.test(mailbox) -> y@remote.example<mb:selffwd@example.test>'],
    // a full mailbox that forwards everything away still accepts
    ['fullfwd@example.test', '-> x@remote.example<mb:fullfwd@example.test>'],
    // an alias reaching a full and a non-full mailbox accepts (the store skips the full one)
    ['mixedfull@example.test', 'alice@example.test(alias) full@example.test(alias)'],
    // states
    ['nobody@example.test', 'rejected:unknown'],
    ['away@example.test', 'rejected:disabled'],
    ['away+tag@example.test', 'rejected:disabled'],
    ['onlyaway@example.test', 'rejected:disabled'],
    ['ghost@asleep.test', 'rejected:disabled'],
    ['full@example.test', 'rejected:full'],
    ['loop-a@example.test', 'rejected:loop'],
    ['nobody-home@example.test', 'rejected:unknown'],
    ['off@example.test', 'rejected:unknown'],
    ['someone@remote.example', 'remote:remote.example'],
    ['not an address', 'rejected:syntax'],
    ['@example.test', 'rejected:syntax'],
  ])('%s -> %s', (raw, expected) => {
    expect(summary(resolve(raw).sut)).toBe(expected);
  });

  it('prefers a mailbox and a subaddress over the catch-all', () => {
    const dir: Dir = { ...base, aliases: [...base.aliases, { source: '@example.test', destinations: ['carol@example.test'] }] };
    expect(summary(resolve('alice@example.test', dir).sut)).toBe('alice@example.test(mailbox)');
    expect(summary(resolve('alice+x@example.test', dir).sut)).toBe('alice@example.test(subaddress)');
    expect(summary(resolve('stranger@example.test', dir).sut)).toBe('carol@example.test(catch_all)');
    // a disabled alias falls through to the catch-all
    expect(summary(resolve('off@example.test', dir).sut)).toBe('carol@example.test(catch_all)');
  });

  it('can disable subaddressing or use another separator', () => {
    expect(summary(resolve('alice+news@example.test', base, { separator: '' }).sut)).toBe('rejected:unknown');
    expect(summary(resolve('alice-news@example.test', base, { separator: '-' }).sut)).toBe('alice@example.test(subaddress)');
    expect(summary(resolve('+news@example.test').sut)).toBe('rejected:unknown');
  });

  it('stops at the depth limit', () => {
    expect(summary(resolve('chain1@example.test', base, { maxDepth: 2 }).sut)).toBe('rejected:loop');
    expect(summary(resolve('chain1@example.test', base, { maxDepth: 3 }).sut)).toBe('alice@example.test(alias)');
  });

  it('asks for the domain and every key at once, so a plain mailbox takes one lookup round', () => {
    const first = resolveRecipient('Alice+x@Example.test', EMPTY_FACTS);
    expect(first).toEqual({ kind: 'need', domains: ['example.test'], addresses: ['alice+x@example.test', 'alice@example.test', '@example.test'] });
    expect(resolve('alice+x@example.test').rounds).toBe(2);
    expect(resolve('team@example.test').rounds).toBe(3);
  });

  it('names the tenant of the recipient domain and the tenant of each forward', () => {
    const r = resolve('team@example.test').sut;
    expect(r.kind === 'accepted' && r.tenantId).toBe(T);
    expect(r.kind === 'accepted' && r.forwards[0]!.tenantId).toBe(T);
    const d = resolve('dave@other.test').sut;
    expect(d.kind === 'accepted' && d.tenantId).toBe('tenant-2');
  });
});
