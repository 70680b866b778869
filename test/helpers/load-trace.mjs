// `node --import ./test/helpers/load-trace.mjs ...`: appends the URL of every ES module the
// process loads (and of each builtin it imports) to the file CSM_LOAD_TRACE names, one a line.
// test/e2e/startup-loads.test.ts reads it to check what a start-up loads.
import { register } from 'node:module';

register('./load-trace-hooks.mjs', import.meta.url);
