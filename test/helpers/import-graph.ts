import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One module of src/: its imports, split into modules of src/ and packages. */
export interface ModuleNode {
  /** Path relative to the repository root, with forward slashes (`src/cli/main.ts`). */
  file: string;
  /** Modules of src/ it imports (static, type-only, re-exports and dynamic `import()`). */
  internal: string[];
  /** Package specifiers it imports (`node:fs`, `execa`, `@actions/core`). */
  external: string[];
  /** The subset of `internal` imported only by `import()`, loaded when first needed. */
  dynamic: string[];
  text: string;
}

export type ImportGraph = Map<string, ModuleNode>;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** `./x.js` from a .ts file names `./x.ts` (NodeNext resolution), or `./x/index.ts`. */
function resolveRelative(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`${from}: cannot resolve import "${specifier}"`);
}

/**
 * The import graph of every .ts file under `dir`. TypeScript's own pre-processor finds the
 * specifiers, so `import type`, `export … from` and `import()` all count: a cycle through
 * types is still a cycle to a reader, and a dynamic import still reaches its module.
 */
export function buildImportGraph(root: string, dir = 'src'): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const path of tsFiles(join(root, dir))) {
    const text = readFileSync(path, 'utf8');
    const { importedFiles } = ts.preProcessFile(text, true, true);
    const internal = new Set<string>();
    const external = new Set<string>();
    const dynamic = new Set<string>();
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) {
        external.add(fileName);
        continue;
      }
      const target = toKey(root, resolveRelative(path, fileName));
      internal.add(target);
      const quoted = fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const asStatic = new RegExp(`(from|import)\\s*['"]${quoted}['"]`);
      if (!asStatic.test(text)) dynamic.add(target);
    }
    const file = toKey(root, path);
    graph.set(file, {
      file,
      internal: [...internal],
      external: [...external],
      dynamic: [...dynamic],
      text,
    });
  }
  return graph;
}

function toKey(root: string, path: string): string {
  return relative(root, path).split('\\').join('/');
}

/**
 * Every module reachable from `start` (itself excluded), with the path that reaches each;
 * `staticOnly`: what loading `start` loads, without the `import()`s it may make later.
 */
export function reachable(
  graph: ImportGraph,
  start: string,
  staticOnly = false,
): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  const queue: string[][] = [[start]];
  while (queue.length > 0) {
    const path = queue.shift() as string[];
    const node = graph.get(path[path.length - 1] as string);
    for (const next of node?.internal ?? []) {
      if (next === start || paths.has(next)) continue;
      if (staticOnly && node?.dynamic.includes(next)) continue;
      const through = [...path, next];
      paths.set(next, through);
      queue.push(through);
    }
  }
  return paths;
}

/** Strongly connected components of more than one module, or a module importing itself. */
export function importCycles(graph: ImportGraph): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index);
    index += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.internal ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, indices.get(w) as number));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.internal.includes(v)) cycles.push(component.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) visit(v);
  return cycles;
}
