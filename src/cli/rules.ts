/**
 * csm-rules: policy files (the agent's format) over recorded backend events.
 * `csm-rules check|match|diff [options] [args]`: args -> policy files and event files ->
 * loaded policies (every load error located, exit 2) -> the command.
 */
import { ExitCode, UsageError } from '../core/diagnostic.js';
import { readPolicyFiles } from '../io/policies.js';
import { alignColumns, tsv } from '../print/rules.js';
import { parseAgentVersion, reasonsByGroup, type AgentProfile } from '../rules/index.js';
import type { Command } from 'commander';
import { rulesCommand } from './commands.js';
import type { Io } from './io.js';
import { parseCommand } from './args.js';
import { runTool } from './run.js';
import { loadOrFail, splitArgs, TOOL, type RulesArgs } from './rules-load.js';
import { runDiff, runMatch } from './rules-run.js';

function checkProfile(opts: Record<string, unknown>): AgentProfile {
  const os = (opts.os as string | undefined) ?? 'linux';
  const text = opts.agentVersion as string | undefined;
  if (text === undefined) return { os, origin: 'ebpf' };
  const version = parseAgentVersion(text);
  if (version === undefined) throw new UsageError(`--agent-version ${JSON.stringify(text)}: not a version (7.56.0)`);
  return { os, origin: 'ebpf', version };
}

/** `csm-rules check`: every rule, whether it can be evaluated from the backend JSON. */
function check(args: RulesArgs, io: Io): ExitCode {
  if (args.events.length > 0) throw new UsageError(`check takes policy files only: ${args.events[0]} (policy files end in .policy, .yaml or .yml, or come with -p)`);
  if (args.policies.length === 0) throw new UsageError('check: no policy file (see --help)');
  const profile = checkProfile(args.opts);
  const loaded = loadOrFail(readPolicyFiles(args.policies), io, args.opts.color, profile);
  const rows = [
    ...loaded.ruleSet.rules.map((r) => ({ id: r.id, policy: r.merged.policy.name, kind: r.evaluability.kind as string, reasons: reasonsByGroup(r.evaluability.reasons) })),
    ...loaded.ruleSet.skipped.map((s) => ({ id: s.id, policy: s.policy.name, kind: 'not-loaded', reasons: [s.reason] })),
  ];
  const format = args.opts.format as string;
  const header = args.opts.header !== false;
  if (format === 'json') {
    io.stdout.write(rows.map((r) => `${JSON.stringify({ id: r.id, policy: r.policy, evaluation: r.kind, reasons: r.reasons })}\n`).join(''));
  } else if (format === 'tsv') {
    const lines = rows.map((r) => [r.id, r.policy, r.kind, r.reasons.join('; ')].map(tsv).join('\t') + '\n');
    io.stdout.write((header ? 'rule\tpolicy\tevaluation\treasons\n' : '') + lines.join(''));
  } else {
    const table = rows.map((r) => [r.id, r.policy, r.kind, r.reasons.join('; ')]);
    io.stdout.write(alignColumns(header ? [['RULE', 'POLICY', 'EVALUATION', 'WHY'], ...table] : table));
  }
  const count = (k: string): number => rows.filter((r) => r.kind === k).length;
  const macros = new Set(loaded.set.policies.flatMap((p) => p.def.macros.map((m) => m.id))).size;
  const defs = loaded.set.policies.reduce((n, p) => n + p.def.rules.length, 0);
  io.stderr.write(
    `${TOOL}: ${defs} rules and ${macros} macros loaded from ${args.policies.length} file${args.policies.length === 1 ? '' : 's'}; ` +
      `for a ${profile.os} agent${profile.version !== undefined ? ` ${String(args.opts.agentVersion)}` : ''}: ${count('exact')} exact, ${count('approximate')} approximate, ` +
      `${count('not-evaluable')} not evaluable from the backend JSON, ${count('not-loaded')} not loaded (filters, agent_version, disabled)\n`,
  );
  return ExitCode.ok;
}

const COMMANDS: Record<string, (args: RulesArgs, io: Io) => ExitCode | Promise<ExitCode>> = { check, match: runMatch, diff: runDiff };

function parseSub(root: Command, io: Io): RulesArgs | { exit: ExitCode } | { name: string; args: RulesArgs } {
  const [name, ...rest] = io.argv;
  const sub = root.commands.find((c) => c.name() === name && name !== 'completion');
  const names = root.commands.map((c) => c.name()).filter((n) => n !== 'completion').join(', ');
  if (sub === undefined) {
    if (name === undefined) throw new UsageError(`expected a command: ${names} (see --help)`);
    if (!name.startsWith('-')) throw new UsageError(`unknown command '${name}': expected ${names} (see --help)`);
    // --help, --version, or an unknown option
    const parsed = parseCommand(root, { ...io, argv: io.argv.slice(0, 1) });
    if (parsed.kind === 'exit') return { exit: parsed.code };
    throw new UsageError(`expected a command: ${names} (see --help)`);
  }
  const parsed = parseCommand(sub, { ...io, argv: rest });
  if (parsed.kind === 'exit') return { exit: parsed.code };
  const { policies, events } = splitArgs(rest, parsed.args, (parsed.opts.policy as string[] | undefined) ?? []);
  return { name: sub.name(), args: { opts: parsed.opts, policies, events } };
}

export async function main(io: Io): Promise<ExitCode> {
  return runTool(TOOL, io, async () => {
    const parsed = parseSub(rulesCommand(), io);
    if ('exit' in parsed) return parsed.exit;
    if (!('name' in parsed)) throw new UsageError('expected a command (see --help)');
    return COMMANDS[parsed.name]!(parsed.args, io);
  });
}
