import fs from 'node:fs';
import { UsageError } from './errors.ts';

export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${what} file ${path} is not valid JSON`);
  }
}
