/**
 * csm-filter's `--count-by`, `--top`, `--rare`, `--max-groups`: the flag
 * combinations they take, and how the groups are printed.
 */
import { DEFAULT_MAX_GROUPS } from '../core/count-by.js';
import { UsageError } from '../core/diagnostic.js';
import { COUNT_FORMATS, type CountByPrint, type CountFormat } from '../print/count-by.js';
import type { FilterOptions } from './filter.js';

/**
 * The usage errors of `--count-by` and its companions; true when counting by
 * values (the checks of `--field` output then do not apply).
 */
export function checkCountBy(options: FilterOptions): boolean {
  if (options.countBy.length === 0) {
    for (const [flag, given] of [
      ['--top', options.top !== undefined],
      ['--rare', options.rare],
      ['--max-groups', options.maxGroups !== undefined],
    ] as const) {
      if (given) throw new UsageError(`${flag} goes with --count-by`);
    }
    if (options.format === 'text') throw new UsageError('--format text goes with --count-by (--field takes ndjson, tsv, csv or raw)');
    return false;
  }
  if (options.count) throw new UsageError('--count and --count-by cannot be used together (--count-by counts the events of each group)');
  if (options.fields.length > 0) throw new UsageError('--field and --count-by cannot be used together (--count-by prints the groups)');
  if (options.flat) throw new UsageError('--flat goes with --field');
  if (!(COUNT_FORMATS as readonly string[]).includes(options.format)) {
    throw new UsageError(`--format ${options.format} goes with --field; --count-by prints text, tsv, csv or ndjson`);
  }
  return true;
}

export function countByPrint(options: FilterOptions, names: readonly string[], tty: boolean): CountByPrint {
  return {
    format: options.format as CountFormat,
    names,
    header: options.header,
    rare: options.rare,
    ...(options.top !== undefined ? { top: options.top } : {}),
    maxGroups: options.maxGroups ?? DEFAULT_MAX_GROUPS,
    tty,
  };
}
