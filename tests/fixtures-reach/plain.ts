// A module no resource type reaches: it imports `fs` and `util` functions only.
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

export function size(path: string): number {
  return readFileSync(path).length;
}

export const sleep = promisify(setTimeout);
