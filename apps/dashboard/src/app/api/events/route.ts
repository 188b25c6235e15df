import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { type NextRequest } from 'next/server';
import WebSocket from 'ws';
import { PlatformEventsDocument, type PlatformEventType } from '@/graphql/generated';
import { apiWebSocketUrl } from '@/lib/server/config';
import { errorResponse, rejectCrossSite } from '@/lib/server/request-guards';
import { apiTokenOf } from '@/lib/server/session';

export const dynamic = 'force-dynamic';

const EVENT_TYPES: readonly PlatformEventType[] = ['DOMAIN_VERIFIED', 'MAILBOX_BLOCKED', 'MAILBOX_RELEASED', 'QUEUE_CHANGED', 'QUOTA_CROSSED'];
const SUBSCRIPTION = print(PlatformEventsDocument);
/** A comment line this often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * GET /api/events?types=MAILBOX_BLOCKED,QUEUE_CHANGED: live platform events as server-sent events.
 *
 * Why a relay and not graphql-ws from the browser: the API takes the credential of a subscription in
 * the graphql-ws connection parameters, so a browser connecting directly would need the access token
 * in script (the session cookie is httpOnly by design) and the API has no short-lived,
 * subscription-only token to hand out instead. Next route handlers cannot hold a WebSocket, but
 * they can stream: this handler opens the graphql-ws subscription to the API on the server with the
 * cookie's token and relays each event as one `event: platform` message. The browser uses
 * EventSource on our own origin (CSP connect-src 'self' stays), the token never leaves the server,
 * and the API still scopes the events to the viewer and re-checks the token every 30 s. When the API
 * closes the socket (token expired, sign-out), the stream ends; EventSource reconnects and
 * src/proxy.ts renews the token on the way in.
 */
export async function GET(request: NextRequest): Promise<Response> {
  const refused = rejectCrossSite(request);
  if (refused) return refused;
  const token = apiTokenOf(request);
  if (!token) return errorResponse(401, 'UNAUTHENTICATED', 'Sign in first.');
  const asked = (request.nextUrl.searchParams.get('types') ?? '').split(',').filter(Boolean);
  const types = asked.filter((t): t is PlatformEventType => (EVENT_TYPES as readonly string[]).includes(t));
  if (asked.length !== types.length) return errorResponse(400, 'VALIDATION', `types must be among ${EVENT_TYPES.join(', ')}`);

  const encoder = new TextEncoder();
  let client: Client | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let closed = false;

  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          finish();
        }
      };
      const finish = () => {
        if (closed) return;
        closed = true;
        if (heartbeat) clearInterval(heartbeat);
        void client?.dispose();
        try {
          controller.close();
        } catch {
          // already closed by the browser going away
        }
      };
      request.signal.addEventListener('abort', finish);

      client = createClient({
        url: apiWebSocketUrl(),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        lazy: false,
        retryAttempts: 0,
        keepAlive: 10_000,
        on: {
          connected: () => send(': connected\n\n'),
          closed: () => {
            send('event: end\ndata: {}\n\n');
            finish();
          },
        },
      });
      client.subscribe<unknown>(
        { query: SUBSCRIPTION, variables: types.length ? { types } : {} },
        {
          next: (result) => {
            const event = (result.data as { events?: unknown } | null | undefined)?.events;
            if (event) send(`event: platform\ndata: ${JSON.stringify(event)}\n\n`);
          },
          error: () => {
            send('event: end\ndata: {}\n\n');
            finish();
          },
          complete: finish,
        },
      );
      // Tell EventSource to wait 3 s before reconnecting after the stream ends.
      send('retry: 3000\n\n');
      heartbeat = setInterval(() => send(': keep-alive\n\n'), HEARTBEAT_MS);
    },
    cancel() {
      closed = true;
      if (heartbeat) clearInterval(heartbeat);
      void client?.dispose();
    },
  });

  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    },
  });
}
