import { describe, expect, it } from 'vitest';
import { dsnParams, wantsNotice } from './bounces.js';
import { enhancedStatus } from './smtp-client.js';

describe('DSN parameters of a queue row', () => {
  it('reads NOTIFY, ORCPT, RET and ENVID as smtp-server keeps them (lower case) or in upper case', () => {
    expect(dsnParams({ notify: ['SUCCESS', 'failure'], orcpt: 'rfc822;A@b.example', ret: 'hdrs', envid: 'E1' })).toEqual({
      notify: new Set(['SUCCESS', 'FAILURE']),
      orcpt: 'rfc822;A@b.example',
      ret: 'HDRS',
      envid: 'E1',
    });
    expect(dsnParams({ NOTIFY: 'NEVER', RET: 'FULL', ENVID: 'X' })).toEqual({ notify: new Set(['NEVER']), orcpt: undefined, ret: 'FULL', envid: 'X' });
    expect(dsnParams({})).toEqual({ notify: undefined, orcpt: undefined, ret: undefined, envid: undefined });
  });

  it('reports failures by default, and only what NOTIFY asks for otherwise (RFC 3461 4.1)', () => {
    const sut = (notify: unknown, action: 'failed' | 'delayed' | 'relayed') => wantsNotice(dsnParams(notify === undefined ? {} : { notify }), action);
    expect([sut(undefined, 'failed'), sut(undefined, 'delayed'), sut(undefined, 'relayed')]).toEqual([true, false, false]);
    expect([sut(['NEVER'], 'failed'), sut(['NEVER'], 'relayed')]).toEqual([false, false]);
    expect([sut(['SUCCESS'], 'failed'), sut(['SUCCESS'], 'relayed')]).toEqual([false, true]);
    expect([sut(['FAILURE', 'DELAY'], 'failed'), sut(['FAILURE', 'DELAY'], 'delayed')]).toEqual([true, true]);
  });
});

describe('enhancedStatus', () => {
  it('takes the reply own enhanced code, else derives one from the reply class', () => {
    expect(enhancedStatus('550 5.1.1 <a@b>: no such user', 550)).toBe('5.1.1');
    expect(enhancedStatus('451-4.7.1 greylisted\n451 4.7.1 more', 451)).toBe('4.7.1');
    expect(enhancedStatus('554 rejected', 554)).toBe('5.0.0');
    expect(enhancedStatus('421 busy', 421)).toBe('4.0.0');
    expect(enhancedStatus('250 Ok: queued', 250)).toBe('2.0.0');
  });
});
