// The example events (events.ndjson) in the other input shapes csm-validate and csm-filter read,
// built as Datadog writes them, every event's text kept byte for byte (its uint64 inode too):
//   archive.json.gz  a Datadog log archive: one record a line, the event under "attributes"
//   api.json         a Logs API response in two pages (concatenated), events under data[].attributes.attributes
//   pretty.json      three events pretty-printed (as `jq .` writes them)
//   array.json       the ten events as one JSON array
// Run from the repository root: node examples/generate-shapes.mjs
// The builders are exported (generate-shapes.d.mts): test/e2e/shapes.test.ts builds its inputs with them.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dir = new URL('.', import.meta.url);
const time = (i) => `2024-08-01T06:${String(i).padStart(2, '0')}:00.000Z`;

/** `jq .`-like indentation of a JSON text, every string and number kept as written. */
export function pretty(text) {
  let out = '';
  let depth = 0;
  let inString = false;
  const nl = () => `\n${'  '.repeat(depth)}`;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '{' || c === '[') {
      const empty = text[i + 1] === (c === '{' ? '}' : ']');
      out += empty ? c : c + ((depth++, nl()));
    } else if ((c === '}' || c === ']') && text[i - 1] !== (c === '}' ? '{' : '[')) {
      depth--;
      out += nl() + c;
    } else if (c === ',') out += c + nl();
    else if (c === ':') out += ': ';
    else out += c;
  }
  return out;
}

/** A Datadog log archive record around an event's exact text (`i`: its index, for the id, time and host). */
export const archiveRecord = (ev, i) =>
  `{"_id":"AgAAAZBx${i}","date":"${time(i)}","host":"web-${(i % 2) + 1}","source":"runtime-security-agent","service":"runtime-security-agent","status":"${i === 3 ? 'warn' : 'info'}","message":"CSM event","attributes":${ev},"tags":["env:prod","host:web-${(i % 2) + 1}"]}`;

/** A Logs API record around an event's exact text. */
export const apiRecord = (ev, i) =>
  `{"id":"AQAAAZBx${i}","type":"log","attributes":{"attributes":${ev},"tags":["env:prod"],"timestamp":"${time(i)}","host":"web-${(i % 2) + 1}","service":"runtime-security-agent","status":"info","message":"CSM event"}}`;

/** A Logs API page of records, with the cursor of the next page (none: the last page). */
export const apiPage = (records, next) =>
  `{"data":[${records.join(',')}],"links":{${next ? `"next":"https://api.datadoghq.com/api/v2/logs/events?page[cursor]=${next}"` : ''}},"meta":{"page":{${next ? `"after":"${next}"` : ''}}}}`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const events = readFileSync(new URL('events.ndjson', dir), 'utf8').trim().split('\n');
  writeFileSync(new URL('archive.json.gz', dir), gzipSync(events.map(archiveRecord).join('\n') + '\n'));
  const records = events.map(apiRecord);
  writeFileSync(new URL('api.json', dir), `${apiPage(records.slice(0, 6), 'eyJhZnRlciI6IkFRQUFBWkJ4NSJ9')}\n${apiPage(records.slice(6), '')}\n`);
  writeFileSync(new URL('pretty.json', dir), events.slice(6, 9).map(pretty).join('\n') + '\n');
  writeFileSync(new URL('array.json', dir), `[\n${events.map((ev) => `  ${ev}`).join(',\n')}\n]\n`);
}
