import { describe, expect, it } from 'vitest';
import { GreetPause } from './greet-pause.js';

describe('GreetPause', () => {
  it('pauses for a new client, not for one that passed until its pass expires', () => {
    let t = 1_000;
    const g = new GreetPause(100, 60_000, 10, () => t);
    expect(g.pauseFor('192.0.2.1')).toBe(100);
    g.pass('192.0.2.1');
    expect(g.pauseFor('192.0.2.1')).toBe(0);
    expect(g.pauseFor('192.0.2.2')).toBe(100);
    t += 60_000;
    expect(g.pauseFor('192.0.2.1')).toBe(100);
    expect(g.size).toBe(0);
  });

  it('never pauses when the pause is 0, and remembers nothing when the ttl is 0', () => {
    const off = new GreetPause(0, 60_000);
    off.pass('192.0.2.1');
    expect(off.pauseFor('192.0.2.9')).toBe(0);
    expect(off.size).toBe(0);
    const forgetful = new GreetPause(100, 0);
    forgetful.pass('192.0.2.1');
    expect(forgetful.pauseFor('192.0.2.1')).toBe(100);
  });

  it('stays within its size, forgetting expired passes first and then the oldest', () => {
    let t = 0;
    const g = new GreetPause(100, 1_000, 10, () => t);
    for (let i = 0; i < 5; i++) g.pass(`10.0.0.${i}`);
    t = 500;
    for (let i = 5; i < 10; i++) g.pass(`10.0.0.${i}`);
    t = 1_200; // the first five have expired
    g.pass('10.0.1.1');
    expect(g.size).toBe(6);
    for (let i = 0; i < 4; i++) g.pass(`10.0.2.${i}`);
    g.pass('10.0.3.1'); // full, nothing expired: the oldest tenth (one) goes
    expect(g.size).toBe(10);
    expect(g.pauseFor('10.0.0.5')).toBe(100);
    expect(g.pauseFor('10.0.0.6')).toBe(0);
    expect(g.pauseFor('10.0.3.1')).toBe(0);
  });
});
