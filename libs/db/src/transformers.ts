import type { ValueTransformer } from 'typeorm';

/**
 * pg returns int8 as strings; sizes and counters fit in a double (2^53 bytes is 8 PiB), so they are
 * numbers in the entities. Ids stay strings.
 */
export const bigintNumber: ValueTransformer = {
  to: (v: number | null | undefined) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};
