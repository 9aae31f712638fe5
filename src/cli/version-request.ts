/** `model-delivery --version` (or `-V`) alone: answered before the rest of the CLI loads. */
export function isVersionRequest(argv: readonly string[]): boolean {
  return argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V');
}
