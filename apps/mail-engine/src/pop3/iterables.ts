/** Maps lazily, so a listing of a huge maildrop is produced line by line as it is written. */
export function* map<T, U>(items: Iterable<T>, f: (item: T) => U): IterableIterator<U> {
  for (const item of items) yield f(item);
}
