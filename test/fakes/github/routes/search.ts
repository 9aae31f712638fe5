// GET /search/issues: enough of GitHub's query language to find an issue or pull request
// by a marker in its body (`"incident:abc" in:body repo:o/r is:pr is:open label:x`).
import { HttpError, paginate, type RouteHandler } from '../http.js';
import type { Issue, Repo } from '../state.js';
import { issueView } from '../views.js';

interface Query {
  repos: string[];
  terms: string[];
  filters: ((issue: Issue) => boolean)[];
  fields: ('title' | 'body')[];
}

/** Splits `a "b c" key:value key:"v w"` into tokens, keeping quoted phrases whole. */
function tokens(q: string): string[] {
  return [...q.matchAll(/(?:[^\s"]+:)?"[^"]*"|\S+/g)].map((m) => m[0]);
}

function unquote(s: string): string {
  return s.replace(/^"|"$/g, '');
}

export function parseSearch(q: string): Query {
  const query: Query = { repos: [], terms: [], filters: [], fields: [] };
  for (const token of tokens(q)) {
    const m = /^(-?)([a-z]+):(.+)$/.exec(token);
    if (!m) {
      query.terms.push(unquote(token).toLowerCase());
      continue;
    }
    const [, neg, key, rawValue] = m;
    const value = unquote(rawValue ?? '');
    const test = filterFor(key ?? '', value, query);
    if (test) query.filters.push(neg ? (i) => !test(i) : test);
  }
  if (query.fields.length === 0) query.fields = ['title', 'body'];
  return query;
}

function filterFor(key: string, value: string, query: Query): ((i: Issue) => boolean) | undefined {
  switch (key) {
    case 'repo':
      query.repos.push(value.toLowerCase());
      return undefined;
    case 'is':
    case 'type':
      if (value === 'pr' || value === 'pull-request') return (i) => Boolean(i.pull);
      if (value === 'issue') return (i) => !i.pull;
      if (value === 'open' || value === 'closed') return (i) => i.state === value;
      if (value === 'merged') return (i) => Boolean(i.pull?.merged);
      throw new HttpError(
        422,
        `Validation Failed: unsupported qualifier is:${value} in the GitHub fake`,
      );
    case 'state':
      return (i) => i.state === value;
    case 'label':
      return (i) => i.labels.includes(value);
    case 'author':
      return (i) => i.user.login.toLowerCase() === value.toLowerCase();
    case 'head':
      return (i) => i.pull?.headRef === value;
    case 'in':
      for (const f of value.split(',')) if (f === 'title' || f === 'body') query.fields.push(f);
      return undefined;
    default:
      throw new HttpError(
        422,
        `Validation Failed: the GitHub fake does not support the qualifier ${key}:`,
      );
  }
}

export const searchRoutes: Record<string, RouteHandler> = {
  'search/issues-and-pull-requests': (req) => {
    const query = parseSearch(req.query.get('q') ?? '');
    const visible = (r: Repo): boolean =>
      !req.grant.repos || req.grant.repos.includes(r.fullName.toLowerCase());
    const repos = [...req.state.repos.values()]
      .filter(visible)
      .filter((r) => query.repos.length === 0 || query.repos.includes(r.fullName.toLowerCase()));
    const hits = repos
      .flatMap((repo) => [...repo.issues.values()].map((issue) => ({ repo, issue })))
      .filter(({ issue }) => query.filters.every((f) => f(issue)))
      .filter(({ issue }) => {
        const text = query.fields
          .map((f) => (f === 'title' ? issue.title : (issue.body ?? '')))
          .join('\n')
          .toLowerCase();
        return query.terms.every((t) => text.includes(t));
      })
      // GitHub sorts by best match; the fake lists newest first.
      .sort((a, b) => b.issue.id - a.issue.id);
    const page = paginate(req, hits);
    return {
      status: 200,
      headers: page.headers,
      body: {
        total_count: hits.length,
        incomplete_results: false,
        items: page.items.map(({ repo, issue }) => ({
          ...issueView(issue, repo, req.urls),
          score: 1,
        })),
      },
    };
  },
};
