import { parser } from '@prometheus-io/lezer-promql';

export interface PromqlSyntaxError {
  /** 0-based offset into the query. */
  offset: number;
  line: number;
  column: number;
  message: string;
}

/**
 * Syntax-checks a PromQL query with Prometheus' own grammar. The parser recovers from
 * errors by inserting error nodes; the first one is reported with its position.
 */
export function checkPromqlSyntax(query: string): PromqlSyntaxError | undefined {
  if (query.trim() === '') return position(query, 0, 'empty query');
  let first: { from: number; to: number } | undefined;
  parser.parse(query).iterate({
    enter(node) {
      if (first) return false;
      if (node.type.isError) first = { from: node.from, to: node.to };
      return undefined;
    },
  });
  if (!first) return undefined;
  const near = query.slice(first.from, Math.max(first.to, first.from + 1)).trim();
  const message =
    first.from >= query.length
      ? 'unexpected end of query'
      : `unexpected ${near ? `"${near}"` : 'input'}`;
  return position(query, first.from, message);
}

function position(query: string, offset: number, message: string): PromqlSyntaxError {
  const before = query.slice(0, offset).split('\n');
  return { offset, line: before.length, column: (before.at(-1)?.length ?? 0) + 1, message };
}

/** The query's line with a caret under the error, for logs. */
export function caretSnippet(query: string, error: PromqlSyntaxError): string {
  const line = query.split('\n')[error.line - 1] ?? '';
  return `${line}\n${' '.repeat(error.column - 1)}^`;
}
