#!/usr/bin/env node
// The installed `recado` command: runs the built CLI (npm run build first).
await import(new URL('../dist/main.js', import.meta.url).href);
