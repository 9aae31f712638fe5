#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  VERSION
} from "./chunk-chunk-G65RTGH3.js";
import "./chunk-chunk-YW753B3X.js";
export {
  VERSION
};
