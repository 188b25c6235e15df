import { Module } from '@nestjs/common';
import { DomainResolver } from './domain.resolver.js';
import { DomainService } from './domain.service.js';

@Module({ providers: [DomainService, DomainResolver] })
export class DomainModule {}
