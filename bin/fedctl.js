#!/usr/bin/env node
// Thin launcher so `npx fedctl` works from a checkout: the compiled CLI lives in dist/.
import '../dist/bin.js';
