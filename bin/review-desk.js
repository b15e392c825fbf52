#!/usr/bin/env node
// Entry of the `review-desk` command. The CLI is TypeScript run through tsx's loader, so the
// command works straight after `npm install` with no build step. The loader is pinned to this
// package's own tsconfig so that running from inside another project never picks up theirs.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
const { runCli, nodeCliIo } = await import('../cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2), nodeCliIo());
