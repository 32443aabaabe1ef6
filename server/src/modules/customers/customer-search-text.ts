/** `customers.search_text`: the name and every follow remark, for keyword search (at most 1024 characters). */
export function searchTextOf(name: string, remarks: Array<string | null | undefined> = []): string {
  const parts = [name, ...remarks].map((part) => part?.trim()).filter((part): part is string => Boolean(part));
  return [...new Set(parts)].join(' ').slice(0, 1024);
}
