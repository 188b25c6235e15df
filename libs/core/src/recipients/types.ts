/**
 * What recipient resolution needs to know about the directory (domains, mailboxes, aliases). The
 * resolver never reads a database: the caller looks up the keys it asks for and calls it again.
 * A map entry of `null` means "looked up, does not exist"; a missing entry means "not looked up yet".
 */
export interface DirectoryDomain {
  /** IDNA ASCII, lower case. */
  readonly name: string;
  readonly tenantId: string;
  /** False when the domain or its tenant is suspended. */
  readonly active: boolean;
}

export interface DirectoryMailbox {
  readonly id: string;
  readonly tenantId: string;
  readonly address: string;
  readonly receiveSuspended: boolean;
  /** False when the tenant or the domain is suspended. */
  readonly active: boolean;
  readonly quotaBytes: number;
  readonly quotaMessages: number | null;
  readonly usedBytes: number;
  readonly usedMessages: number;
  /** The plan's message size limit for this mailbox. */
  readonly maxMessageBytes: number;
  /** Forwarding destinations (local or external); empty for none. */
  readonly forwardTo: readonly string[];
  /** With forwarding: also keep a copy in this mailbox. */
  readonly forwardKeepCopy: boolean;
}

export interface DirectoryAlias {
  /** `local@domain`, or `@domain` for the catch-all. */
  readonly source: string;
  readonly tenantId: string;
  readonly destinations: readonly string[];
  readonly enabled: boolean;
}

export interface DirectoryFacts {
  readonly domains: ReadonlyMap<string, DirectoryDomain | null>;
  readonly mailboxes: ReadonlyMap<string, DirectoryMailbox | null>;
  readonly aliases: ReadonlyMap<string, DirectoryAlias | null>;
}

/** How a local copy was reached, for logs and for the rules that depend on it (vacation). */
export type RecipientRoute = 'mailbox' | 'subaddress' | 'alias' | 'catch_all' | 'forward';

export interface LocalDelivery {
  readonly mailbox: DirectoryMailbox;
  readonly route: RecipientRoute;
}

/** A copy that leaves the platform (an alias or a forwarding rule pointing outside). */
export interface ExternalForward {
  readonly address: string;
  readonly tenantId: string;
  /** The forwarding mailbox, or null for an alias (no mailbox sends it). */
  readonly mailboxId: string | null;
}

export type RecipientRejection =
  /** Not an address (501 5.1.3). */
  | 'syntax'
  /** Hosted domain, no such mailbox or alias (550 5.1.1). */
  | 'unknown'
  /** Mailbox or domain does not accept mail (550 5.2.1). */
  | 'disabled'
  /** Every mailbox it reaches is full (452 4.2.2). */
  | 'full'
  /** Aliases and forwards that only lead back to themselves (554 5.4.6). */
  | 'loop';

export type RecipientResolution =
  /** Look these up (exact keys of the fact maps) and call again with them added. */
  | { readonly kind: 'need'; readonly domains: readonly string[]; readonly addresses: readonly string[] }
  | { readonly kind: 'rejected'; readonly reason: RecipientRejection; readonly address?: string }
  /** Not a hosted domain: relay (submission) or refuse (MX). */
  | { readonly kind: 'remote'; readonly address: string; readonly domain: string }
  | {
      readonly kind: 'accepted';
      /** The normalised recipient as given. */
      readonly address: string;
      readonly tenantId: string;
      /** One per distinct mailbox. */
      readonly deliveries: readonly LocalDelivery[];
      /** One per distinct external address. */
      readonly forwards: readonly ExternalForward[];
    };

export interface ResolveOptions {
  /** Subaddress separator (`user+tag@` -> `user@`); empty to disable. Default `+`. */
  readonly separator?: string;
  /** How deep aliases and forwards may nest. Default 8. */
  readonly maxDepth?: number;
}
