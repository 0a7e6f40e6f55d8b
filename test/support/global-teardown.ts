export default async function globalTeardown(): Promise<void> {
  // Worker databases are kept for post-mortem inspection; the next run recreates them.
}
