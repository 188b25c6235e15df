import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

const opts = { maxFailuresIp: 5, maxFailuresAccount: 3, windowMs: 60_000, lockoutMs: 300_000 };

describe('login throttle', () => {
  it('locks an account after a run of failures, for the lockout time', () => {
    let now = 1_000_000;
    const sut = new LoginThrottle(opts, () => now);
    expect(sut.fail('a@x.test', null).locked).toBe(false);
    expect(sut.fail('a@x.test', null).locked).toBe(false);
    expect(sut.fail('a@x.test', null)).toMatchObject({ locked: true, scope: 'account' });
    expect(sut.check('a@x.test', null).locked).toBe(true);
    expect(sut.check('b@x.test', null).locked).toBe(false);
    now += 300_001;
    expect(sut.check('a@x.test', null).locked).toBe(false);
  });

  it('locks an IP that guesses at many accounts; a success does not clear the IP', () => {
    const sut = new LoginThrottle(opts, () => 5);
    for (let i = 0; i < 4; i++) expect(sut.fail(`u${i}@x.test`, '192.0.2.1').locked).toBe(false);
    sut.succeed('someone@x.test');
    expect(sut.fail('u9@x.test', '192.0.2.1')).toMatchObject({ locked: true, scope: 'ip' });
    expect(sut.check(undefined, '192.0.2.1').locked).toBe(true);
    expect(sut.check(undefined, '192.0.2.2').locked).toBe(false);
  });

  it('starts counting again when the window has passed', () => {
    let now = 0;
    const sut = new LoginThrottle(opts, () => now);
    sut.fail('a@x.test', null);
    sut.fail('a@x.test', null);
    now += 60_001;
    expect(sut.fail('a@x.test', null).locked).toBe(false);
    expect(sut.fail('a@x.test', null).locked).toBe(false);
    expect(sut.fail('a@x.test', null).locked).toBe(true);
  });

  it('forgets an account after a success', () => {
    const sut = new LoginThrottle(opts, () => 0);
    sut.fail('a@x.test', null);
    sut.fail('a@x.test', null);
    sut.succeed('a@x.test');
    expect(sut.fail('a@x.test', null).locked).toBe(false);
  });
});
