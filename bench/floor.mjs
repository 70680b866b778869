#!/usr/bin/env node
// The floor: the least a Node NDJSON reader must do. Reads FILE, splits lines on
// Buffers, JSON.parse()s each non-empty line (no validation), prints nothing.
//   node bench/floor.mjs FILE
import { createReadStream } from 'node:fs';

let rest = Buffer.alloc(0);
const parse = (buf, start, end) => {
  if (end > start) try { JSON.parse(buf.toString('utf8', start, end)); } catch { /* invalid line */ }
};
for await (const chunk of createReadStream(process.argv[2], { highWaterMark: 1 << 20 })) {
  const buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
  let start = 0;
  for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, start)) {
    parse(buf, start, nl);
    start = nl + 1;
  }
  rest = buf.subarray(start);
}
parse(rest, 0, rest.length);
