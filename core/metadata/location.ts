/** Table locations are stored without a trailing `/` (Java strips it), but a bare scheme keeps its `://`. */
export function stripTrailingSlash(location: string): string {
  let result = location;
  while (result.endsWith('/') && !result.endsWith('://')) result = result.slice(0, -1);
  return result;
}
