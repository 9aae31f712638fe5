#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  external_exports
} from "./chunk-chunk-SSOYEDRJ.js";
import {
  splitCommand
} from "./chunk-chunk-YOU5EUFK.js";
import {
  MAX_DURATION_MS,
  parseDuration
} from "./chunk-chunk-PF54JKQR.js";

// src/config/types.ts
function duration(defaultValue) {
  return external_exports.union([external_exports.string(), external_exports.number().nonnegative()], {
    error: "expected a duration such as 30s, 10m or 1h"
  }).refine((v) => parseDuration(v) !== void 0, {
    error: "expected a duration such as 30s, 10m or 1h"
  }).refine((v) => (parseDuration(v) ?? 0) <= MAX_DURATION_MS, {
    error: `too long: at most ${MAX_DURATION_MS} ms (24d20h31m23s, written 596h31m23s), the longest timer Node can set`
  }).transform((v) => parseDuration(v)).prefault(defaultValue);
}
var command = external_exports.union(
  [
    external_exports.string().min(1).superRefine((value, ctx) => {
      const split = splitCommand(value);
      if ("problem" in split) ctx.addIssue({ code: "custom", message: split.problem });
    }),
    external_exports.array(external_exports.string()).min(1)
  ],
  { error: 'expected a command: a string such as "npm run lint" or an array of arguments' }
);
var amount = external_exports.union([external_exports.number().nonnegative(), external_exports.string().regex(/^\d+(\.\d+)?%$/)], {
  error: 'expected a number (absolute) or a percentage such as "5%"'
});
var envMap = external_exports.record(external_exports.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), external_exports.string());

export {
  duration,
  command,
  amount,
  envMap
};
