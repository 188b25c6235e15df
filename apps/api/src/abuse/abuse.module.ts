import { Module } from '@nestjs/common';
import { AbuseResolver } from './abuse.resolver.js';
import { AbuseService } from './abuse.service.js';

@Module({ providers: [AbuseService, AbuseResolver] })
export class AbuseModule {}
