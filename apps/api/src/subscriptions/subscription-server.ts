import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { newId, type Logger } from '@darwin/logger';
import { execute as gqlExecute, GraphQLError, parse, subscribe as gqlSubscribe, type ExecutionArgs } from 'graphql';
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Actor } from '../auth/actor.js';
import { AuthService } from '../auth/auth.service.js';
import { bearerToken } from '../auth/request-context.middleware.js';
import { runInRequestContext, type RequestContext } from '../auth/request-context.js';
import { measureQuery } from '../common/query-limits.js';
import { API_SETTINGS, LOGGER } from '../common/tokens.js';
import type { ApiSettings } from '../config/api-settings.js';

export const SUBSCRIPTIONS_PATH = '/graphql';
/** Close code graphql-ws uses for "Forbidden". */
const FORBIDDEN = 4403;

function limitError(limit: string, max: number, actual: number): GraphQLError {
  return new GraphQLError(`Query too ${limit === 'maxQueryDepth' ? 'deep' : 'expensive'}: ${actual} where at most ${max} is allowed`, {
    extensions: { code: 'VALIDATION', limit, max, actual },
  });
}

type ConnectionExtra = Record<PropertyKey, unknown> & {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
  actor?: Actor;
  requestId?: string;
  timer?: NodeJS.Timeout;
};

/**
 * GraphQL subscriptions over the graphql-ws protocol on the API's own HTTP server, path /graphql
 * (plain HTTP POSTs to /graphql still go to Apollo). The credential comes in the connection
 * parameters (`authorization: "Bearer ..."`), never from cookies, so a foreign page cannot open an
 * authenticated socket with the visitor's cookies. Each operation runs in a request context carrying
 * the connection's actor, so the same guards and scopes apply as over HTTP. The credential is checked
 * again every DARWIN_API_SUBSCRIPTION_RECHECK (30 s) and the socket closed (4403) once it no longer holds.
 */
@Injectable()
export class SubscriptionServer implements OnApplicationBootstrap, OnModuleDestroy {
  private wss: WebSocketServer | undefined;
  private disposable: { dispose: () => void | Promise<void> } | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly moduleRef: ModuleRef,
    private readonly auth: AuthService,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(API_SETTINGS) private readonly settings: ApiSettings,
  ) {}

  onApplicationBootstrap(): void {
    const httpServer = this.adapterHost.httpAdapter?.getHttpServer() as HttpServer | undefined;
    if (!httpServer) return;
    this.wss = new WebSocketServer({ server: httpServer, path: SUBSCRIPTIONS_PATH, maxPayload: 64 * 1024 });
    // Looked up at bootstrap: the schema host belongs to the GraphQL module, built by then.
    const schema = this.moduleRef.get(GraphQLSchemaHost, { strict: false }).schema;
    this.disposable = useServer<Record<string, unknown>, ConnectionExtra>(
      {
        schema,
        onConnect: async (ctx) => {
          const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
          const token = typeof raw === 'string' ? bearerToken(raw) : undefined;
          if (typeof token !== 'string') return false;
          const actor = await this.auth.resolveCredential(token);
          if (!actor || actor.totpEnrollmentPending) return false;
          ctx.extra.actor = actor;
          ctx.extra.requestId = newId('ws');
          ctx.extra.timer = setInterval(() => {
            this.auth.resolveCredential(token).then(
              (again) => {
                if (!again) ctx.extra.socket.close(FORBIDDEN, 'Forbidden');
              },
              () => {},
            );
          }, this.settings.subscriptionRecheckMs);
          ctx.extra.timer.unref();
          return true;
        },
        onClose: (ctx) => {
          if (ctx.extra.timer) clearInterval(ctx.extra.timer);
        },
        // The connection is what operations run as (see inContext).
        context: (ctx) => ({ extra: ctx.extra }),
        // The HTTP path's depth and cost limits, checked before the operation starts.
        onSubscribe: (_ctx, _id, payload) => {
          let document;
          try {
            document = parse(payload.query);
          } catch {
            return undefined; // graphql-ws answers the syntax error itself
          }
          const { depth, cost } = measureQuery(document, payload.operationName, payload.variables ?? {});
          if (depth > this.settings.maxQueryDepth) return [limitError('maxQueryDepth', this.settings.maxQueryDepth, depth)];
          if (cost > this.settings.maxQueryCost) return [limitError('maxQueryCost', this.settings.maxQueryCost, cost)];
          return undefined;
        },
        subscribe: (args: ExecutionArgs) => this.inContext(args, () => gqlSubscribe(args)),
        execute: (args: ExecutionArgs) => this.inContext(args, () => gqlExecute(args)),
      },
      this.wss,
    );
    this.wss.on('error', (err) => this.logger.warn('websocket server error', { err }));
    this.logger.debug('subscriptions ready', { path: SUBSCRIPTIONS_PATH, closeCode: FORBIDDEN });
  }

  async onModuleDestroy(): Promise<void> {
    await this.disposable?.dispose();
    for (const client of this.wss?.clients ?? []) client.terminate();
    await new Promise<void>((resolve) => (this.wss ? this.wss.close(() => resolve()) : resolve()));
  }

  private inContext<T>(args: ExecutionArgs, run: () => T): T {
    const extra = (args.contextValue as { extra?: ConnectionExtra } | undefined)?.extra;
    const actor = extra?.actor;
    const request = extra?.request;
    const ip = request?.socket.remoteAddress?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1') ?? null;
    const requestId = extra?.requestId ?? newId('ws');
    const ctx: RequestContext = {
      requestId,
      ip,
      logger: this.logger.child({ rid: requestId }),
      actor,
      credentialsRejected: actor === undefined,
      cookies: {},
      origin: null,
      selfOrigin: null,
      secure: false,
      setCookie: () => {},
    };
    return runInRequestContext(ctx, run);
  }
}
