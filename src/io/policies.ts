/**
 * Reading policy files for csm-rules: the text of each (UTF-8, a leading BOM dropped);
 * an unreadable file is a usage error naming it. Telling policy files from event files
 * by their name.
 */
import { readFileSync } from 'node:fs';
import { UsageError, describeSystemError } from '../core/diagnostic.js';
import type { SourceFile } from '../rules/index.js';

/** A policy file by its name: `.policy`, `.yaml`, `.yml` (any case). */
export function isPolicyName(path: string): boolean {
  return /\.(policy|ya?ml)$/i.test(path);
}

export function readPolicyFiles(paths: readonly string[]): SourceFile[] {
  return paths.map((path) => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read policy ${path}: ${describeSystemError(err)}`);
    }
    return { name: path, text: text.startsWith('\uFEFF') ? text.slice(1) : text };
  });
}
