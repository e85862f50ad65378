/** Locate files shipped with the gankit checkout, from src/ (tsx) or dist/src/ (compiled) alike. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The first `<ancestor>/<relative>` that exists, searching upwards from the folder of `moduleUrl`
 * (pass `import.meta.url`); undefined when no ancestor has it.
 */
export function findUpwards(moduleUrl: string, relative: string): string | undefined {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const candidate = path.join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
