/** zod issues as one line for an error message: `path: message; path: message` (the first few). */
export function zodIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }, max = 3): string {
  return error.issues
    .slice(0, max)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
