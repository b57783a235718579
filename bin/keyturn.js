#!/usr/bin/env node
// Installed entry: runs the built CLI (dist/cli/main.js, made by `npm run build:node`).
import('../dist/cli/main.js');
