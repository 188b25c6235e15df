import { Module } from '@nestjs/common';
import { PlanResolver } from './plan.resolver.js';
import { PlanService } from './plan.service.js';

@Module({ providers: [PlanService, PlanResolver], exports: [PlanService] })
export class PlanModule {}
