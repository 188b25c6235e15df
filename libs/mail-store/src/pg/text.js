/** Postgres text and jsonb cannot hold NUL. */
export const pgText = (s) => s.replace(/\0/g, '');
export const jsonb = (v) => JSON.stringify(v).replace(/\\u0000/g, '');
//# sourceMappingURL=text.js.map