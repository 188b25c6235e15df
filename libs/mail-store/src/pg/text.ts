/** Postgres text and jsonb cannot hold NUL. */
export const pgText = (s: string) => s.replace(/\0/g, '');
export const jsonb = (v: unknown) => JSON.stringify(v).replace(/\\u0000/g, '');
