#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  duration
} from "./chunk-chunk-EGNDYM6A.js";
import {
  external_exports
} from "./chunk-chunk-SSOYEDRJ.js";

// src/config/sections/build.ts
var BUILDER_KINDS = ["auto", "docker", "buildah", "podman"];
var repository = external_exports.string().regex(
  /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/,
  {
    error: "expected an image repository without tag or digest, such as ghcr.io/org/model or 127.0.0.1:5000/model (lower case)"
  }
);
var buildSection = external_exports.strictObject({
  builder: external_exports.enum(BUILDER_KINDS).default("auto").describe(
    "Which tool builds the image. auto: docker when its daemon answers, else buildah, else podman."
  ),
  image: repository.optional().describe(
    "Image repository to build and push (no tag), e.g. ghcr.io/org/model. When unset, the build stage is skipped."
  ),
  context: external_exports.string().min(1).default(".").describe("Build context directory, relative to the repository root."),
  file: external_exports.string().min(1).optional().describe(
    "Containerfile/Dockerfile, relative to the context. Default: Containerfile, else Dockerfile, in the context."
  ),
  args: external_exports.record(external_exports.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), external_exports.string()).default({}).describe(
    "Build arguments. Values are passed through the environment of the builder, never in its argument list."
  ),
  platforms: external_exports.array(
    external_exports.string().regex(/^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/, {
      error: "expected os/arch[/variant], e.g. linux/amd64"
    })
  ).default([]).describe(
    "Target platforms (docker buildx only), e.g. [linux/amd64, linux/arm64]. Empty: the builder\u2019s own platform."
  ),
  tags: external_exports.array(external_exports.string().min(1)).default([]).describe(
    "Tag templates with {{sha}}, {{shortSha}}, {{version}}, {{branch}}. Default: the full commit sha, plus latest on the default branch."
  ),
  push: external_exports.boolean().optional().describe("Push the image. Default: push, except on pull_request events."),
  tlsVerify: external_exports.boolean().optional().describe(
    "Verify the registry\u2019s TLS certificate (buildah, podman). Default: false for loopback registries (like Docker\u2019s default); otherwise the builder\u2019s default (true, unless registries.conf marks the registry insecure)."
  ),
  requires: external_exports.array(external_exports.string().min(1)).default([]).describe(
    "Files (relative to the repository root) that must exist before building, e.g. out/model.json written by the train stage."
  ),
  timeout: duration("30m").describe("Time limit for each builder command (build, push).")
}).prefault({}).describe("The build stage: build the model image, label it, push it and report its digest.");

export {
  BUILDER_KINDS,
  buildSection
};
