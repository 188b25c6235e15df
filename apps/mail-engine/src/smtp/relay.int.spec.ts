import { PgOutboundQueue } from '@darwin/mail-store';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundWorkers } from '../outbound/worker.js';
import { FakeMx } from '../outbound/testing/fake-mx.js';
import { startSmtpFixture, type SmtpFixture } from './testing/smtp-fixture.js';

/**
 * What submission and forwarding queue really goes out: the outbound workers (another part of
 * the engine) deliver it through the transport map to a second smtp-server standing in for the
 * remote MX.
 */
describe('queued mail leaves through the outbound workers', () => {
  let f: SmtpFixture;
  let remote: FakeMx;
  let workers: OutboundWorkers;

  beforeAll(async () => {
    remote = await FakeMx.start();
    f = await startSmtpFixture({ DARWIN_TRANSPORT_MAP: `remote.example=127.0.0.1:${remote.port}`, DARWIN_QUEUE_WORKERS: '2', DARWIN_QUEUE_POLL_INTERVAL: '200ms' });
    await f.mailbox('alice@relay.test', { password: 'alice-password' });
    await f.mailbox('fwd@relay.test', { forwardTo: ['away@remote.example'], forwardKeepCopy: false });
    workers = new OutboundWorkers({ config: f.ctx.config, store: f.store, queue: new PgOutboundQueue(f.store.pool), logger: f.ctx.logger, databaseUrl: f.db.url });
    await workers.start();
  });
  afterAll(async () => {
    await workers?.stop(1000);
    await f?.close();
    await remote?.close();
  });

  it('delivers a submission to a remote recipient, and a forward with the original envelope sender', async () => {
    const submit = nodemailer.createTransport({ host: '127.0.0.1', port: f.ports.smtps, secure: true, auth: { user: 'alice@relay.test', pass: 'alice-password' }, tls: { ca: f.certPem } });
    await submit.sendMail({ from: 'alice@relay.test', to: 'friend@remote.example', subject: 'submitted', text: 'hello friend' });
    const mx = nodemailer.createTransport({ host: '127.0.0.1', port: f.ports.mx, secure: false, ignoreTLS: true });
    await mx.sendMail({ envelope: { from: 'origin@elsewhere.example', to: ['fwd@relay.test'] }, raw: 'From: origin@elsewhere.example\r\nSubject: forwarded\r\n\r\nfor you\r\n' });

    await expect.poll(() => remote.messages.length, { timeout: 15_000 }).toBe(2);
    const sub = remote.messages.find((m) => m.raw.toString().includes('Subject: submitted'))!;
    expect(sub).toMatchObject({ from: 'alice@relay.test', to: ['friend@remote.example'] });
    expect(sub.raw.toString()).toMatch(/^Received: from [^]*? with ESMTPSA id /m);
    const fwd = remote.messages.find((m) => m.raw.toString().includes('Subject: forwarded'))!;
    expect(fwd).toMatchObject({ from: 'origin@elsewhere.example', to: ['away@remote.example'] });
    expect(fwd.raw.toString()).toContain('Authentication-Results: mx.darwin.test;');
  });
});
