/**
 * JSON values as this project sees them (RFC 8259): the value types
 * (json/value.ts), reading (json/parse.ts), writing (json/stringify.ts) and
 * exact numeric comparison (json/decimal.ts), in one import.
 */
export { JsonNumber, type JsonValue } from './json/value.js';
export { type JsonSyntaxError, locateJsonError, needsLossless, parseLossless } from './json/parse.js';
export { stringifyJson } from './json/stringify.js';
export { compareJsonNumbers, isJsonInteger } from './json/decimal.js';
