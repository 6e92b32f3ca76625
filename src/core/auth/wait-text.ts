/** A wait in the member's words: `30秒`, `2分` (rounded up, so the member never retries too early). */
export function waitText(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds}秒`;
  return `${Math.ceil(seconds / 60)}分`;
}
