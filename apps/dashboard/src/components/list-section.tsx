import type { ReactNode } from 'react';

export interface Column<T> {
  readonly header: string;
  readonly numeric?: boolean;
  readonly cell: (row: T) => ReactNode;
  readonly className?: string;
}

interface Props<T extends { id: string }> {
  /** Used for the heading's id, e.g. "mailboxes". */
  readonly id: string;
  readonly title: string;
  /** Plural noun for the "Showing N of M …" footer. */
  readonly noun: string;
  readonly empty: ReactNode;
  readonly rows: readonly T[];
  readonly totalCount: number;
  readonly columns: readonly Column<T>[];
  readonly busy?: boolean;
  /** Filters or buttons shown under the heading. */
  readonly toolbar?: ReactNode;
  /** Shown under the table, e.g. a "Load more" button. */
  readonly footer?: ReactNode;
  readonly headingLevel?: 2 | 3;
}

/** A titled table of one page of a connection, with its empty state and a count when truncated. */
export function ListSection<T extends { id: string }>({ id, title, noun, empty, rows, totalCount, columns, busy, toolbar, footer, headingLevel = 2 }: Props<T>) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section aria-labelledby={`${id}-heading`} aria-busy={busy} className="list-section">
      <Heading id={`${id}-heading`}>{title}</Heading>
      {toolbar}
      {rows.length === 0 ? (
        <p className="empty">{empty}</p>
      ) : (
        // Focusable, so a table wider than the screen can be scrolled with the keyboard.
        <div className="table-wrap" tabIndex={0}>
          <table aria-labelledby={`${id}-heading`}>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.header} scope="col" className={c.numeric ? 'numeric' : undefined}>
                    {c.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id}>
                  {columns.map((c) => (
                    <td key={c.header} data-label={c.header} className={[c.numeric ? 'numeric' : '', c.className ?? ''].join(' ').trim() || undefined}>
                      {c.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {totalCount > rows.length ? (
        <p className="muted">
          Showing {rows.length} of {totalCount} {noun}.
        </p>
      ) : null}
      {footer}
    </section>
  );
}
