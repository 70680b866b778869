import { describe, expect, it } from 'vitest';
import { describeProperty, diffSchemas, isEmptyDiff } from '../../src/core/schema-diff.js';
import { bundledSchemaNamed } from '../../src/io/catalog.js';

describe('diffSchemas', () => {
  it('finds what ../shared/schemas/README.md says changed from 2024-08 to 2025-09', () => {
    const d = diffSchemas(bundledSchemaNamed('linux-2024-08'), bundledSchemaNamed('linux-2025-09'));
    expect(d.sections.added).toEqual(['accept', 'connect', 'packet', 'network_flow_monitor', 'sysctl', 'setsockopt', 'cgroup_write', 'capabilities', 'prctl']);
    expect(d.sections.removed).toEqual([]);
    expect([...d.defs.added].sort()).toEqual([
      'AcceptEvent', 'CGroupWriteEvent', 'CapabilitiesEvent', 'ConnectEvent', 'DNSResponseEvent', 'FileMetadata', 'Flow',
      'MatchingSubExpr', 'NetworkFlowMonitor', 'NetworkStats', 'PrCtlEvent', 'RawPacket', 'RuleContext', 'SetSockOptEvent',
      'SysCtlEvent', 'TLSContext',
    ]);
    expect(d.defs.removed).toEqual([]);
    const byName = new Map(d.defs.changed.map((c) => [c.name, c]));
    expect(byName.get('BindEvent')?.requiredAdded).toEqual(['protocol']);
    expect(byName.get('DNSEvent')?.requiredAdded).toEqual(['is_query', 'response']);
    expect(d.topLevel?.requiredAdded ?? []).toEqual([]);
    expect(d.paths.added).toContain('dns.response.code');
    expect(d.paths.added).toContain('connect.addr.ip');
    expect(d.paths.removed).toEqual([]);
    expect(d.paths.changed).toContainEqual({ path: 'dns', requiredAdded: ['is_query', 'response'] });
  });

  it('sees removals and type changes, per $defs entry and per path', () => {
    const a = { properties: { x: { $ref: '#/$defs/X' }, gone: { type: 'string' } }, $defs: { X: { type: 'object', properties: { n: { type: 'integer' }, t: { type: 'string' } }, required: ['n'] } } };
    const b = { properties: { x: { $ref: '#/$defs/X' } }, $defs: { X: { type: 'object', properties: { n: { type: 'string', format: 'date-time' } } } } };
    const d = diffSchemas(a, b);
    expect(d.sections).toEqual({ added: [], removed: ['gone'] });
    expect(d.defs.changed).toEqual([
      { name: 'X', propertiesAdded: [], propertiesRemoved: ['t'], requiredAdded: [], requiredRemoved: ['n'], typeChanges: [{ name: 'n', from: 'integer', to: 'string (date-time)' }] },
    ]);
    expect(d.paths.removed).toEqual(['x.t', 'gone']); // schema order, depth first
    expect(d.paths.changed).toEqual([
      { path: 'x', requiredRemoved: ['n'] },
      { path: 'x.n', type: { from: 'integer', to: 'string (date-time)' } },
    ]);
  });

  it('finds nothing between a schema and itself', () => {
    const s = bundledSchemaNamed('windows-2024-06');
    expect(isEmptyDiff(diffSchemas(s, s))).toBe(true);
  });

  it('words property types as the schema writes them', () => {
    expect(describeProperty({ type: 'array', items: { type: 'string' } })).toBe('string[]');
    expect(describeProperty({ $ref: '#/$defs/File' })).toBe('$defs/File');
    expect(describeProperty(true)).toBe('any');
    expect(describeProperty({ type: ['string', 'null'] })).toBe('string|null');
  });
});
