// placeholder, replaced by scripts/gen-secl-constants.mjs
export const LINUX_INT_CONSTANTS: Readonly<Record<string, string>> = {};
export const LINUX_STRING_ARRAY_CONSTANTS: Readonly<Record<string, readonly string[]>> = {};
