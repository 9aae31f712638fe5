#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  gitQuery
} from "./chunk-chunk-OHQVI3ZY.js";
import {
  EnvironmentError,
  UsageError
} from "./chunk-chunk-JOF44I4G.js";

// src/targets/release.ts
async function resolveRelease(sources) {
  const sha = sources.sha ?? await gitQuery(sources.root, ["rev-parse", "HEAD"]);
  const version = sources.version ?? (sha ? sha.slice(0, 7) : void 0);
  if (!version) {
    throw new EnvironmentError(
      "cannot name the release: pass --version <v>, or run inside a git repository (the default is the short commit sha)",
      "no_version"
    );
  }
  checkVersion(version);
  if (sources.target === "local") {
    if (sources.image !== void 0)
      throw new UsageError(
        "--image is for deploy.target kubernetes; the local target runs the working tree (deploy.local.command)",
        "image_invalid"
      );
    return { version, sha: sha ?? "", image: `local:${version}` };
  }
  if (sources.image !== void 0) return { version, sha: sha ?? "", ...imageFlag(sources.image) };
  const image = sources.build?.outputs["image-ref"] || sources.build?.outputs.image;
  if (sources.build?.status !== "success" || !image) {
    throw new EnvironmentError(
      "no image to deploy: the build stage has not succeeded in this workspace (.model-delivery/reports/build.json has no image output); run model-delivery build first, or pass the image to ship with --image <repository@sha256:\u2026> (the action input image)",
      "no_image"
    );
  }
  const digest = sources.build.outputs.digest || void 0;
  return { version, sha: sha ?? "", image, ...digest ? { digest } : {} };
}
var IMAGE_REF = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
function imageFlag(ref) {
  if (!IMAGE_REF.test(ref)) {
    throw new UsageError(
      `--image ${JSON.stringify(ref)} is not an image reference; give repository@sha256:<64 hex digits> (what runs is then exactly that image) or repository:tag`,
      "image_invalid"
    );
  }
  const digest = ref.includes("@") ? ref.split("@")[1] : void 0;
  return { image: ref, ...digest ? { digest } : {} };
}
function releaseFromRef(ref, known, target) {
  const match = [...known].reverse().find(
    (r) => r.version === ref || r.image === ref || r.digest === ref || ref.length >= 7 && r.sha.startsWith(ref)
  );
  if (match) return match;
  if (target === "local") return { version: ref, sha: "", image: `local:${ref}` };
  const version = ref.includes("@") ? ref.split("@")[1] : /:([^/:]+)$/.exec(ref)?.[1] ?? ref;
  return {
    version,
    sha: "",
    image: ref,
    ...ref.includes("@") ? { digest: ref.split("@")[1] } : {}
  };
}
var MAX_VERSION_LENGTH = 128;
function checkVersion(version) {
  if (version.length > MAX_VERSION_LENGTH)
    throw new UsageError(
      `--version is ${version.length} characters long; at most ${MAX_VERSION_LENGTH} (a tag such as v1.4.2, or a commit sha)`,
      "version_invalid"
    );
  if (/\s/.test(version) || [...version].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127))
    throw new UsageError(
      `--version ${JSON.stringify(version)} holds whitespace or control characters; use a tag such as v1.4.2`,
      "version_invalid"
    );
}

export {
  resolveRelease,
  releaseFromRef
};
