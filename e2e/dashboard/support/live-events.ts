import type { Page } from 'playwright-core';

interface Holder {
  receivedEvents: unknown[];
}

/**
 * Opens /api/events?types=… in the page, as the dashboard's live views do, and keeps every
 * `platform` event it relays in the page (read them with receivedEvents). Resolves once the relay
 * says its subscription to the API is connected, so nothing sent after that can be missed.
 */
export async function listenToEvents(page: Page, types: string): Promise<void> {
  await page.evaluate(
    (query) =>
      new Promise<void>((resolve, reject) => {
        const g = globalThis as unknown as Holder;
        g.receivedEvents = [];
        setTimeout(() => reject(new Error('/api/events did not connect within 15 s')), 15_000);
        fetch(`/api/events?types=${query}`).then(async (response) => {
          if (!response.ok || !response.body) return reject(new Error(`/api/events answered ${response.status}`));
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffer = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            buffer += value;
            for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
              const message = buffer.slice(0, cut);
              buffer = buffer.slice(cut + 2);
              if (message.startsWith(': connected')) resolve();
              const data = /^event: platform\ndata: (.*)$/m.exec(message);
              if (data) g.receivedEvents.push(JSON.parse(data[1]!));
            }
          }
        }, reject);
      }),
    types,
  );
}

/** The events the page's stream (listenToEvents) has received so far. */
export async function receivedEvents(page: Page): Promise<unknown[]> {
  return page.evaluate(() => (globalThis as unknown as Holder).receivedEvents);
}
