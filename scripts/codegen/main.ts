/**
 * `npm run codegen`: regenerates every committed generated module (see `targets.ts`). Compiled by the repository's
 * tsc (`scripts/codegen/tsconfig.json`, into `.out/`) and run with node; takes no arguments.
 */
import { regenerate } from './targets.js';

await regenerate();
