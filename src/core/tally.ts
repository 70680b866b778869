/**
 * Bounded counting by name, for the summary's maps (event kinds, error paths):
 * whatever the input, a map holds at most MAX_DISTINCT entries and no key
 * longer than MAX_KEY_CHARS, so 2 million distinct `evt.name`s (or unknown
 * keys) cost a few hundred KB, not gigabytes. The first MAX_DISTINCT - 1
 * distinct names are counted exactly; every later new name is counted under
 * OTHER. A name longer than MAX_KEY_CHARS is counted under its first
 * MAX_KEY_CHARS characters followed by `…`.
 */

/** Distinct entries a summary map may hold, OTHER included. */
export const MAX_DISTINCT = 1000;
/** Characters of a name kept as a key (longer ones are cut, with `…`). */
export const MAX_KEY_CHARS = 256;
/** The entry counting the names that came once the map was full. */
export const OTHER = '(other)';

/**
 * The key a name is counted under: cut to MAX_KEY_CHARS (never inside a
 * surrogate pair). The cut is a copy: a `slice` would be a view that keeps the
 * whole (maybe megabytes long) name alive as long as the map.
 */
export function tallyKey(name: string): string {
  if (name.length <= MAX_KEY_CHARS) return name;
  let end = MAX_KEY_CHARS;
  const c = name.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  const chars: string[] = [];
  for (let i = 0; i < end; i++) chars.push(name[i]!);
  chars.push('…');
  return chars.join('');
}

/** Adds `n` to the count of `key` (a name already cut by tallyKey); a new key once the map is full goes to OTHER. */
export function tally(map: Map<string, number>, key: string, n = 1): void {
  let count = map.get(key);
  if (count === undefined && map.size >= MAX_DISTINCT - 1 && key !== OTHER) {
    key = OTHER;
    count = map.get(OTHER);
  }
  map.set(key, (count ?? 0) + n);
}
