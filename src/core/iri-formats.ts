/**
 * The formats ajv-formats lacks: `iri`, `iri-reference` (RFC 3987),
 * `idn-hostname` and `idn-email` (RFC 5890 / RFC 6531), and a `hostname` that
 * checks A-labels. Without them a schema naming one would be refused at start-up
 * as an unknown format.
 *
 * - `iri`/`iri-reference`: RFC 3987 section 3.1 maps an IRI to a URI by
 *   percent-encoding its `ucschar` (and, in the query, `iprivate`) characters; the
 *   text is an IRI when that mapping is a URI (reference) by ajv-formats' RFC 3986
 *   check, and every non-ASCII character is one the grammar allows where it is.
 * - `idn-hostname`: node's `url.domainToASCII` (UTS 46 processing, IDNA 2008
 *   based) must accept every label, and the A-label form must be an RFC 1123
 *   host name of at most 253 characters, labels of at most 63; each U-label must
 *   also keep RFC 5892's exceptions and contextual rules and RFC 5893's Bidi rule
 *   (as far as JavaScript's Unicode properties tell: Bidi classes and joining
 *   types are approximated by scripts).
 * - `hostname`: ajv-formats' RFC 1123 check without a final root dot, and an
 *   A-label (`xn--`) must decode to a U-label that re-encodes to itself and keeps
 *   the rules above.
 * - `idn-email`: a local part of RFC 5321 atoms (with UTF-8 allowed, RFC 6531)
 *   or a quoted string, `@`, and an idn-hostname.
 */
import { domainToASCII, domainToUnicode } from 'node:url';

type FormatCheck = (text: string) => boolean;

/** ajv-formats' RFC 3986 / RFC 1123 checks, which these build on (given by core/validate.ts). */
export interface Rfc3986Checks {
  uri: FormatCheck;
  uriReference: FormatCheck;
  hostname: FormatCheck;
}

/** RFC 3987 ucschar. */
function isUcschar(cp: number): boolean {
  return (
    (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xf900 && cp <= 0xfdcf) || (cp >= 0xfdf0 && cp <= 0xffef) ||
    (cp >= 0x10000 && cp <= 0xefffd && (cp & 0xfffe) !== 0xfffe)
  );
}

/** RFC 3987 iprivate (allowed in the query only). */
function isIprivate(cp: number): boolean {
  return (cp >= 0xe000 && cp <= 0xf8ff) || (cp >= 0xf0000 && cp <= 0xffffd) || (cp >= 0x100000 && cp <= 0x10fffd);
}

/** The URI an IRI maps to (RFC 3987 3.1), or undefined if a character is not allowed where it is. */
function iriToUri(text: string): string | undefined {
  let out = '';
  let part: 'before-query' | 'query' | 'fragment' = 'before-query';
  for (const ch of text) {
    if (ch === '?' && part === 'before-query') part = 'query';
    else if (ch === '#' && part !== 'fragment') part = 'fragment';
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      out += ch;
      continue;
    }
    if (!isUcschar(cp) && !(part === 'query' && isIprivate(cp))) return undefined;
    out += encodeURIComponent(ch);
  }
  return out;
}

export function isIri(text: string, checks: Rfc3986Checks): boolean {
  const mapped = iriToUri(text);
  return mapped !== undefined && checks.uri(mapped);
}

export function isIriReference(text: string, checks: Rfc3986Checks): boolean {
  const mapped = iriToUri(text);
  return mapped !== undefined && checks.uriReference(mapped);
}

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
/** Label separators IDNA accepts besides the full stop (RFC 3490 3.1). */
const DOTS = /[.\u3002\uff0e\uff61]/;

/** RFC 5892 Appendix B exceptions that are DISALLOWED. */
const DISALLOWED = /[\u0640\u07fa\u302e\u302f\u3031-\u3035\u303b]/u;
/** Characters with Canonical_Combining_Class Virama (JavaScript has no property for it). */
const VIRAMA = /[\u094d\u09cd\u0a4d\u0acd\u0b4d\u0bcd\u0c4d\u0ccd\u0d3b\u0d3c\u0d4d\u0dca\u0e3a\u0eba\u0f84\u1039\u103a\u1714\u1734\u17d2\u1a60\u1b44\u1baa\u1bab\u1bf2\u1bf3\u2d7f\ua806\ua8c4\ua953\ua9c0\uaaf6\uabed]/u;
/** Right-to-left letters (Bidi R and AL), by script. */
const RTL = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u;
const ARABIC_INDIC = /[\u0660-\u0669]/u;
const EXTENDED_ARABIC_INDIC = /[\u06f0-\u06f9]/u;

/** RFC 5892's contextual rules (Appendix A) and exceptions on one U-label. */
function keepsContextRules(label: string): boolean {
  const cps = [...label];
  if (DISALLOWED.test(label) || /^\p{M}/u.test(label)) return false;
  if (label.slice(2, 4) === '--') return false;
  if (ARABIC_INDIC.test(label) && EXTENDED_ARABIC_INDIC.test(label)) return false;
  for (let i = 0; i < cps.length; i++) {
    const before = cps[i - 1] ?? '';
    const after = cps[i + 1] ?? '';
    switch (cps[i]) {
      case '\u00b7':
        if (before !== 'l' || after !== 'l') return false;
        break;
      case '\u0375':
        if (!/\p{Script=Greek}/u.test(after)) return false;
        break;
      case '\u05f3':
      case '\u05f4':
        if (!/\p{Script=Hebrew}/u.test(before)) return false;
        break;
      case '\u30fb':
        if (!/[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(label.replace(/\u30fb/g, ''))) return false;
        break;
      case '\u200d':
        if (!VIRAMA.test(before)) return false;
        break;
      case '\u200c': {
        // After a virama, or between joining letters (approximated: Arabic-script letters, marks skipped).
        const left = cps.slice(0, i).join('').replace(/\p{Mn}+$/u, '');
        const right = cps.slice(i + 1).join('').replace(/^\p{Mn}+/u, '');
        if (!VIRAMA.test(before) && !(/\p{Script=Arabic}$/u.test(left) && /^\p{Script=Arabic}/u.test(right))) return false;
        break;
      }
      default:
        break;
    }
  }
  return true;
}

/** RFC 5893's Bidi rule on the labels of a domain that has a right-to-left label. */
function keepsBidiRule(labels: readonly string[]): boolean {
  if (!labels.some((l) => RTL.test(l) || ARABIC_INDIC.test(l))) return true;
  for (const label of labels) {
    const first = [...label][0] ?? '';
    const body = label.replace(/\p{M}+$/u, '');
    if (RTL.test(first)) {
      if (/\p{L}/u.test(label.replace(new RegExp(RTL.source, 'gu'), ''))) return false;
      if (!/(?:[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]|\p{Nd})$/u.test(body)) return false;
      if (ARABIC_INDIC.test(label) && /[0-9\u06f0-\u06f9]/u.test(label)) return false;
    } else {
      if (!/^\p{L}/u.test(first)) return false;
      if (RTL.test(label) || ARABIC_INDIC.test(label)) return false;
      if (!/[\p{L}\p{Nd}]$/u.test(body)) return false;
    }
  }
  return true;
}

export function isIdnHostname(text: string): boolean {
  if (text === '' || text.length > 253 * 4) return false;
  const labels = text.split(DOTS);
  const ascii: string[] = [];
  const unicode: string[] = [];
  for (const label of labels) {
    if (label === '') return false;
    // A-labels and plain ASCII labels are host name labels (hyphens in positions 3-4 only as "xn--").
    const a = domainToASCII(label);
    if (a === '' || a.includes('.') || !LDH_LABEL.test(a)) return false;
    if (a.slice(2, 4) === '--' && !/^xn--/i.test(a)) return false;
    const u = /^xn--/i.test(a) ? domainToUnicode(a) : a;
    // An A-label must be the canonical encoding of a U-label that keeps the rules.
    if (u === '' || (/^xn--/i.test(label) && domainToASCII(u) !== label.toLowerCase())) return false;
    if (/^xn--/i.test(a) && !keepsContextRules(u)) return false;
    ascii.push(a);
    unicode.push(u);
  }
  return ascii.join('.').length <= 253 && keepsBidiRule(unicode);
}

/** RFC 1123 host names, whose A-labels decode to valid U-labels. */
export function isHostname(text: string, checks: Rfc3986Checks): boolean {
  // RFC 1123 names have no root dot (ajv-formats accepts `example.com.`).
  if (!checks.hostname(text) || text.endsWith('.')) return false;
  return !/(?:^|\.)xn--/i.test(text) || isIdnHostname(text);
}

/** RFC 5321 Dot-string atoms, with any non-ASCII character (RFC 6531 UTF8-non-ascii). */
const LOCAL_DOT_STRING = /^[a-z0-9!#$%&'*+/=?^_`{|}~\u0080-\u{10ffff}-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~\u0080-\u{10ffff}-]+)*$/iu;
const LOCAL_QUOTED = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e\u0080-\u{10ffff}]|\\[\x20-\x7e])*"$/u;

export function isIdnEmail(text: string): boolean {
  const at = text.lastIndexOf('@');
  if (at <= 0) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (!LOCAL_DOT_STRING.test(local) && !LOCAL_QUOTED.test(local)) return false;
  if (domain.startsWith('[') && domain.endsWith(']')) return false;
  return isIdnHostname(domain);
}

/** The checkers, by format name, as ajv takes them. */
export function iriFormats(checks: Rfc3986Checks) {
  return {
    iri: { type: 'string', validate: (s: string) => isIri(s, checks) },
    'iri-reference': { type: 'string', validate: (s: string) => isIriReference(s, checks) },
    'idn-hostname': { type: 'string', validate: isIdnHostname },
    'idn-email': { type: 'string', validate: isIdnEmail },
    hostname: { type: 'string', validate: (s: string) => isHostname(s, checks) },
  } as const;
}
