import nodemailer from 'nodemailer';

/**
 * Submits `count` messages one after another over SMTP submission (STARTTLS + AUTH), the way a
 * compromised mail client would. Answers the SMTP outcome of each: "ok" or the server's reply.
 */
export async function sendBurst(opts: { port: number; user: string; pass: string; to: string; count: number }): Promise<string[]> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: opts.port,
    secure: false,
    requireTLS: true,
    tls: { rejectUnauthorized: false },
    auth: { user: opts.user, pass: opts.pass },
  });
  const outcomes: string[] = [];
  try {
    for (let i = 0; i < opts.count; i++) {
      try {
        await transport.sendMail({ from: opts.user, to: opts.to, subject: `Burst ${i + 1}`, text: `Message ${i + 1} of a burst.` });
        outcomes.push('ok');
      } catch (error) {
        outcomes.push(error instanceof Error ? error.message : String(error));
      }
    }
  } finally {
    transport.close();
  }
  return outcomes;
}
