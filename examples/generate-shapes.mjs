// The example events (events.ndjson) in the other input shapes csm-validate and csm-filter read,
// built as Datadog writes them, every event's text kept byte for byte (its uint64 inode too):
//   archive.json.gz  a Datadog log archive: one record a line, the event under "attributes"
//   api.json         a Logs API response in two pages (concatenated), events under data[].attributes.attributes
//   pretty.json      three events pretty-printed (as `jq .` writes them)
//   array.json       the ten events as one JSON array
// Run from the repository root: node examples/generate-shapes.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dir = new URL('.', import.meta.url);
const events = readFileSync(new URL('events.ndjson', dir), 'utf8').trim().split('\n');
const time = (i) => `2024-08-01T06:${String(i).padStart(2, '0')}:00.000Z`;

/** `jq .`-like indentation of a JSON text, every string and number kept as written. */
function pretty(text) {
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

const archive = events.map(
  (ev, i) =>
    `{"_id":"AgAAAZBx${i}","date":"${time(i)}","host":"web-${(i % 2) + 1}","source":"runtime-security-agent","service":"runtime-security-agent","status":"${i === 3 ? 'warn' : 'info'}","message":"CSM event","attributes":${ev},"tags":["env:prod","host:web-${(i % 2) + 1}"]}`,
);
writeFileSync(new URL('archive.json.gz', dir), gzipSync(archive.join('\n') + '\n'));

const record = (ev, i) =>
  `{"id":"AQAAAZBx${i}","type":"log","attributes":{"attributes":${ev},"tags":["env:prod"],"timestamp":"${time(i)}","host":"web-${(i % 2) + 1}","service":"runtime-security-agent","status":"info","message":"CSM event"}}`;
const page = (from, to, next) =>
  `{"data":[${events.slice(from, to).map((ev, k) => record(ev, from + k)).join(',')}],"links":{${next ? `"next":"https://api.datadoghq.com/api/v2/logs/events?page[cursor]=${next}"` : ''}},"meta":{"page":{${next ? `"after":"${next}"` : ''}}}}`;
writeFileSync(new URL('api.json', dir), `${page(0, 6, 'eyJhZnRlciI6IkFRQUFBWkJ4NSJ9')}\n${page(6, 10, '')}\n`);

writeFileSync(new URL('pretty.json', dir), events.slice(6, 9).map(pretty).join('\n') + '\n');
writeFileSync(new URL('array.json', dir), `[\n${events.map((ev) => `  ${ev}`).join(',\n')}\n]\n`);
