import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Allow } from '../auth/allow.decorator.js';
import { toConnection } from '../common/connection.js';
import { DomainService } from './domain.service.js';
import { toDnsRecords } from './dns-records.view.js';
import { DnsRecord, Domain, DomainConnection, DomainDeletion, toDomain } from './domain.type.js';
import { CreateDomainInput } from './dto/create-domain.input.js';
import { DeleteDomainInput, ImportDkimKeyInput } from './dto/domain.inputs.js';
import { DomainsArgs } from './dto/domains.args.js';

@Resolver(() => Domain)
export class DomainResolver {
  constructor(private readonly service: DomainService) {}

  @Allow('platform_admin', 'tenant_admin')
  @Query(() => DomainConnection)
  async domains(@Args() args: DomainsArgs): Promise<DomainConnection> {
    return toConnection(await this.service.list(args), toDomain);
  }

  @Allow('platform_admin', 'tenant_admin')
  @Query(() => Domain)
  async domain(@Args('id', { type: () => ID }) id: string): Promise<Domain> {
    return toDomain(await this.service.get(id));
  }

  @ResolveField(() => [DnsRecord], { description: 'Every record the domain needs, with exact values and the status of the last verifyDomain.' })
  dnsRecords(@Parent() domain: Domain): DnsRecord[] {
    const { selector, publicKeyPem, results } = domain.dnsFacts;
    return toDnsRecords(this.service.records({ name: domain.name, dkimSelector: selector, dkimPublicKey: publicKeyPem }), results);
  }

  @Allow('platform_admin', 'tenant_admin')
  @Mutation(() => Domain, { description: 'Adds a domain with a new DKIM key; its dnsRecords say what to publish.' })
  async createDomain(@Args('input', { type: () => CreateDomainInput }) input: CreateDomainInput): Promise<Domain> {
    return toDomain(await this.service.create(input));
  }

  @Allow('platform_admin', 'tenant_admin')
  @Mutation(() => DomainDeletion, { description: 'Deletes the domain with its mailboxes, their stored mail, and its aliases. Cannot be undone.' })
  deleteDomain(@Args('input', { type: () => DeleteDomainInput }) input: DeleteDomainInput): Promise<DomainDeletion> {
    return this.service.delete(input);
  }

  @Allow('platform_admin')
  @Mutation(() => Domain, { description: "Stops the domain's mailbox logins and its mail until unsuspended (platform admins only)." })
  async suspendDomain(@Args('id', { type: () => ID }) id: string, @Args('reason', { type: () => String }) reason: string): Promise<Domain> {
    return toDomain(await this.service.suspend(id, reason));
  }

  @Allow('platform_admin')
  @Mutation(() => Domain)
  async unsuspendDomain(@Args('id', { type: () => ID }) id: string): Promise<Domain> {
    return toDomain(await this.service.unsuspend(id));
  }

  @Allow('platform_admin', 'tenant_admin')
  @Mutation(() => Domain, { description: 'Looks the DNS records up now and stores what was found, per record.' })
  async verifyDomain(@Args('id', { type: () => ID }) id: string): Promise<Domain> {
    return toDomain(await this.service.verify(id));
  }

  @Allow('platform_admin', 'tenant_admin')
  @Mutation(() => Domain, { description: 'A first DKIM key (RSA 2048) for a domain that has none.' })
  async generateDkimKey(
    @Args('domainId', { type: () => ID }) domainId: string,
    @Args('selector', { type: () => String, nullable: true }) selector?: string | null,
  ): Promise<Domain> {
    return toDomain(await this.service.generateDkim(domainId, selector));
  }

  @Allow('platform_admin', 'tenant_admin')
  @Mutation(() => Domain, { description: 'A new DKIM key (RSA 2048) under a new selector (default dmYYYYMMDD).' })
  async rotateDkimKey(
    @Args('domainId', { type: () => ID }) domainId: string,
    @Args('selector', { type: () => String, nullable: true }) selector?: string | null,
  ): Promise<Domain> {
    return toDomain(await this.service.rotateDkim(domainId, selector));
  }

  @Allow('platform_admin', 'tenant_admin')
  @Mutation(() => Domain, { description: 'Uses an existing RSA private key (e.g. when moving a domain from another provider).' })
  async importDkimKey(@Args('input', { type: () => ImportDkimKeyInput }) input: ImportDkimKeyInput): Promise<Domain> {
    return toDomain(await this.service.importDkim(input));
  }
}
