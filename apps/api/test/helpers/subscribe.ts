import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Subscription {
  readonly results: Record<string, any>[];
  readonly errors: unknown[];
  /** Resolves when the server closed the operation or socket. */
  readonly done: Promise<void>;
  close(): Promise<void>;
}

/**
 * A real graphql-ws client over a real WebSocket to the API. Resolves once the server has accepted
 * the connection (and, after a short settle, started the operation).
 */
export async function subscribe(baseUrl: string, query: string, credential?: string, variables: Record<string, unknown> = {}): Promise<Subscription> {
  const url = baseUrl.replace(/^http/, 'ws') + '/graphql';
  const results: Record<string, any>[] = [];
  const errors: unknown[] = [];
  let closedWith: unknown;
  const client: Client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: credential ? { authorization: `Bearer ${credential}` } : {},
    retryAttempts: 0,
    lazy: false,
    on: { closed: (e) => (closedWith = e) },
    onNonLazyError: () => {},
  });
  let finish!: () => void;
  const done = new Promise<void>((r) => (finish = r));
  client.subscribe(
    { query, variables },
    {
      next: (v) => results.push(v as Record<string, any>),
      error: (e) => {
        errors.push(e);
        finish();
      },
      complete: () => finish(),
    },
  );
  // Give the server time to accept and start the operation (LISTEN is up when it has).
  await new Promise((r) => setTimeout(r, 250));
  void closedWith;
  return {
    results,
    errors,
    done,
    close: async () => {
      await client.dispose();
    },
  };
}
