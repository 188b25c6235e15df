/** Rows a list page asks for at once (the API allows 1-200); "Load more" fetches the next page. */
export const PAGE_SIZE = 50;
