import { Injectable } from '@nestjs/common';
import type { PlanEntity } from '@darwin/db';
import type { Page, PageArgs } from '../common/connection.js';
import { ScopedRepositories } from '../common/scoped-repository.js';

@Injectable()
export class PlanService {
  constructor(private readonly scoped: ScopedRepositories) {}

  list(args: PageArgs): Promise<Page<PlanEntity>> {
    return this.scoped.plans().page(args);
  }

  get(id: string): Promise<PlanEntity> {
    return this.scoped.plans().get(id);
  }
}
