import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, forbidden } from '@darwin/core';
import type { Role } from './actor.js';
import { ALLOW_KEY, ENROLLMENT_KEY, PUBLIC_KEY } from './allow.decorator.js';
import { currentActor } from './request-context.js';

/**
 * Global guard: every resolver and controller declares who may call it. The actor was resolved
 * from the bearer credential by the request-context middleware; this only compares roles. Which
 * rows the actor may touch is decided in the data layer (common/scoped-repository.ts).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets)) return true;
    const actor = currentActor(); // UNAUTHENTICATED without valid credentials
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ALLOW_KEY, targets) ?? [];
    if (!allowed.includes(actor.role)) throw forbidden();
    if (actor.totpEnrollmentPending && !this.reflector.getAllAndOverride<boolean | undefined>(ENROLLMENT_KEY, targets)) {
      throw new DomainError('FORBIDDEN', 'Enrol a TOTP second factor first', { reason: 'TOTP_ENROLLMENT_REQUIRED' });
    }
    return true;
  }
}
