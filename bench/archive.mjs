// The benchmark stream wrapped as a Datadog log archive: each line's exact text becomes the
// "attributes" of a record with the reserved attributes around it, as Datadog's archives write
// them (blank lines stay blank). Plain, not gzipped, so that it compares with the plain NDJSON.
//   node bench/archive.mjs IN.ndjson OUT.json
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export async function wrapAsArchive(input, output) {
  const out = createWriteStream(output);
  let i = 0;
  for await (const line of createInterface({ input: createReadStream(input), crlfDelay: Infinity })) {
    const text = line.trim() === ''
      ? line
      : `{"_id":"AgAAAZBx${(i++).toString(36).padStart(8, '0')}","date":"2024-08-01T06:00:00.000Z","host":"web-${i % 7}","source":"runtime-security-agent","service":"runtime-security-agent","status":"info","message":"Sample","attributes":${line},"tags":["env:prod","source:runtime-security-agent"]}`;
    if (!out.write(`${text}\n`)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve, reject) => out.end((err) => (err ? reject(err) : resolve())));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: node bench/archive.mjs IN.ndjson OUT.json');
    process.exit(2);
  }
  await wrapAsArchive(input, output);
}
