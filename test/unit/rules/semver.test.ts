/**
 * agent_version constraints as Masterminds/semver v3 checks them (the agent's parser),
 * against versions without pre-release (the agent strips it), including every form the
 * default policy uses.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseAgentVersion, parseConstraint, satisfies, type Version } from '../../../src/rules/semver.js';

const v = (s: string): Version => parseAgentVersion(s)!;
const holds = (c: string, version: string): boolean => satisfies(v(version), parseConstraint(c)!);

describe('agent_version constraints', () => {
  it.each([
    // the default policy's forms
    ['>= 7.46', '7.46.0', true],
    ['>= 7.46', '7.45.9', false],
    ['>=7.58', '7.58.1', true],
    ['< 7.71', '7.70.99', true],
    ['< 7.71', '7.71.0', false],
    ['>=7.65 <7.70', '7.69.0', true],
    ['>=7.65 <7.70', '7.70.0', false],
    ['>= 7.70.1', '7.70.0', false],
    // separators and alternatives
    ['>=7.65, <7.70', '7.66.0', true],
    ['<7.50 || >=7.60', '7.55.0', false],
    ['<7.50 || >=7.60', '7.61.0', true],
    ['1.2 - 1.4.5', '1.4.5', true],
    ['1.2 - 1.4.5', '1.4.6', false],
    // "dirty" constraints (missing parts are wildcards)
    ['7.46', '7.46.9', true],
    ['7.46', '7.47.0', false],
    ['= 7.x', '7.99.0', true],
    ['> 7.46', '7.46.5', false],
    ['> 7.46', '7.47.0', true],
    ['> 7', '7.99.0', false],
    ['<= 7.46', '7.46.9', true],
    ['<= 7.46', '7.47.0', false],
    ['!= 7.46.1', '7.46.2', true],
    // tilde and caret
    ['~7.50', '7.50.9', true],
    ['~7.50', '7.51.0', false],
    ['~7', '7.60.0', true],
    ['^7.50', '7.99.0', true],
    ['^7.50', '8.0.0', false],
    ['^0.2.3', '0.2.9', true],
    ['^0.2.3', '0.3.0', false],
    // empty is *
    ['', '1.0.0', true],
    ['  ', '99.0.0', true],
  ])('%j on %s: %s', (c, version, expected) => {
    expect(holds(c, version)).toBe(expected);
  });

  it.each(['>= seven', '>=', '7.46.x.1', '>> 7', '7.46 -', 'abc'])('%j is not a constraint', (c) => {
    expect(parseConstraint(c)).toBeUndefined();
  });

  it('the agent version loses its pre-release and build metadata', () => {
    expect(parseAgentVersion('7.56.0-rc.1+git.5.abc')).toEqual({ major: 7, minor: 56, patch: 0 });
    expect(parseAgentVersion('not a version')).toBeUndefined();
  });

  const version = fc.record({ major: fc.nat(20), minor: fc.nat(20), patch: fc.nat(20) });
  const text = (x: Version): string => `${x.major}.${x.minor}.${x.patch}`;
  const cmp = (a: Version, b: Version): number => a.major - b.major || a.minor - b.minor || a.patch - b.patch;

  it('full versions: >=, <, =, != are the order of versions, and a constraint and its complement split every version', () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(holds(`>= ${text(b)}`, text(a))).toBe(cmp(a, b) >= 0);
        expect(holds(`< ${text(b)}`, text(a))).toBe(cmp(a, b) < 0);
        expect(holds(`=${text(b)}`, text(a))).toBe(cmp(a, b) === 0);
        expect(holds(`!= ${text(b)}`, text(a))).toBe(cmp(a, b) !== 0);
        expect(holds(`>=${text(b)} || <${text(b)}`, text(a))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
