/** Types of examples/generate-shapes.mjs (its builders, used by test/e2e/shapes.test.ts). */
export function pretty(text: string): string;
export function archiveRecord(event: string, i: number): string;
export function apiRecord(event: string, i: number): string;
export function apiPage(records: string[], next: string): string;
