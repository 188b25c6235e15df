import { Module } from '@nestjs/common';
import { AliasResolver } from './alias.resolver.js';
import { AliasService } from './alias.service.js';

@Module({ providers: [AliasService, AliasResolver] })
export class AliasModule {}
