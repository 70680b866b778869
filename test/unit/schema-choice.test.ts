import { describe, expect, it } from 'vitest';
import { type Catalog, chooseSchema, parseAgentVersion, releaseRange, schemaNames } from '../../src/core/schema-choice.js';
import { readCatalog } from '../../src/io/catalog.js';

const catalog: Catalog = readCatalog();
const boundary = catalog.linux[1]!.from!; // the first release that writes the 2025-09-04 schema
const event = (agent: Record<string, unknown> | undefined): unknown => (agent === undefined ? { evt: { name: 'exec' } } : { agent });

describe('parseAgentVersion', () => {
  it.each([
    ['7.71.0', [7, 71, 0]],
    ['7.71.0-rc.1', [7, 71, 0]],
    ['7.71.0-devel+git.38.1a2b3c4', [7, 71, 0]],
    ['v7.55.3', [7, 55, 3]],
    [' 7.55.3 ', [7, 55, 3]],
  ])('reads %j as its release', (text, version) => {
    expect(parseAgentVersion(text)).toEqual(version);
  });

  it.each([['7.71'], ['seven'], [''], ['07.1.0'], ['7.71.0junk'], [7.71], [null], [undefined], [['7.71.0']]])('has no version in %j', (text) => {
    expect(parseAgentVersion(text)).toBeUndefined();
  });
});

describe('chooseSchema (--schema auto), per event', () => {
  it('takes the Windows schema for a Windows agent, whatever its version or case', () => {
    expect(chooseSchema(event({ os: 'windows', version: '7.40.0' }), catalog)).toEqual({ name: 'windows-2024-06', reason: 'windows' });
    expect(chooseSchema(event({ os: 'Windows' }), catalog).name).toBe('windows-2024-06');
  });

  it('takes linux-2024-08 for a Linux agent older than the first release of the 2025-09-04 schema', () => {
    expect(boundary).toBe('7.71.0');
    expect(chooseSchema(event({ os: 'linux', version: '7.70.2' }), catalog)).toEqual({ name: 'linux-2024-08', reason: 'version' });
    expect(chooseSchema(event({ os: 'linux', version: '6.99.99' }), catalog).name).toBe('linux-2024-08');
  });

  it('takes linux-2025-09 from that release on, its release candidates included', () => {
    for (const version of ['7.71.0', '7.71.0-rc.1', '7.71.3', '7.84.0', '8.0.0']) {
      expect(chooseSchema(event({ os: 'linux', version }), catalog).name).toBe('linux-2025-09');
    }
  });

  it('reads a version without an os as a Linux agent', () => {
    expect(chooseSchema(event({ version: '7.55.0' }), catalog).name).toBe('linux-2024-08');
  });

  it('takes the newest Linux schema when there is no usable version', () => {
    for (const e of [event(undefined), event({}), event({ version: 'main' }), event({ version: 771 }), 'not an object', { agent: [1] }]) {
      expect(chooseSchema(e, catalog)).toEqual({ name: 'linux-2025-09', reason: 'no-version' });
    }
  });

  it('does not read inherited keys (an event is data, not an object with a prototype)', () => {
    expect(chooseSchema(JSON.parse('{"agent":{"__proto__":{"os":"windows"}}}'), catalog).name).toBe('linux-2025-09');
  });
});

describe('the catalog', () => {
  it('names auto and the three bundled schemas, and says which agents each judges', () => {
    expect(schemaNames(catalog)).toEqual(['auto', 'linux-2024-08', 'linux-2025-09', 'windows-2024-06']);
    expect(releaseRange('linux-2024-08', catalog)).toBe('Linux agents < 7.71.0');
    expect(releaseRange('linux-2025-09', catalog)).toBe('Linux agents >= 7.71.0, and events without a usable agent.version');
    expect(releaseRange('windows-2024-06', catalog)).toBe('every Windows agent');
  });
});
