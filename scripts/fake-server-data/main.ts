/**
 * `npm run codegen:fake-server-data`: regenerates the FakeApiServer's data modules under `lib/testing/generated/`
 * (see `targets.ts`). Compiled by the repository's tsc (`scripts/fake-server-data/tsconfig.json`, into `.out/`) and
 * run with node; takes no arguments.
 */
import { regenerate } from './targets.js';

regenerate();
