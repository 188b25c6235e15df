import { describe, expect, it } from 'vitest';
import { addressList, addresses, domainName, email, password, wholeNumber } from './validate';

describe('form checks', () => {
  it('says what is wrong with a domain name', () => {
    expect(domainName('example.com')).toBeUndefined();
    expect(domainName('example.com.')).toBeUndefined();
    expect(domainName('')).toBe('Enter a domain name.');
    expect(domainName('me@example.com')).toMatch(/only the domain/);
    expect(domainName('localhost')).toMatch(/at least one dot/);
  });

  it('checks passwords against the API’s minimum of 10 characters', () => {
    expect(password('')).toBe('Enter a password.');
    expect(password('123456789')).toBe('The password needs at least 10 characters.');
    expect(password('1234567890')).toBeUndefined();
  });

  it('splits address lists on commas, spaces and new lines and names the bad one', () => {
    expect(addressList('a@x.org, b@y.org\nc@z.org;d@w.org')).toEqual(['a@x.org', 'b@y.org', 'c@z.org', 'd@w.org']);
    expect(addresses(['a@x.org', 'nope'], 'forwarding')).toBe('“nope” is not an email address.');
    expect(addresses([], 'the destinations', { min: 1 })).toBe('Enter at least one address for the destinations.');
    expect(addresses(Array.from({ length: 21 }, (_, i) => `u${i}@x.org`), 'forwarding', { max: 20 })).toBe('At most 20 addresses for forwarding.');
    expect(email('x', 'the email')).toBe('The email must look like name@example.com.');
  });

  it('checks whole numbers with bounds', () => {
    expect(wholeNumber('5', 'mailboxes')).toBeUndefined();
    expect(wholeNumber('1.5', 'mailboxes')).toBe('Mailboxes must be a whole number.');
    expect(wholeNumber('0', 'recipients', 1)).toBe('Recipients must be at least 1.');
    expect(wholeNumber('', 'mailboxes')).toBe('Enter mailboxes.');
  });
});
