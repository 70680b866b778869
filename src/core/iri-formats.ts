/**
 * The formats ajv-formats lacks: `iri`, `iri-reference` (RFC 3987),
 * `idn-hostname` and `idn-email` (RFC 5890 / RFC 6531). Without them a schema
 * naming one would be refused at start-up as an unknown format.
 *
 * - `iri`/`iri-reference`: RFC 3987 section 3.1 maps an IRI to a URI by
 *   percent-encoding its `ucschar` (and, in the query, `iprivate`) characters; the
 *   text is an IRI when that mapping is a URI (reference) by ajv-formats' RFC 3986
 *   check, and every non-ASCII character is one the grammar allows where it is.
 * - `idn-hostname`: node's `url.domainToASCII` (UTS 46 processing, IDNA 2008
 *   based) must accept every label, and the A-label form must be an RFC 1123
 *   host name of at most 253 characters, labels of at most 63.
 * - `idn-email`: a local part of RFC 5321 atoms (with UTF-8 allowed, RFC 6531)
 *   or a quoted string, `@`, and an idn-hostname.
 */
import { createRequire } from 'node:module';
import { domainToASCII } from 'node:url';

const require = createRequire(import.meta.url);

type FormatCheck = (text: string) => boolean;

function ajvFormat(name: 'uri' | 'uri-reference'): FormatCheck {
  const formats = (require('ajv-formats/dist/formats') as { fullFormats: Record<string, FormatCheck | RegExp> }).fullFormats;
  const f = formats[name]!;
  return typeof f === 'function' ? f : (s) => f.test(s);
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

let uri: FormatCheck | undefined;
let uriReference: FormatCheck | undefined;

export function isIri(text: string): boolean {
  const mapped = iriToUri(text);
  uri ??= ajvFormat('uri');
  return mapped !== undefined && uri(mapped);
}

export function isIriReference(text: string): boolean {
  const mapped = iriToUri(text);
  uriReference ??= ajvFormat('uri-reference');
  return mapped !== undefined && uriReference(mapped);
}

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
/** Label separators IDNA accepts besides the full stop (RFC 3490 3.1). */
const DOTS = /[.\u3002\uff0e\uff61]/;

export function isIdnHostname(text: string): boolean {
  if (text === '' || text.length > 253 * 4) return false;
  const labels = text.split(DOTS);
  const ascii: string[] = [];
  for (const label of labels) {
    if (label === '') return false;
    // A-labels and plain ASCII labels are host name labels (hyphens in positions 3-4 only as "xn--").
    const a = domainToASCII(label);
    if (a === '' || a.includes('.') || !LDH_LABEL.test(a)) return false;
    if (a.slice(2, 4) === '--' && !/^xn--/i.test(a)) return false;
    ascii.push(a);
  }
  return ascii.join('.').length <= 253;
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
export const IRI_FORMATS = {
  iri: { type: 'string', validate: isIri },
  'iri-reference': { type: 'string', validate: isIriReference },
  'idn-hostname': { type: 'string', validate: isIdnHostname },
  'idn-email': { type: 'string', validate: isIdnEmail },
} as const;
