#!/usr/bin/env node
// Starts the server from the TypeScript sources (tsx compiles on the fly; no build step).
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
