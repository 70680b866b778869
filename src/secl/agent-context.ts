/**
 * SECL fields that the serializers do not write into the event, but that the agent writes
 * beside it, in the event's `agent` context (`AgentContext` of the backend schema: `os`,
 * `origin`, from the probe that produced the event). The generated field table
 * (`generated/fields-linux.ts`, from the serializers) marks them unavailable; they are read
 * from there, and where an event has no agent context (the schema does not require those
 * keys), they take the value every backend event of this schema implies.
 */
export interface AgentContextField {
  /** Where the agent writes it. */
  path: readonly string[];
  /** The value where the event does not say. */
  value: string;
  /** Why that value. */
  why: string;
}

export const AGENT_CONTEXT_FIELDS: Readonly<Record<string, AgentContextField>> = {
  'event.origin': {
    path: ['agent', 'origin'],
    value: 'ebpf',
    why: "a Linux agent's events come from its eBPF probes unless it runs eBPF-less, which it writes as agent.origin \"ebpfless\"",
  },
  'event.os': {
    path: ['agent', 'os'],
    value: 'linux',
    why: 'the events of this (Linux) schema are those of the Linux agent',
  },
};

/** The value of an agent-context field in an event: its `agent` key, else the default. */
export function agentContextValue(field: AgentContextField, event: unknown): string {
  let v: unknown = event;
  for (const k of field.path) v = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)[k] : undefined;
  return typeof v === 'string' ? v : field.value;
}
