/**
 * Man pages (roff, `man 7 man` macros) from the tools' commander definitions:
 * name and description, synopsis, every option with its choices and default
 * (as `--help` words them), csm-schema's commands, and the `--help` epilogue
 * (`Exit status:`, `Examples:`... paragraphs become sections).
 * `scripts/gen-man.mjs` writes them to man/; a test keeps man/ in step.
 */
import type { Command, Help } from 'commander';
import { completionCommand, filterCommand, rulesCommand, schemaCommand, validateCommand } from './commands.js';
import { VERSION } from './version.js';

const TOOLS = ['csm-validate', 'csm-filter', 'csm-schema', 'csm-rules'] as const;

/** Text for roff: backslashes and hyphen-minus escaped, no line starting with a control character. */
export function roffText(text: string): string {
  return text
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((l) => (/^[.']/.test(l) ? `\\&${l}` : l))
    .join('\n');
}

const bold = (s: string): string => `\\fB${roffText(s)}\\fR`;

/** `-k, --kind <NAME[,NAME...]>` with the flags bold and the value italic. */
function optionTerm(term: string): string {
  return term
    .split(/(<[^>]+>|\[[^\]]+\])/)
    .filter((part) => part !== '')
    .map((part) => (/^[<[]/.test(part) ? `\\fI${roffText(part)}\\fR` : bold(part)))
    .join('');
}

/** The `--help` epilogue (`addHelpText('after')`), captured by printing the help. */
function helpEpilogue(cmd: Command): string {
  let text = '';
  cmd.configureOutput({ writeOut: (s) => (text += s), getOutHelpWidth: () => 80 });
  const body = cmd.helpInformation();
  cmd.outputHelp();
  return text.slice(text.indexOf(body) + body.length).trim();
}

function optionsList(help: Help, cmd: Command): string {
  let out = '';
  for (const arg of help.visibleArguments(cmd)) {
    out += `.TP\n\\fI${roffText(help.argumentTerm(arg))}\\fR\n${roffText(help.argumentDescription(arg))}\n`;
  }
  for (const o of help.visibleOptions(cmd)) {
    out += `.TP\n${optionTerm(help.optionTerm(o))}\n${roffText(help.optionDescription(o))}\n`;
  }
  return out;
}

/** `Heading: text` paragraphs of the epilogue as sections; `Examples:` lines kept as typed. */
function epilogueSections(epilogue: string): string {
  let out = '';
  for (const para of epilogue.split(/\n\s*\n/)) {
    // `Exit status:`, `Query language (--where):`: a heading of at most three words
    const m = /^([A-Z][a-z]*(?: [a-z]+){0,2}(?: \([^)]*\))?):[ \n]?([\s\S]*)$/.exec(para.trim());
    if (m === null) {
      out += `.PP\n${roffText(para.trim())}\n`;
      continue;
    }
    const heading = roffText(m[1]!.replace(/^[^(]*/, (s) => s.toUpperCase()));
    // The page has its own SHELL COMPLETION and QUERY LANGUAGE sections, and is itself the manual.
    if (heading === 'SHELL COMPLETION' || heading.startsWith('QUERY LANGUAGE')) continue;
    const body = m[2]!;
    if (heading === 'EXAMPLES') {
      out += `.SH EXAMPLES\n.nf\n.RS 4\n${roffText(body.replace(/^ {2}/gm, ''))}\n.RE\n.fi\n`;
    } else {
      const text = body.replace(/\s*\n\s*/g, ' ');
      out += `.SH ${heading}\n${roffText(text.charAt(0).toUpperCase() + text.slice(1))}\n`;
    }
  }
  return out;
}

/** csm-filter's query language, in full (the README's "The query language"). */
const QUERY_LANGUAGE = `.SH QUERY LANGUAGE
A query (\\fB\\-\\-where\\fR) is a condition on one event.
.TP
\\fIpath\\fR
Keys joined by dots (\\fBprocess.credentials.uid\\fR); \\fB[N]\\fR an array element (\\fB[\\-1]\\fR the last);
\\fB[*]\\fR every element; \\fB["key.with.dots"]\\fR a key that is not an identifier (with the schema,
\\fBmount.mountpoint.path\\fR is read as key \\fBmountpoint.path\\fR). A path with \\fB[*]\\fR, or that reaches an
array, matches when any value it reaches matches.
.TP
\\fB== != < <= > >=\\fR
Compare with a string (by code point), a number (exactly, by value, also beyond 2^53: \\fB1 == 1.0\\fR),
\\fBtrue\\fR, \\fBfalse\\fR or \\fBnull\\fR. A missing field or another type makes a comparison false, and
\\fB!=\\fR, \\fB!~\\fR and \\fBnot in\\fR true; no coercion (\\fB"1"\\fR is not \\fB1\\fR).
.TP
\\fB=~ !~\\fR
Match a glob (\\fB"/etc/**"\\fR: \\fB*\\fR any run within one path segment, \\fB**\\fR across segments, \\fB?\\fR one
character but \\fB/\\fR, \\fB[abc]\\fR a class; the whole string must match) or an RE2 regular expression \\fBr"..."\\fR (searching: anchor it with \\fB^\\fR and \\fB$\\fR).
.TP
\\fBin [...], not in [...]\\fR
One of a list of literals.
.TP
\\fB0x1F 0o4000 0b101\\fR
Integers in base 16, 8 and 2 (any size, exact), wherever a number goes.
.TP
\\fIpath\\fR \\fB& 0o4000 != 0\\fR
Bitwise and of the field's value with a non-negative integer, then the comparison (with a number, or \\fBin\\fR
a list of numbers): \\fB&\\fR binds tighter than comparisons, so \\fBa & 4 == 4\\fR is \\fB(a & 4) == 4\\fR. Exact for
uint64 and beyond. A value that is not a non-negative integer (or is missing) makes it false, and \\fB!=\\fR true.
.TP
\\fBdate >= "2024\\-08\\-01T06:00:00Z"\\fR
On a field the schema declares \\fBformat: date\\-time\\fR, a string compares as an instant: RFC 3339, any
offset, \\fBT\\fR/\\fBt\\fR, \\fBZ\\fR/\\fBz\\fR, fractions exactly; \\fB"2024\\-08\\-01T08:00:00+02:00"\\fR equals
\\fB"2024\\-08\\-01T06:00:00Z"\\fR. A literal that is not an RFC 3339 date\\-time is an error; an event value that is
not one makes the comparison false. With \\fB\\-\\-no\\-schema\\-check\\fR strings compare as strings.
.TP
\\fBexists(path)\\fR
The field is present (even when null).
.TP
\\fBand &&, or ||, not !, ( )\\fR
\\fBnot\\fR binds tightest, then \\fBand\\fR, then \\fBor\\fR (a comparison, \\fB&\\fR included, binds tighter than all three).
.PP
Paths are checked against the schema: an unknown field, or an operand the field can never hold, is a usage
error (exit 2) with a caret under the query; \\fB\\-\\-no\\-schema\\-check\\fR turns the check off. See csm\\-schema fields.
`;

/** The variables every tool reads. */
const ENVIRONMENT = `.SH ENVIRONMENT
.TP
\\fBNO_COLOR\\fR
When set and not empty, diagnostics are not coloured (unless \\fB\\-\\-color always\\fR).
.TP
\\fBFORCE_COLOR\\fR
When set (to anything but \\fB0\\fR or \\fBfalse\\fR), diagnostics are coloured even when stderr is not a terminal
(unless \\fB\\-\\-color never\\fR); it is read before NO_COLOR.
.TP
\\fBTERM\\fR
\\fBdumb\\fR turns colour off on a terminal.
.TP
\\fBCSM_DEBUG\\fR
When set, an internal error prints its stack trace, and the tool says why it does not use its build-time validators
(and csm-validate whether its byte-level fast path covers each schema).
.TP
\\fBCSM_FASTCHECK\\fR
\\fB0\\fR turns off csm-validate's byte-level fast path: every line is parsed and validated by ajv (the same verdicts,
more slowly; for comparison and diagnosis).
`;

/** csm-rules' own variable (src/io/policy-cache.ts). */
const RULES_ENVIRONMENT = `.TP
\\fBCSM_RULES_CACHE\\fR
Where decoded policy files are cached (by content hash; default \\fB$XDG_CACHE_HOME/csm\\-ndjson/policies\\fR,
else \\fB~/.cache/csm\\-ndjson/policies\\fR); \\fBoff\\fR turns the cache off.
`;

/** The man page of one tool. */
export function manPage(tool: (typeof TOOLS)[number], cmd: Command): string {
  const help = cmd.createHelp();
  const description = cmd.description().replace(/\s*\n\s*/g, ' ');
  const summary = description.split(/\.\s|\.$/)[0]!;
  let out = `.\\" Generated by scripts/gen-man.mjs from the commander definitions; do not edit.\n`;
  out += `.TH ${tool.toUpperCase()} 1 "" "csm-ndjson ${VERSION}" "User Commands"\n`;
  out += `.SH NAME\n${roffText(tool)} \\- ${roffText(summary.charAt(0).toLowerCase() + summary.slice(1))}\n`;
  out += `.SH SYNOPSIS\n`;
  const usage = (c: Command, name: string): string => `${bold(name)} ${roffText(c.usage())}\n`;
  out += usage(cmd, tool);
  const subcommands = cmd.commands.filter((c) => c.name() !== 'completion');
  for (const sub of subcommands) out += `.br\n${usage(sub, `${tool} ${sub.name()}`)}`;
  out += `.br\n${usage(completionCommand(), `${tool} completion`)}`;
  out += `.SH DESCRIPTION\n${roffText(description)}\n`;
  out += `.SH OPTIONS\n${optionsList(help, cmd)}`;
  if (subcommands.length > 0) {
    out += `.SH COMMANDS\n`;
    for (const sub of subcommands) {
      out += `.SS "${roffText(`${sub.name()} ${sub.usage()}`)}"\n${roffText(sub.description())}\n`;
      out += `.RS 4\n${optionsList(sub.createHelp(), sub)}.RE\n`;
    }
  }
  out += epilogueSections(helpEpilogue(cmd));
  out +=
    `.SH SHELL COMPLETION\n${bold(`${tool} completion bash`)}|${bold('zsh')}|${bold('fish')} prints a completion script ` +
    `for the options, their choices, event kinds and field paths.\n` +
    `.PP\n.nf\n.RS 4\n${roffText(`source <(${tool} completion bash)\n${tool} completion fish | source`)}\n.RE\n.fi\n`;
  if (tool === 'csm-filter') out += QUERY_LANGUAGE;
  out += ENVIRONMENT;
  if (tool === 'csm-rules') out += RULES_ENVIRONMENT;
  out += `.SH SEE ALSO\n${TOOLS.filter((t) => t !== tool)
    .map((t) => `\\fB${roffText(t)}\\fR(1)`)
    .join(', ')}\n`;
  return out;
}

/** Every man page: `{ file: 'csm-validate.1', text }`. */
export function manPages(): { file: string; text: string }[] {
  const commands = { 'csm-validate': validateCommand(), 'csm-filter': filterCommand(), 'csm-schema': schemaCommand(), 'csm-rules': rulesCommand() };
  return TOOLS.map((tool) => ({ file: `${tool}.1`, text: manPage(tool, commands[tool]) }));
}
