// The loader hook of load-trace.mjs (it runs in Node's hooks thread).
import { appendFileSync } from 'node:fs';

export async function load(url, context, next) {
  if (process.env.CSM_LOAD_TRACE) appendFileSync(process.env.CSM_LOAD_TRACE, `${url}\n`);
  return next(url, context);
}
