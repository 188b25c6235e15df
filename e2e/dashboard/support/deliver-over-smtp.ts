import nodemailer from 'nodemailer';

/** Delivers one message to a hosted address through the engine's MX port, as a remote server would. */
export async function deliverOverSmtp(opts: { port: number; to: string; subject: string }): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: opts.port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ from: 'news@remote.example', to: opts.to, subject: opts.subject, text: `${opts.subject}.` });
  } finally {
    transport.close();
  }
}
