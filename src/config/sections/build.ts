import { z } from 'zod';
import { duration } from '../types.js';

export const BUILDER_KINDS = ['auto', 'docker', 'buildah', 'podman'] as const;

/** `ghcr.io/org/model`, `127.0.0.1:5000/classifier`, `org/model`: a repository, without tag or digest. */
const repository = z
  .string()
  .regex(
    /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/,
    {
      error:
        'expected an image repository without tag or digest, such as ghcr.io/org/model or 127.0.0.1:5000/model (lower case)',
    },
  );

export const buildSection = z
  .strictObject({
    builder: z
      .enum(BUILDER_KINDS)
      .default('auto')
      .describe(
        'Which tool builds the image. auto: docker when its daemon answers, else buildah, else podman.',
      ),
    image: repository
      .optional()
      .describe(
        'Image repository to build and push (no tag), e.g. ghcr.io/org/model. When unset, the build stage is skipped.',
      ),
    context: z
      .string()
      .min(1)
      .default('.')
      .describe('Build context directory, relative to the repository root.'),
    file: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Containerfile/Dockerfile, relative to the context. Default: Containerfile, else Dockerfile, in the context.',
      ),
    args: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string())
      .default({})
      .describe(
        'Build arguments. Values are passed through the environment of the builder, never in its argument list.',
      ),
    platforms: z
      .array(
        z.string().regex(/^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/, {
          error: 'expected os/arch[/variant], e.g. linux/amd64',
        }),
      )
      .default([])
      .describe(
        'Target platforms (docker buildx only), e.g. [linux/amd64, linux/arm64]. Empty: the builder’s own platform.',
      ),
    tags: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Tag templates with {{sha}}, {{shortSha}}, {{version}}, {{branch}}. Default: the full commit sha, plus latest on the default branch.',
      ),
    push: z
      .boolean()
      .optional()
      .describe('Push the image. Default: push, except on pull_request events.'),
    tlsVerify: z
      .boolean()
      .optional()
      .describe(
        'Verify the registry’s TLS certificate (buildah, podman). Default: false for loopback registries (like Docker’s default); otherwise the builder’s default (true, unless registries.conf marks the registry insecure).',
      ),
    requires: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Files (relative to the repository root) that must exist before building, e.g. out/model.json written by the train stage.',
      ),
    timeout: duration('30m').describe('Time limit for each builder command (build, push).'),
  })
  .prefault({})
  .describe('The build stage: build the model image, label it, push it and report its digest.');

export type BuildConfig = z.output<typeof buildSection>;
