import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { ApolloProvider } from './apollo-provider';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Darwin Mail', template: '%s · Darwin Mail' },
  description: 'Darwin Mail administration',
  robots: { index: false, follow: false },
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <ApolloProvider>{children}</ApolloProvider>
      </body>
    </html>
  );
}
