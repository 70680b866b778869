/** -k takes the kinds the agent writes; a typo, a case difference or an empty name is a usage error, not a silent empty answer. */
import { describe, expect, it } from 'vitest';
import { AGENT_EVENT_TYPES, KIND_NAMES, isKnownKind } from '../../src/core/kinds.js';
import { SECL_FIELDS_LINUX } from '../../src/secl/fields.js';
import { runMain } from '../helpers/inprocess.js';
import { EXAMPLES } from '../helpers/run.js';

describe('csm-filter -k', () => {
  it.each([
    ['exce', "csm-filter: --kind: unknown kind 'exce' — did you mean 'exec'? (see csm-schema kinds)\n"],
    ['EXEC', "csm-filter: --kind: unknown kind 'EXEC' — kinds are lower case: 'exec' (see csm-schema kinds)\n"],
    ['zzz', "csm-filter: --kind: unknown kind 'zzz' (see csm-schema kinds)\n"],
    ['', 'csm-filter: --kind: an empty kind name (csm-schema kinds lists them)\n'],
    ['exec,', 'csm-filter: --kind: an empty kind name (csm-schema kinds lists them)\n'],
  ])('-k %j: exit 2, %s', async (kind, message) => {
    const r = await runMain('csm-filter', ['-c', '-k', kind, EXAMPLES]);
    expect([r.code, r.out, r.stderr]).toEqual([2, '', message]);
  });

  it('takes the agent event types that have no sample (connect, setrlimit) and its custom events', async () => {
    for (const kind of ['connect', 'setrlimit', 'heartbeat', 'ruleset_loaded', 'exec']) {
      const r = await runMain('csm-filter', ['-c', '-k', kind, EXAMPLES]);
      expect([r.code, r.stderr]).toEqual([0, '']);
    }
  });
});

describe('the known kinds', () => {
  it("AGENT_EVENT_TYPES is every event type of the agent's SECL field table", () => {
    const fromTable = new Set(Object.values(SECL_FIELDS_LINUX).flatMap((f) => (f.event === undefined ? [] : [f.event].flat())));
    expect([...AGENT_EVENT_TYPES].sort()).toEqual([...fromTable].sort());
  });

  it('include every kind with a sample', () => {
    expect(KIND_NAMES.filter((k) => !isKnownKind(k))).toEqual([]);
  });
});
