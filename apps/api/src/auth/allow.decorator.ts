import { SetMetadata } from '@nestjs/common';
import type { Role } from './actor.js';

export const ALLOW_KEY = 'darwin:allow';
export const PUBLIC_KEY = 'darwin:public';

/**
 * Roles that may call this resolver (or every resolver of the class). A resolver without
 * `@Allow` or `@Public` is refused to everyone: forgetting the decorator closes, never opens.
 */
export const Allow = (...roles: Role[]) => SetMetadata(ALLOW_KEY, roles);

/** Callable without a token (login, the health check). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
