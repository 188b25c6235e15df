import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import type { ApiDeps } from './app.deps.js';
import { AppModule } from './app.module.js';
import { AuthService } from './auth/auth.service.js';
import { loadApiSettings } from './config/api-settings.js';
import { requestContextMiddleware } from './auth/request-context.middleware.js';
import { sendJsonError, type HttpRequest, type HttpResponse, type Next } from './common/http-types.js';
import { NestLogger } from './common/nest-logger.js';

/** Largest request body accepted (GraphQL documents and variables). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Builds the API (initialised, not yet listening). main.ts and the tests both use it, so tests run
 * the app exactly as deployed. The caller owns the DataSource: it is neither opened nor closed here.
 */
export async function createApiApp(deps: ApiDeps): Promise<NestExpressApplication> {
  if (!deps.config.jwtSecret) throw new Error('DARWIN_JWT_SECRET is required');
  const settings = deps.settings ?? loadApiSettings();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ ...deps, settings }), new ExpressAdapter(), {
    bodyParser: false,
    abortOnError: false,
    logger: new NestLogger(deps.logger.child({ component: 'nest' })),
  });
  app.disable('x-powered-by');
  // Only named proxies may tell the client's IP (X-Forwarded-For); by default nobody.
  if (settings.trustProxy) app.set('trust proxy', settings.trustProxy.split(','));

  // Order matters: the body is parsed before the request context opens, so the async-local
  // context is not lost in the parser's stream callbacks.
  app.useBodyParser('json', { limit: MAX_BODY_BYTES });
  // Outlook's autodiscover request is XML.
  app.useBodyParser('text', { type: ['text/xml', 'application/xml'], limit: 64 * 1024 });
  app.use(bodyErrorHandler);
  const auth = app.get(AuthService);
  app.use(requestContextMiddleware({ logger: deps.logger, resolveActor: (credential) => auth.resolveCredential(credential) }));

  await app.init();
  return app;
}

/** Too large or malformed JSON bodies get a short JSON answer instead of Express's HTML page. */
function bodyErrorHandler(err: unknown, _req: HttpRequest, res: HttpResponse, next: Next): void {
  const status = (err as { status?: unknown })?.status;
  if (status === 413) return sendJsonError(res, 413, 'PAYLOAD_TOO_LARGE', `Request body larger than ${MAX_BODY_BYTES} bytes`);
  if (typeof status === 'number' && status >= 400 && status < 500) return sendJsonError(res, 400, 'BAD_REQUEST', 'Malformed request body');
  next(err);
}
