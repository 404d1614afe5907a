/** The errno code of a failed file operation (ENOENT, EACCES…), for one-line messages. */
export function errnoOf(err: unknown): string {
  return (err as NodeJS.ErrnoException | undefined)?.code ?? String(err);
}
