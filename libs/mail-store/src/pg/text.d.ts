/** Postgres text and jsonb cannot hold NUL. */
export declare const pgText: (s: string) => string;
export declare const jsonb: (v: unknown) => string;
//# sourceMappingURL=text.d.ts.map