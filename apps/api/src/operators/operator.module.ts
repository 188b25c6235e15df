import { Module } from '@nestjs/common';
import { OperatorResolver } from './operator.resolver.js';
import { OperatorService } from './operator.service.js';

@Module({ providers: [OperatorService, OperatorResolver] })
export class OperatorModule {}
