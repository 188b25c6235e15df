import { Module } from '@nestjs/common';
import { AutoconfigController } from './autoconfig.controller.js';
import { AutoconfigService } from './autoconfig.service.js';

@Module({ controllers: [AutoconfigController], providers: [AutoconfigService] })
export class AutoconfigModule {}
