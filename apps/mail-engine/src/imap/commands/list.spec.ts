import { describe, expect, it } from 'vitest';
import { compilePattern, listEntries, lsubEntries } from './list.js';

describe('compilePattern', () => {
  const names = ['INBOX', 'INBOX/Sub', 'Sent', 'Archive', 'Archive/2024', 'Archive/2024/Q1', 'Entwürfe'];
  const match = (p: string) => names.filter(compilePattern(p));
  it.each([
    ['*', names],
    ['%', ['INBOX', 'Sent', 'Archive', 'Entwürfe']],
    ['Archive/%', ['Archive/2024']],
    ['Archive/*', ['Archive/2024', 'Archive/2024/Q1']],
    ['inbox', ['INBOX']],
    ['Inbox/%', ['INBOX/Sub']],
    ['sent', []],
    ['S%', ['Sent']],
    ['*4*', ['Archive/2024', 'Archive/2024/Q1']],
    ['Entwürfe', ['Entwürfe']],
    ['a.c', []],
  ])('%j', (pattern, expected) => {
    expect(match(pattern)).toEqual(expected);
  });
});

describe('listEntries', () => {
  it('adds child attributes, special use, and \\Noselect parents that do not exist', () => {
    expect(
      listEntries([
        { name: 'Sent', specialUse: '\\Sent' },
        { name: 'a/b/c', specialUse: null },
        { name: 'INBOX', specialUse: null },
        { name: 'Sent/old', specialUse: null },
      ]),
    ).toEqual([
      { name: 'INBOX', attributes: ['\\HasNoChildren'] },
      { name: 'Sent', attributes: ['\\HasChildren', '\\Sent'] },
      { name: 'Sent/old', attributes: ['\\HasNoChildren'] },
      { name: 'a', attributes: ['\\Noselect', '\\HasChildren'] },
      { name: 'a/b', attributes: ['\\Noselect', '\\HasChildren'] },
      { name: 'a/b/c', attributes: ['\\HasNoChildren'] },
    ]);
  });
});

describe('lsubEntries', () => {
  const folders = [
    { name: 'INBOX', subscribed: true },
    { name: 'news', subscribed: false },
    { name: 'news/comp', subscribed: true },
    { name: 'Trash', subscribed: false },
  ];
  it('returns subscribed folders; an unsubscribed parent only where % stops at it', () => {
    expect(lsubEntries(folders, compilePattern('*')).map((e) => e.name)).toEqual(['INBOX', 'news/comp']);
    expect(lsubEntries(folders, compilePattern('%'))).toEqual([
      { name: 'INBOX', attributes: [] },
      { name: 'news', attributes: ['\\Noselect'] },
    ]);
  });
});
