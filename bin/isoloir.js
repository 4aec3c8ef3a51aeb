#!/usr/bin/env node
// The `isoloir` command, run from the TypeScript sources (tsx compiles on the fly; no build step).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
