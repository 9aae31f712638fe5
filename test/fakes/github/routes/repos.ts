// Installations, repository metadata, file contents and collaborator permissions.
import { createHash, randomBytes } from 'node:crypto';
import {
  HttpError,
  intParam,
  notFound,
  repoOf,
  type RouteHandler,
  type RouteRequest,
} from '../http.js';
import { narrow } from '../permissions.js';
import type { Installation } from '../state.js';
import { repoView, userView } from '../views.js';

function installationView(inst: Installation, req: RouteRequest): Record<string, unknown> {
  const account = req.state.user(inst.account);
  return {
    id: inst.id,
    account: userView({ ...account, type: account.type }, req.urls),
    app_id: Number(req.options.appId),
    app_slug: req.options.appSlug,
    target_id: account.id,
    target_type: 'Organization',
    repository_selection: 'selected',
    permissions: inst.permissions,
    events: ['issue_comment', 'deployment_status', 'pull_request'],
    access_tokens_url: `${req.urls.api}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${req.urls.api}/installation/repositories`,
    html_url: `${req.urls.html}/organizations/${inst.account}/settings/installations/${inst.id}`,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    single_file_name: null,
    suspended_by: null,
    suspended_at: null,
  };
}

function installationFor(req: RouteRequest, id: number): Installation {
  const inst = req.state.installations.get(id);
  if (!inst) throw notFound();
  return inst;
}

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

export const repoRoutes: Record<string, RouteHandler> = {
  'apps/get-authenticated': (req) => ({
    status: 200,
    body: {
      id: Number(req.options.appId),
      slug: req.options.appSlug,
      name: req.options.appSlug,
      node_id: `A_${req.options.appId}`,
      owner: userView(req.state.user('fake-owner'), req.urls),
      description: 'GitHub fake',
      external_url: 'https://example.invalid',
      html_url: `${req.urls.html}/apps/${req.options.appSlug}`,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      permissions: {},
      events: [],
    },
  }),

  'apps/list-installations': (req) => ({
    status: 200,
    body: [...req.state.installations.values()].map((i) => installationView(i, req)),
  }),

  'apps/get-installation': (req) => ({
    status: 200,
    body: installationView(installationFor(req, intParam(req, 'installation_id')), req),
  }),

  'apps/get-repo-installation': (req) => {
    const repo = repoOf(req);
    const inst = [...req.state.installations.values()].find((i) => i.repos.includes(repo.fullName));
    if (!inst) throw notFound();
    return { status: 200, body: installationView(inst, req) };
  },

  'apps/create-installation-access-token': (req) => {
    const inst = installationFor(req, intParam(req, 'installation_id'));
    const body = (req.body ?? {}) as {
      repositories?: string[];
      permissions?: Record<string, string>;
    };
    const permissions = narrow(inst.permissions, body.permissions);
    if (
      body.permissions &&
      Object.keys(permissions).length !== Object.keys(body.permissions).length
    ) {
      throw new HttpError(422, 'The permissions requested are not granted to this installation.');
    }
    const repos = body.repositories
      ? body.repositories.map((name) => `${inst.account}/${name}`)
      : [...inst.repos];
    const token = `ghs_${randomBytes(18).toString('base64url')}`;
    const expiresAt = new Date(Date.now() + TOKEN_LIFETIME_MS)
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
    req.state.tokens.set(token, {
      kind: 'installation',
      actor: req.state.user(`${req.options.appSlug}[bot]`, 'Bot'),
      installationId: inst.id,
      repos: repos.map((r) => r.toLowerCase()),
      expiresAt,
      permissions,
    });
    return {
      status: 201,
      body: {
        token,
        expires_at: expiresAt,
        permissions,
        repository_selection: 'selected',
      },
    };
  },

  'repos/get': (req) => ({ status: 200, body: repoView(repoOf(req), req.urls) }),

  'repos/get-content': (req) => {
    const repo = repoOf(req);
    const refName = req.query.get('ref') ?? repo.defaultBranch;
    const sha = req.state.resolve(repo, refName);
    if (!sha) throw new HttpError(404, `No commit found for the ref ${refName}`);
    const files = repo.commits.get(sha)?.files ?? {};
    const path = (req.params.path ?? '').replace(/^\/+|\/+$/g, '');
    const text = files[path];
    const api = `${req.urls.api}/repos/${repo.fullName}`;
    const entry = (p: string, type: 'file' | 'dir', size: number): Record<string, unknown> => ({
      type,
      name: p.split('/').pop(),
      path: p,
      sha: type === 'file' ? blobSha(files[p] ?? '') : sha,
      size,
      url: `${api}/contents/${p}?ref=${encodeURIComponent(refName)}`,
      html_url: `${req.urls.html}/${repo.fullName}/blob/${refName}/${p}`,
      git_url: `${api}/git/blobs/${blobSha(files[p] ?? '')}`,
      download_url:
        type === 'file' ? `${req.urls.html}/${repo.fullName}/raw/${refName}/${p}` : null,
      _links: {
        self: `${api}/contents/${p}?ref=${encodeURIComponent(refName)}`,
        git: `${api}/git/blobs/${blobSha(files[p] ?? '')}`,
        html: `${req.urls.html}/${repo.fullName}/blob/${refName}/${p}`,
      },
    });
    if (text !== undefined) {
      if (/\.raw\b|application\/vnd\.github\.raw/.test(req.headers.accept ?? '')) {
        return { status: 200, raw: { contentType: 'text/plain; charset=utf-8', text } };
      }
      const bytes = Buffer.from(text, 'utf8');
      return {
        status: 200,
        body: {
          ...entry(path, 'file', bytes.length),
          encoding: 'base64',
          // GitHub wraps base64 at 60 characters.
          content: (bytes.toString('base64').match(/.{1,60}/g) ?? ['']).join('\n') + '\n',
        },
      };
    }
    const prefix = path ? `${path}/` : '';
    const children = new Map<string, 'file' | 'dir'>();
    for (const p of Object.keys(files)) {
      if (!p.startsWith(prefix)) continue;
      const [head, ...rest] = p.slice(prefix.length).split('/');
      if (head) children.set(prefix + head, rest.length ? 'dir' : 'file');
    }
    if (children.size === 0) throw notFound();
    return {
      status: 200,
      body: [...children].map(([p, type]) =>
        entry(p, type, type === 'file' ? Buffer.byteLength(files[p] ?? '') : 0),
      ),
    };
  },

  'repos/get-collaborator-permission-level': (req) => {
    const repo = repoOf(req);
    const username = req.params.username ?? '';
    const role = repo.permissions.get(username.toLowerCase());
    if (!role) throw new HttpError(404, 'Not Found');
    const legacy = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
    const user = req.state.user(username);
    return {
      status: 200,
      body: {
        permission: legacy,
        role_name: role === 'none' ? '' : role,
        user: {
          ...userView(user, req.urls),
          permissions: {
            admin: role === 'admin',
            maintain: role === 'admin' || role === 'maintain',
            push: ['admin', 'maintain', 'write'].includes(role),
            triage: role !== 'read' && role !== 'none',
            pull: role !== 'none',
          },
          role_name: role,
        },
      },
    };
  },
};

/** The git blob id, as GitHub reports it. */
function blobSha(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
