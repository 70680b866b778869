/**
 * The event kinds (`evt.name` values) the tools know, and the top-level sections
 * of the event each one fills. The schema does not enumerate kinds: this table
 * is written from Datadog's documentation and the agent's serializers
 * (`pkg/security/secl/model/category.go` for the categories). Every event also
 * carries `agent`, `title`, `evt`, `date` and `process` (the process that
 * caused it); `sections` lists what the kind adds (`process` for the process
 * events, whose subject is the process itself).
 *
 * `example` holds plausible values for `csm-schema sample`; `sample.ts` fills
 * the keys the schema requires around them.
 */
import type { JsonValue } from './json/value.js';

export type KindCategory = 'Process Activity' | 'File Activity' | 'Network Activity' | 'Kernel Activity';

export interface EventKind {
  /** The `evt.name` value. */
  readonly name: string;
  /** The `evt.category` value the agent gives it. */
  readonly category: KindCategory;
  /** Top-level sections of the event the kind fills, beyond the common ones. */
  readonly sections: readonly string[];
  readonly description: string;
  /** Plausible values for a sample event, by top-level section. */
  readonly example: { readonly [section: string]: JsonValue };
}

/** Sections every event has (`process`: the process that caused it). */
export const COMMON_SECTIONS: readonly string[] = ['agent', 'title', 'evt', 'date', 'process'];

const P = 'Process Activity';
const F = 'File Activity';
const N = 'Network Activity';
const K = 'Kernel Activity';

/** A file kind: `file` (and `syscall.<name>` when the schema has that syscall's arguments). */
function fileKind(
  name: string,
  description: string,
  file: { [key: string]: JsonValue },
  syscall?: { [key: string]: JsonValue },
): EventKind {
  return {
    name,
    category: F,
    sections: syscall !== undefined ? ['file', 'syscall'] : ['file'],
    description,
    example: syscall !== undefined ? { file, syscall: { [name]: syscall } } : { file },
  };
}

const network = (l4: string, source: [string, number], destination: [string, number], size: number): JsonValue => ({
  device: { netns: 4026531840, ifindex: 2, ifname: 'eth0' },
  l3_protocol: 'IPv4',
  l4_protocol: l4,
  source: { ip: source[0], port: source[1] },
  destination: { ip: destination[0], port: destination[1] },
  size,
});

export const EVENT_KINDS: readonly EventKind[] = [
  {
    name: 'exec',
    category: P,
    sections: ['process', 'file'],
    description: 'a process executed a program (execve)',
    example: {
      file: { path: '/usr/bin/curl', name: 'curl', inode: 263195, mode: 33261, uid: 0, gid: 0 },
      process: {
        comm: 'curl',
        executable: { path: '/usr/bin/curl', name: 'curl', inode: 263195, mode: 33261 },
        argv0: 'curl',
        args: ['-s', 'http://169.254.169.254/latest/meta-data/'],
      },
    },
  },
  { name: 'fork', category: P, sections: ['process'], description: 'a process forked a child', example: {} },
  {
    name: 'exit',
    category: P,
    sections: ['process', 'exit'],
    description: 'a process exited',
    example: { exit: { cause: 'EXITED', code: 0 } },
  },
  {
    name: 'setuid',
    category: P,
    sections: ['process'],
    description: 'a process changed its user IDs (credentials.destination: the new ones)',
    example: {
      process: { credentials: { uid: 1000, euid: 1000, destination: { uid: 0, user: 'root', euid: 0, euser: 'root', fsuid: 0, fsuser: 'root' } } },
    },
  },
  {
    name: 'setgid',
    category: P,
    sections: ['process'],
    description: 'a process changed its group IDs (credentials.destination: the new ones)',
    example: {
      process: { credentials: { gid: 1000, egid: 1000, destination: { gid: 0, group: 'root', egid: 0, egroup: 'root', fsgid: 0, fsgroup: 'root' } } },
    },
  },
  {
    name: 'capset',
    category: P,
    sections: ['process'],
    description: 'a process changed its capability sets (credentials.destination: the new ones)',
    example: {
      process: { credentials: { destination: { cap_effective: ['CAP_SYS_ADMIN'], cap_permitted: ['CAP_SYS_ADMIN'] } } },
    },
  },
  {
    name: 'signal',
    category: P,
    sections: ['signal'],
    description: 'a process sent a signal',
    example: { signal: { type: 'SIGKILL', pid: 1337 } },
  },
  {
    name: 'syscalls',
    category: P,
    sections: ['syscalls'],
    description: 'the syscalls a process made (activity dumps, anomaly detection)',
    example: { syscalls: [{ name: 'execve', id: 59 }, { name: 'openat', id: 257 }] },
  },
  fileKind('open', 'a file was opened', { path: '/etc/shadow', name: 'shadow', mode: 33184, flags: ['O_RDONLY'] }, { path: '/etc/shadow', flags: 0, mode: 0 }),
  fileKind(
    'chmod',
    'a file mode was changed',
    { path: '/tmp/payload.sh', name: 'payload.sh', mode: 33188, destination: { mode: 33261 } },
    { path: '/tmp/payload.sh', mode: 493 },
  ),
  fileKind(
    'chown',
    'a file owner was changed',
    { path: '/etc/sudoers.d/extra', name: 'extra', destination: { uid: 1000, gid: 1000, user: 'deploy', group: 'deploy' } },
    { path: '/etc/sudoers.d/extra', uid: 1000, gid: 1000 },
  ),
  fileKind('unlink', 'a file was deleted', { path: '/var/log/auth.log', name: 'auth.log' }, { path: '/var/log/auth.log', flags: 0 }),
  fileKind(
    'rename',
    'a file was renamed',
    { path: '/tmp/x', name: 'x', destination: { path: '/usr/local/bin/x', name: 'x' } },
    { path: '/tmp/x', destination_path: '/usr/local/bin/x' },
  ),
  fileKind(
    'link',
    'a hard link was created',
    { path: '/etc/passwd', name: 'passwd', destination: { path: '/tmp/passwd', name: 'passwd' } },
    { path: '/etc/passwd', destination_path: '/tmp/passwd' },
  ),
  fileKind('utimes', 'file times were changed', { path: '/usr/bin/sudo', name: 'sudo' }, { path: '/usr/bin/sudo' }),
  fileKind('chdir', 'the working directory was changed', { path: '/root', name: 'root', mode: 16832 }, { path: '/root' }),
  fileKind('mkdir', 'a directory was created', { path: '/tmp/.hidden', name: '.hidden', mode: 16877 }),
  fileKind('rmdir', 'a directory was removed', { path: '/tmp/.hidden', name: '.hidden', mode: 16877 }),
  fileKind('setxattr', 'an extended attribute was set', {
    path: '/usr/bin/ping',
    name: 'ping',
    attribute_name: 'capability',
    attribute_namespace: 'security',
  }),
  fileKind('removexattr', 'an extended attribute was removed', {
    path: '/usr/bin/ping',
    name: 'ping',
    attribute_name: 'capability',
    attribute_namespace: 'security',
  }),
  {
    name: 'splice',
    category: F,
    sections: ['splice', 'file'],
    description: 'data was spliced from a file into a pipe (Dirty Pipe)',
    example: {
      file: { path: '/etc/passwd', name: 'passwd' },
      splice: { pipe_entry_flag: 'PIPE_BUF_FLAG_CAN_MERGE', pipe_exit_flag: 'PIPE_BUF_FLAG_CAN_MERGE' },
    },
  },
  {
    name: 'mount',
    category: F,
    sections: ['mount', 'syscall'],
    description: 'a filesystem was mounted',
    example: {
      mount: {
        mount_id: 812,
        parent_mount_id: 28,
        bind_src_mount_id: 0,
        device: 2049,
        fs_type: 'ext4',
        'mountpoint.path': '/mnt/host',
        'source.path': '/dev/sda1',
      },
      syscall: { mount: { path: '/mnt/host', fs_type: 'ext4' } },
    },
  },
  {
    name: 'umount',
    category: F,
    sections: ['mount'],
    description: 'a filesystem was unmounted',
    example: { mount: { mount_id: 812, parent_mount_id: 28, bind_src_mount_id: 0, device: 2049, fs_type: 'ext4' } },
  },
  {
    name: 'load_module',
    category: K,
    sections: ['module', 'file'],
    description: 'a kernel module was loaded',
    example: {
      module: { name: 'rootkit', loaded_from_memory: false, argv: [] },
      file: { path: '/tmp/rootkit.ko', name: 'rootkit.ko' },
    },
  },
  {
    name: 'unload_module',
    category: K,
    sections: ['module'],
    description: 'a kernel module was unloaded',
    example: { module: { name: 'rootkit' } },
  },
  {
    name: 'ptrace',
    category: K,
    sections: ['ptrace'],
    description: 'a process traced another one',
    example: { ptrace: { request: 'PTRACE_ATTACH', address: '0x0', tracee: { pid: 1337, uid: 0, gid: 0, comm: 'sshd' } } },
  },
  {
    name: 'mmap',
    category: K,
    sections: ['mmap', 'file'],
    description: 'memory was mapped',
    example: {
      mmap: { address: '0x7f3a2c000000', offset: 0, length: 4096, protection: 'PROT_READ|PROT_EXEC', flags: 'MAP_PRIVATE' },
      file: { path: '/tmp/libhook.so', name: 'libhook.so' },
    },
  },
  {
    name: 'mprotect',
    category: K,
    sections: ['mprotect'],
    description: 'the protection of a memory segment was changed',
    example: {
      mprotect: {
        vm_start: '0x7f3a2c000000',
        vm_end: '0x7f3a2c001000',
        vm_protection: 'PROT_READ|PROT_WRITE',
        req_protection: 'PROT_READ|PROT_WRITE|PROT_EXEC',
      },
    },
  },
  {
    name: 'bpf',
    category: K,
    sections: ['bpf'],
    description: 'the bpf() syscall was used',
    example: {
      bpf: {
        cmd: 'BPF_PROG_LOAD',
        program: { name: 'kprobe_hook', tag: '5c3f2a9b1d7e4f60', program_type: 'BPF_PROG_TYPE_KPROBE', helpers: ['bpf_probe_write_user'] },
      },
    },
  },
  {
    name: 'selinux',
    category: K,
    sections: ['selinux'],
    description: 'the SELinux state was changed',
    example: { selinux: { enforce: { status: 'permissive' } } },
  },
  {
    name: 'bind',
    category: K,
    sections: ['bind', 'network'],
    description: 'a socket was bound to an address',
    example: {
      bind: { addr: { family: 'AF_INET', ip: '0.0.0.0', port: 4444 } },
      network: network('TCP', ['0.0.0.0', 4444], ['0.0.0.0', 0], 0),
    },
  },
  {
    name: 'dns',
    category: N,
    sections: ['network', 'dns'],
    description: 'a DNS request was sent',
    example: {
      network: network('UDP', ['10.0.0.5', 53411], ['10.0.0.2', 53], 62),
      dns: { id: 4711, question: { class: 'IN', type: 'A', name: 'example.com', size: 29, count: 1 } },
    },
  },
  {
    name: 'imds',
    category: N,
    sections: ['network', 'imds'],
    description: 'the cloud instance metadata service was queried',
    example: {
      network: network('TCP', ['10.0.0.5', 41234], ['169.254.169.254', 80], 214),
      imds: {
        type: 'request',
        cloud_provider: 'aws',
        url: '/latest/meta-data/iam/security-credentials/',
        host: '169.254.169.254',
        user_agent: 'curl/8.5.0',
      },
    },
  },
];

const byName = new Map(EVENT_KINDS.map((k) => [k.name, k]));

/** The kind named `name`, if the table has it. */
export function findKind(name: string): EventKind | undefined {
  return byName.get(name);
}

/** Every kind name, in table order. */
export const KIND_NAMES: readonly string[] = EVENT_KINDS.map((k) => k.name);

/**
 * Every event type the agent has a SECL field for (the agent's model, as the
 * generated SECL field table lists them; a test keeps this list equal to it),
 * beside the kinds above, which carry samples and descriptions.
 */
export const AGENT_EVENT_TYPES: readonly string[] = [
  'accept', 'bind', 'bpf', 'capabilities', 'capset', 'cgroup_write', 'chdir', 'chmod', 'chown', 'connect',
  'dns', 'exec', 'exit', 'imds', 'link', 'load_module', 'mkdir', 'mmap', 'mount', 'mprotect',
  'network_flow_monitor', 'open', 'packet', 'prctl', 'ptrace', 'removexattr', 'rename', 'rmdir', 'selinux',
  'setgid', 'setrlimit', 'setsockopt', 'setuid', 'setxattr', 'signal', 'splice', 'sysctl', 'unlink',
  'unload_module', 'utimes',
];

/**
 * The agent's own events that travel in the same stream, by their
 * `agent.rule_id` (the agent's pkg/security/events/custom.go: its
 * AllCustomRuleIDs and HeartbeatRuleID). They do not follow the backend event
 * schema: the tools recognise them and do not judge them as CSM events.
 */
export const AGENT_CUSTOM_EVENTS: readonly string[] = [
  'ruleset_loaded', 'heartbeat', 'self_test', 'lost_events', 'abnormal_path', 'anomaly_detection',
  'no_process_context', 'broken_process_lineage',
];

const knownKinds = new Set([...KIND_NAMES, ...AGENT_EVENT_TYPES, ...AGENT_CUSTOM_EVENTS]);

/** Every `evt.name` csm-filter -k accepts, sorted. */
export const KNOWN_KINDS: readonly string[] = [...knownKinds].sort();

export function isKnownKind(name: string): boolean {
  return knownKinds.has(name);
}
