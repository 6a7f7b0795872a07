#!/usr/bin/env node
// The `fedctl` command. The compiled CLI lives in dist/: `npm run build` makes it, and so does
// `npm ci` in a checkout and `npm pack` (the prepare script), so an installed package ships it.
import '../dist/bin.js';
