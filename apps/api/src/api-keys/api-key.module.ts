import { Module } from '@nestjs/common';
import { ApiKeyResolver } from './api-key.resolver.js';
import { ApiKeyService } from './api-key.service.js';

@Module({ providers: [ApiKeyService, ApiKeyResolver] })
export class ApiKeyModule {}
