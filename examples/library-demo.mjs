// examples/library-demo.mjs: from the repository root, node examples/library-demo.mjs [FILE]
import { validateStream, filterStream, compileQuery, project, stringifyJson } from 'csm-ndjson';

const file = process.argv[2] ?? 'examples/events.ndjson';
const counts = { valid: 0, invalid: 0, blank: 0 };
for await (const r of validateStream(file)) counts[r.status]++; // r.event is a typed CsmEvent
console.log(counts);

const rootWrites = { kinds: ['chmod', 'unlink'], where: 'process.credentials.uid == 0', fields: ['file.path', 'file.inode'] };
for await (const e of filterStream(file, rootWrites)) console.log(`line ${e.line}:`, stringifyJson(e.projected)); // exact uint64

const refused = compileQuery('evt.outcome == "Refused"');
for await (const { event } of filterStream(file, { kinds: 'open' }))
  if (refused.ok && refused.match(event)) console.log(JSON.stringify(project(event, ['process.executable.path', 'file.path'])));
