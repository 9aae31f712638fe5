import { gitQuery } from '../core/git.js';
import { EnvironmentError, UsageError } from '../core/errors.js';
import type { StageReport } from '../report/store.js';
import type { Release } from './types.js';

export interface ReleaseSources {
  root: string;
  target: 'local' | 'kubernetes';
  /** `--version`; default the git short sha. */
  version?: string;
  /** GITHUB_SHA in Actions; default `git rev-parse HEAD`. */
  sha?: string;
  /** `--image`: the image to ship, when the build ran elsewhere; wins over the build's report. */
  image?: string;
  /** The build stage's report: outputs `image-ref` (repository@digest), `image` (repository:tag) and `digest`. */
  build?: StageReport;
}

/**
 * The release this deploy ships. The local target runs the working tree, so its image is
 * only a label (`local:<version>`); the kubernetes target needs the build stage's image.
 */
export async function resolveRelease(sources: ReleaseSources): Promise<Release> {
  const sha = sources.sha ?? (await gitQuery(sources.root, ['rev-parse', 'HEAD']));
  const version = sources.version ?? (sha ? sha.slice(0, 7) : undefined);
  if (!version) {
    throw new EnvironmentError(
      'cannot name the release: pass --version <v>, or run inside a git repository (the default is the short commit sha)',
      'no_version',
    );
  }
  checkVersion(version);
  if (sources.target === 'local') {
    if (sources.image !== undefined)
      throw new UsageError(
        '--image is for deploy.target kubernetes; the local target runs the working tree (deploy.local.command)',
        'image_invalid',
      );
    return { version, sha: sha ?? '', image: `local:${version}` };
  }
  if (sources.image !== undefined) return { version, sha: sha ?? '', ...imageFlag(sources.image) };
  // By content when the build knows the digest, so what runs is exactly what was built.
  const image = sources.build?.outputs['image-ref'] || sources.build?.outputs.image;
  if (sources.build?.status !== 'success' || !image) {
    throw new EnvironmentError(
      'no image to deploy: the build stage has not succeeded in this workspace (.model-delivery/reports/build.json has no image output); run model-delivery build first, or pass the image to ship with --image <repository@sha256:…> (the action input image)',
      'no_image',
    );
  }
  const digest = sources.build.outputs.digest || undefined;
  return { version, sha: sha ?? '', image, ...(digest ? { digest } : {}) };
}

/** An image reference: `repository[:tag]` or `repository@sha256:<64 hex>` (then its digest). */
const IMAGE_REF =
  /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** `--image`, checked before anything is recorded or started. */
export function imageFlag(ref: string): { image: string; digest?: string } {
  if (!IMAGE_REF.test(ref)) {
    throw new UsageError(
      `--image ${JSON.stringify(ref)} is not an image reference; give repository@sha256:<64 hex digits> (what runs is then exactly that image) or repository:tag`,
      'image_invalid',
    );
  }
  const digest = ref.includes('@') ? ref.split('@')[1] : undefined;
  return { image: ref, ...(digest ? { digest } : {}) };
}

/** A rollback target named on the command line (`--to`): a known release when one matches, else built from the text. */
export function releaseFromRef(
  ref: string,
  known: readonly Release[],
  target: 'local' | 'kubernetes',
): Release {
  const match = [...known]
    .reverse()
    .find(
      (r) =>
        r.version === ref ||
        r.image === ref ||
        r.digest === ref ||
        (ref.length >= 7 && r.sha.startsWith(ref)),
    );
  if (match) return match;
  if (target === 'local') return { version: ref, sha: '', image: `local:${ref}` };
  // An image reference: its tag (or digest) is the best version name it carries.
  const version = ref.includes('@')
    ? (ref.split('@')[1] as string)
    : (/:([^/:]+)$/.exec(ref)?.[1] ?? ref);
  return {
    version,
    sha: '',
    image: ref,
    ...(ref.includes('@') ? { digest: ref.split('@')[1] } : {}),
  };
}

/** Longest version accepted: a git tag or a sha fits; file names and labels built from it stay short. */
export const MAX_VERSION_LENGTH = 128;

/** The same rule for both targets, before anything is recorded or started. */
export function checkVersion(version: string): void {
  if (version.length > MAX_VERSION_LENGTH)
    throw new UsageError(
      `--version is ${version.length} characters long; at most ${MAX_VERSION_LENGTH} (a tag such as v1.4.2, or a commit sha)`,
      'version_invalid',
    );
  // Whitespace or any control character (code points below 32, and DEL).
  if (
    /\s/.test(version) ||
    [...version].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127)
  )
    throw new UsageError(
      `--version ${JSON.stringify(version)} holds whitespace or control characters; use a tag such as v1.4.2`,
      'version_invalid',
    );
}
