import { parseAddress, type Address } from '../address.js';
import { isFull } from '../quota.js';
import type {
  DirectoryAlias,
  DirectoryDomain,
  DirectoryFacts,
  DirectoryMailbox,
  ExternalForward,
  LocalDelivery,
  RecipientResolution,
  RecipientRoute,
  ResolveOptions,
} from './types.js';

const DEFAULT_SEPARATOR = '+';
const DEFAULT_MAX_DEPTH = 8;

/** The keys under which one address can be found, in the order they are tried. */
export function lookupKeys(addr: Address, separator = DEFAULT_SEPARATOR): { mailboxes: string[]; aliases: string[] } {
  const base = baseAddress(addr, separator);
  const mailboxes = base ? [addr.address, base] : [addr.address];
  return { mailboxes, aliases: [...mailboxes, `@${addr.domain}`] };
}

/** `user+tag@domain` -> `user@domain`; undefined when there is no subaddress. */
export function baseAddress(addr: Address, separator = DEFAULT_SEPARATOR): string | undefined {
  if (!separator) return undefined;
  const i = addr.localPart.indexOf(separator);
  if (i <= 0) return undefined;
  return `${addr.localPart.slice(0, i)}@${addr.domain}`;
}

type Hit =
  | { readonly kind: 'mailbox'; readonly mailbox: DirectoryMailbox; readonly route: RecipientRoute }
  | { readonly kind: 'alias'; readonly alias: DirectoryAlias; readonly route: RecipientRoute };

interface Origin {
  readonly tenantId: string;
  readonly mailboxId: string | null;
}

/**
 * One resolution walk over the facts. Lookups follow Postfix's order for virtual domains: the
 * address itself (mailbox, then alias), then without its subaddress, then the domain's catch-all,
 * so a real mailbox always wins over `@domain`. Aliases and forwards expand recursively, up to a
 * depth; an address already expanded is not expanded again (that is how loops end).
 */
class Walk {
  private readonly needDomains = new Set<string>();
  private readonly needAddresses = new Set<string>();
  private readonly visited = new Set<string>();
  private readonly deliveries = new Map<string, LocalDelivery>();
  private readonly forwards = new Map<string, ExternalForward>();
  looped = false;
  disabled = 0;
  private readonly separator: string;
  private readonly maxDepth: number;

  constructor(
    private readonly facts: DirectoryFacts,
    opts: ResolveOptions,
  ) {
    this.separator = opts.separator ?? DEFAULT_SEPARATOR;
    this.maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  }

  get missing(): boolean {
    return this.needDomains.size > 0 || this.needAddresses.size > 0;
  }

  need(): RecipientResolution {
    return { kind: 'need', domains: [...this.needDomains], addresses: [...this.needAddresses] };
  }

  result(address: string, tenantId: string): RecipientResolution {
    const deliveries = [...this.deliveries.values()];
    const forwards = [...this.forwards.values()];
    if (deliveries.length === 0 && forwards.length === 0) {
      return { kind: 'rejected', reason: this.looped ? 'loop' : this.disabled > 0 ? 'disabled' : 'unknown', address };
    }
    if (forwards.length === 0 && deliveries.every((d) => isFull(d.mailbox))) return { kind: 'rejected', reason: 'full', address };
    return { kind: 'accepted', address, tenantId, deliveries, forwards };
  }

  /** Asks for the domain and every key of the address at once, so one round trip usually suffices. */
  private ask(addr: Address, withDomain: boolean): void {
    if (withDomain) this.needDomains.add(addr.domain);
    const keys = lookupKeys(addr, this.separator);
    for (const k of new Set([...keys.mailboxes, ...keys.aliases])) {
      if (!this.facts.mailboxes.has(k) || !this.facts.aliases.has(k)) this.needAddresses.add(k);
    }
  }

  /** The first entry matching the address, 'none', or 'missing' when a fact must be looked up first. */
  lookup(addr: Address): Hit | 'none' | 'missing' {
    const base = baseAddress(addr, this.separator);
    const steps: [string, 'mailbox' | 'alias', RecipientRoute][] = [
      [addr.address, 'mailbox', 'mailbox'],
      [addr.address, 'alias', 'alias'],
      ...(base ? ([[base, 'mailbox', 'subaddress'], [base, 'alias', 'subaddress']] as [string, 'mailbox' | 'alias', RecipientRoute][]) : []),
      [`@${addr.domain}`, 'alias', 'catch_all'],
    ];
    for (const [key, table, route] of steps) {
      if (table === 'mailbox') {
        const m = this.facts.mailboxes.get(key);
        if (m === undefined) {
          this.ask(addr, false);
          return 'missing';
        }
        if (m) return { kind: 'mailbox', mailbox: m, route };
      } else {
        const a = this.facts.aliases.get(key);
        if (a === undefined) {
          this.ask(addr, false);
          return 'missing';
        }
        // A disabled alias is as good as absent: the next, wider entry may still match.
        if (a && a.enabled) return { kind: 'alias', alias: a, route };
      }
    }
    return 'none';
  }

  markVisited(address: string): void {
    this.visited.add(address);
  }

  expand(hit: Hit, depth: number): void {
    if (hit.kind === 'alias') {
      const origin: Origin = { tenantId: hit.alias.tenantId, mailboxId: null };
      // Copies reached through the catch-all say so (vacation replies are not sent for them).
      const route: RecipientRoute = hit.route === 'catch_all' ? 'catch_all' : 'alias';
      for (const d of hit.alias.destinations) this.destination(d, depth + 1, origin, route);
      return;
    }
    const mb = hit.mailbox;
    if (!mb.active || mb.receiveSuspended) {
      this.disabled++;
      return;
    }
    if (mb.forwardTo.length === 0) {
      this.deliver(mb, hit.route);
      return;
    }
    if (mb.forwardKeepCopy) this.deliver(mb, hit.route);
    const origin: Origin = { tenantId: mb.tenantId, mailboxId: mb.id };
    for (const d of mb.forwardTo) {
      // Forwarding to oneself means keeping the copy, not a loop.
      if (parseAddress(d)?.address === mb.address) this.deliver(mb, hit.route);
      else this.destination(d, depth + 1, origin, 'forward');
    }
  }

  private deliver(mailbox: DirectoryMailbox, route: RecipientRoute): void {
    if (!this.deliveries.has(mailbox.id)) this.deliveries.set(mailbox.id, { mailbox, route });
  }

  private destination(raw: string, depth: number, origin: Origin, route: RecipientRoute): void {
    const addr = parseAddress(raw);
    if (!addr) return; // the API validates destinations; a bad one left over is skipped
    if (depth > this.maxDepth || this.visited.has(addr.address)) {
      this.looped = true;
      return;
    }
    const domain = this.facts.domains.get(addr.domain);
    if (domain === undefined) {
      this.ask(addr, true);
      return;
    }
    if (domain === null) {
      if (!this.forwards.has(addr.address)) this.forwards.set(addr.address, { address: addr.address, tenantId: origin.tenantId, mailboxId: origin.mailboxId });
      return;
    }
    if (!domain.active) {
      this.disabled++;
      return;
    }
    const hit = this.lookup(addr);
    if (hit === 'missing' || hit === 'none') return;
    this.visited.add(addr.address);
    this.expand(hit.kind === 'mailbox' ? { ...hit, route } : { ...hit, route }, depth);
  }
}

/**
 * Decides where mail for one recipient goes: which mailboxes get a copy and which external
 * addresses it is forwarded to, or why it is refused. Pure: when a fact is missing it answers
 * `need` with the keys to look up; the caller adds them and calls again (usually once).
 * Addresses are compared in normalised form (lower case, IDNA domain).
 */
export function resolveRecipient(raw: string, facts: DirectoryFacts, opts: ResolveOptions = {}): RecipientResolution {
  const addr = parseAddress(raw);
  if (!addr) return { kind: 'rejected', reason: 'syntax' };
  const walk = new Walk(facts, opts);
  const domain = facts.domains.get(addr.domain);
  if (domain === undefined) {
    return { kind: 'need', domains: [addr.domain], addresses: [...new Set(Object.values(lookupKeys(addr, opts.separator)).flat())] };
  }
  if (domain === null) return { kind: 'remote', address: addr.address, domain: addr.domain };
  if (!domain.active) return { kind: 'rejected', reason: 'disabled', address: addr.address };

  const hit = walk.lookup(addr);
  if (hit === 'missing') return walk.need();
  if (hit === 'none') return { kind: 'rejected', reason: 'unknown', address: addr.address };
  // The mailbox named directly is refused outright when it does not accept mail.
  if (hit.kind === 'mailbox' && (!hit.mailbox.active || hit.mailbox.receiveSuspended)) return { kind: 'rejected', reason: 'disabled', address: addr.address };
  walk.markVisited(addr.address);
  if (hit.kind === 'mailbox') walk.markVisited(hit.mailbox.address);
  walk.expand(hit, 0);
  if (walk.missing) return walk.need();
  return walk.result(addr.address, domain.tenantId);
}

/** Adds looked-up facts to a set of facts (new maps; the inputs are not changed). */
export function addFacts(
  facts: DirectoryFacts,
  found: { domains?: Iterable<[string, DirectoryDomain | null]>; mailboxes?: Iterable<[string, DirectoryMailbox | null]>; aliases?: Iterable<[string, DirectoryAlias | null]> },
): DirectoryFacts {
  return {
    domains: new Map([...facts.domains, ...(found.domains ?? [])]),
    mailboxes: new Map([...facts.mailboxes, ...(found.mailboxes ?? [])]),
    aliases: new Map([...facts.aliases, ...(found.aliases ?? [])]),
  };
}

export const EMPTY_FACTS: DirectoryFacts = { domains: new Map(), mailboxes: new Map(), aliases: new Map() };
