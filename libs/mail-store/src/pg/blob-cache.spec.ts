import { describe, expect, it } from 'vitest';
import { BlobCache } from './blob-cache.js';

describe('BlobCache', () => {
  it('forgets the least recently used blobs beyond its capacity', () => {
    const sut = new BlobCache(10, 8);
    sut.set('a', Buffer.alloc(4, 'a'));
    sut.set('b', Buffer.alloc(4, 'b'));
    expect(sut.get('a')?.toString()).toBe('aaaa'); // a is now the most recent
    sut.set('c', Buffer.alloc(4, 'c'));
    expect(sut.get('b')).toBeUndefined();
    expect(sut.get('a')?.toString()).toBe('aaaa');
    expect(sut.get('c')?.toString()).toBe('cccc');
    expect(sut.size).toBe(8);
  });

  it('never keeps entries above the per-entry limit, and keeps nothing with capacity 0', () => {
    const sut = new BlobCache(100, 8);
    sut.set('big', Buffer.alloc(9));
    expect(sut.get('big')).toBeUndefined();
    const off = new BlobCache(0, 8);
    off.set('x', Buffer.alloc(1));
    expect(off.get('x')).toBeUndefined();
  });
});
