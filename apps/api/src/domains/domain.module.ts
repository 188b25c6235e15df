import { Module } from '@nestjs/common';
import { DnsChecker } from './dns/dns-checker.js';
import { DomainResolver } from './domain.resolver.js';
import { DomainService } from './domain.service.js';

@Module({ providers: [DomainService, DomainResolver, DnsChecker], exports: [DomainService] })
export class DomainModule {}
