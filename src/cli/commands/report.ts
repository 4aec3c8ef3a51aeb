// Placeholder (issue 15 scaffold): filled by its owner.
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

export function reportCommand(_program: Command, _ctx: CliContext) {}
