// Git references. Creating one is atomic (check and set run in one synchronous step), which
// is what lets a client use `POST /git/refs` as a cross-process lock.
import {
  HttpError,
  notFound,
  repoOf,
  unprocessable,
  type RouteHandler,
  type RouteRequest,
} from '../http.js';
import { nodeId, type Repo } from '../state.js';

function refView(req: RouteRequest, repo: Repo, ref: string, sha: string): Record<string, unknown> {
  const api = `${req.urls.api}/repos/${repo.fullName}`;
  return {
    ref,
    node_id: nodeId(
      'REF',
      [...ref].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, repo.id),
    ),
    url: `${api}/git/${ref}`,
    object: { type: 'commit', sha, url: `${api}/git/commits/${sha}` },
  };
}

/** `heads/x` (as in the URL) → `refs/heads/x`. */
function fullRef(ref: string): string {
  return ref.startsWith('refs/') ? ref : `refs/${ref}`;
}

export const gitRoutes: Record<string, RouteHandler> = {
  'git/create-ref': (req) => {
    const repo = repoOf(req);
    const { ref, sha } = req.body as { ref: string; sha: string };
    if (!/^refs\/[^/]+\/.+/.test(ref)) {
      throw unprocessable("Reference name must start with 'refs/' and have at least two slashes.");
    }
    if (!repo.commits.has(sha)) throw unprocessable('Object does not exist');
    if (repo.refs.has(ref)) throw unprocessable('Reference already exists');
    repo.refs.set(ref, sha);
    return {
      status: 201,
      headers: { location: `${req.urls.api}/repos/${repo.fullName}/git/${ref}` },
      body: refView(req, repo, ref, sha),
    };
  },

  'git/get-ref': (req) => {
    const repo = repoOf(req);
    const ref = fullRef(req.params.ref ?? '');
    const sha = repo.refs.get(ref);
    if (!sha) throw notFound();
    return { status: 200, body: refView(req, repo, ref, sha) };
  },

  'git/update-ref': (req) => {
    const repo = repoOf(req);
    const ref = fullRef(req.params.ref ?? '');
    const { sha } = req.body as { sha: string; force?: boolean };
    if (!repo.refs.has(ref)) throw unprocessable('Reference does not exist');
    if (!repo.commits.has(sha)) throw unprocessable('Object does not exist');
    repo.refs.set(ref, sha);
    return { status: 200, body: refView(req, repo, ref, sha) };
  },

  'git/delete-ref': (req) => {
    const repo = repoOf(req);
    const ref = fullRef(req.params.ref ?? '');
    if (!repo.refs.delete(ref)) throw unprocessable('Reference does not exist');
    return { status: 204 };
  },

  'repos/get-branch': (req) => {
    const repo = repoOf(req);
    const name = req.params.branch ?? '';
    const sha = repo.refs.get(`refs/heads/${name}`);
    if (!sha) throw new HttpError(404, 'Branch not found');
    const api = `${req.urls.api}/repos/${repo.fullName}`;
    return {
      status: 200,
      body: {
        name,
        protected: false,
        commit: {
          sha,
          url: `${api}/commits/${sha}`,
          node_id: nodeId('C', parseInt(sha.slice(0, 8), 16)),
          html_url: `${req.urls.html}/${repo.fullName}/commit/${sha}`,
          comments_url: `${api}/commits/${sha}/comments`,
          parents: [],
          commit: {
            message: repo.commits.get(sha)?.message ?? '',
            url: `${api}/git/commits/${sha}`,
            comment_count: 0,
            tree: { sha, url: `${api}/git/trees/${sha}` },
            author: null,
            committer: null,
          },
          author: null,
          committer: null,
        },
        _links: {
          self: `${api}/branches/${name}`,
          html: `${req.urls.html}/${repo.fullName}/tree/${name}`,
        },
        protection: {
          enabled: false,
          required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] },
        },
        protection_url: `${api}/branches/${name}/protection`,
      },
    };
  },

  'repos/get-commit': (req) => {
    const repo = repoOf(req);
    const sha = req.state.resolve(repo, req.params.ref ?? '');
    const commit = sha ? repo.commits.get(sha) : undefined;
    if (!commit) throw new HttpError(422, `No commit found for SHA: ${req.params.ref ?? ''}`);
    const api = `${req.urls.api}/repos/${repo.fullName}`;
    return {
      status: 200,
      body: {
        sha: commit.sha,
        node_id: nodeId('C', parseInt(commit.sha.slice(0, 8), 16)),
        url: `${api}/commits/${commit.sha}`,
        html_url: `${req.urls.html}/${repo.fullName}/commit/${commit.sha}`,
        comments_url: `${api}/commits/${commit.sha}/comments`,
        commit: {
          message: commit.message,
          url: `${api}/git/commits/${commit.sha}`,
          author: {
            name: commit.author,
            email: `${commit.author}@users.noreply.github.com`,
            date: commit.date,
          },
          committer: {
            name: commit.author,
            email: `${commit.author}@users.noreply.github.com`,
            date: commit.date,
          },
          tree: { sha: commit.sha, url: `${api}/git/trees/${commit.sha}` },
          comment_count: 0,
        },
        author: null,
        committer: null,
        parents: commit.parents.map((p) => ({ sha: p, url: `${api}/commits/${p}` })),
        files: [],
      },
    };
  },
};
