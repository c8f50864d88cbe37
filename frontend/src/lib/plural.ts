/** "1 scan", "2 scans": a count and its noun, agreeing. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
