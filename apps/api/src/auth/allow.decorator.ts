import { SetMetadata } from '@nestjs/common';
import type { Role } from './actor.js';

export const ALLOW_KEY = 'darwin:allow';
export const PUBLIC_KEY = 'darwin:public';
export const ENROLLMENT_KEY = 'darwin:enrollment';

/**
 * Roles that may call this resolver or route (or every one of the class). One without `@Allow` or
 * `@Public` is refused to everyone: forgetting the decorator closes, never opens.
 */
export const Allow = (...roles: Role[]) => SetMetadata(ALLOW_KEY, roles);

/** Callable without credentials (login, refresh, the health check, client autoconfiguration). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/**
 * Also open to an operator who must first enrol a TOTP second factor (DARWIN_OPERATOR_TOTP=required);
 * everything else answers FORBIDDEN to them until they have.
 */
export const DuringTotpEnrollment = () => SetMetadata(ENROLLMENT_KEY, true);
