/** Spawns a real executable from bin/ and collects stdout, stderr and the exit status. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The shared material beside the clone (`../shared`): corpus, policies, the agent's reference sources. */
export const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const EXAMPLES = `${ROOT}examples/events.ndjson`;
export const CORPUS = `${ROOT}test/fixtures/corpus/events.ndjson`;

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  out: string;
}

export interface RunOptions {
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  cwd?: string;
}

export function binPath(tool: string): string {
  return `${ROOT}bin/${tool}.js`;
}

export function run(tool: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined };
    for (const [k, v] of Object.entries(options.env ?? {})) env[k] = v;
    const child = spawn(process.execPath, [binPath(tool), ...args], {
      cwd: options.cwd ?? ROOT,
      env: env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out);
      resolve({ code, signal, stdout, out: stdout.toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => {});
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/** Non-empty lines of a text. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}
