#!/usr/bin/env node
// Seeded generator of a synthetic NDJSON stream of CSM Threats events (Linux schema).
//
//   node bench/generate.mjs [--shape regular|varied] [--size 100MB] [--seed 1] [--invalid 0.1] [--blank 0.002] [--out FILE]
//
// Two shapes. `regular` (the default, the bytes every earlier figure refers to) is agent-like:
// the same sections in the same order for each kind. `varied` walks the schema instead
// (bench/varied.mjs: random sections and key subsets, escapes, large integers; needs the build).
// Same shape, seed and options -> same bytes. ~30% of the events are exec; the other kinds
// fill the sections the schema has for them. A share of lines (--invalid) is broken
// on purpose: schema errors (missing key, unknown key, wrong type, bad date-time) and
// broken JSON (truncated line, trailing garbage). --blank adds a few blank lines.
// Sizes: K/M/G = 1024^n, KB/MB/GB = 1000^n (as coreutils), KiB/MiB/GiB = 1024^n.
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { prng } from './prng.mjs';
import { loadVaried, variedChunks, variedGenerator } from './varied.mjs';

export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*(|K|M|G|KB|MB|GB|KiB|MiB|GiB)$/i.exec(String(text).trim());
  if (!m) throw new Error(`bad size: ${text} (e.g. 5MB, 100MB, 1GB)`);
  const unit = m[2].toUpperCase();
  const exp = { '': 0, K: 1, M: 2, G: 3 }[unit[0] ?? ''] ?? 0;
  const base = unit.length === 2 ? 1000 : 1024; // "MB" decimal; "M" and "MIB" binary
  return Math.round(Number(m[1]) * base ** exp);
}

// ---------------------------------------------------------------- PRNG (bench/prng.mjs; main() seeds it)
let random = prng(1);
const rand = () => random.rand();
const int = (lo, hi) => random.int(lo, hi);
const pick = (arr) => random.pick(arr);
const chance = (p) => random.chance(p);
const hex = (n) => random.hex(n);
const times = (n, f) => Array.from({ length: n }, f);

// uint64 values are written as digit text: JSON.stringify sees a marker string that
// is replaced by the bare digits afterwards (a JS number cannot hold them exactly).
const U64 = '#u64#';
const u64 = (digits) => U64 + digits;
const U64_RE = /"#u64#(\d+)"/g;
const bigU64 = () => {
  if (chance(0.25)) return u64('18446744073709551615');
  const v = (1n << 53n) + (BigInt(int(0, 0x7fffffff)) << 32n) + BigInt(int(0, 0xffffffff));
  return u64(v.toString());
};
const inode = () => (chance(0.04) ? bigU64() : int(12, 9_000_000));

// ---------------------------------------------------------------- time (RFC 3339)
let clock = Date.UTC(2024, 7, 1, 0, 0, 0);
const rfc3339 = (ms) => {
  const iso = new Date(ms).toISOString(); // 2024-08-01T12:00:00.123Z
  switch (int(0, 3)) {
    case 0: return iso;
    case 1: return iso.replace('Z', `${String(int(0, 999999)).padStart(6, '0')}Z`); // nanoseconds
    case 2: { // same instant with a +02:00 offset
      const local = new Date(ms + 2 * 3600_000).toISOString();
      return local.replace('Z', '+02:00');
    }
    default: return iso.replace(/\.\d+Z$/, 'Z');
  }
};
const past = (maxDays) => rfc3339(clock - int(1000, maxDays * 86_400_000));

// ---------------------------------------------------------------- vocabulary
const USERS = [
  { uid: 0, gid: 0, user: 'root', group: 'root' },
  { uid: 33, gid: 33, user: 'www-data', group: 'www-data' },
  { uid: 1000, gid: 1000, user: 'rené', group: 'rené' },
  { uid: 1001, gid: 1001, user: 'deploy', group: 'deploy' },
  { uid: 999, gid: 999, user: 'postgres', group: 'postgres' },
  { uid: 65534, gid: 65534, user: 'nobody', group: 'nogroup' },
];
const PROGRAMS = [
  ['/usr/bin/bash', () => ['-c', pick(['id', 'curl -s http://169.254.169.254/latest/meta-data/', 'echo café ☕ > /tmp/é.txt', 'tar czf /tmp/备份.tgz /srv/数据'])]],
  ['/usr/bin/curl', () => ['-sSL', pick(['https://example.com/install.sh', 'https://例え.jp/パス?q=☕', 'http://10.0.0.5:8080/payload'])]],
  ['/usr/bin/python3', () => ['/opt/app/main.py', '--name', pick(['café', 'naïve', '数据', 'plain']), '--workers', String(int(1, 16))]],
  ['/usr/bin/vim', () => [pick(['/home/rené/notes ☕.md', '/srv/数据/报告.txt', '/tmp/x'])]],
  ['/usr/sbin/nginx', () => ['-g', 'daemon off;']],
  ['/usr/bin/ls', () => ['-la', pick(['/srv/数据', '/home/rené', '/var/log'])]],
  ['/usr/bin/git', () => ['clone', '--depth', '1', 'https://github.com/DataDog/datadog-agent.git']],
  ['/usr/local/bin/kubectl', () => ['exec', '-it', `pod-${hex(5)}`, '--', 'sh']],
  ['/usr/bin/apt-get', () => ['install', '-y', pick(['nmap', 'netcat', 'tcpdump'])]],
  ['/usr/bin/node', () => ['/srv/app/server.js', '--port', String(int(3000, 3999))]],
  ['/usr/bin/sudo', () => ['-u', 'root', '/usr/bin/cat', '/etc/shadow']],
];
const ETC_PROGRAMS = [ // run as root, file.path under /etc: the --where scenario selects these
  ['/etc/cron.daily/logrotate', () => []],
  ['/etc/init.d/ssh', () => ['restart']],
  ['/etc/update-motd.d/50-landscape-sysinfo', () => []],
  ['/etc/network/if-up.d/ethtool', () => ['--verbose']],
];
const FILE_PATHS = [
  '/etc/passwd', '/etc/shadow', '/etc/ssh/sshd_config', '/etc/sudoers.d/90-cloud-init', '/etc/ld.so.preload',
  '/var/log/auth.log', '/tmp/.X11-unix/x', '/home/rené/Documents/café.txt', '/srv/数据/报告-2024.csv',
  '/srv/☕/brew.sh', '/root/.ssh/authorized_keys', '/var/lib/docker/overlay2/l/ABCDEF/diff', '/opt/app/config.yaml',
  '/home/deploy/.bash_history', '/usr/lib/x86_64-linux-gnu/libc.so.6', '/proc/self/mem', '/dev/shm/🚀.bin',
];
const FILESYSTEMS = ['ext4', 'overlay', 'xfs', 'tmpfs'];
const CAPS = ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FOWNER', 'CAP_KILL', 'CAP_SETUID', 'CAP_SETGID', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_ADMIN'];
const ENVS = ['PATH', 'HOME', 'LANG', 'TERM', 'SHELL', 'USER', 'PWD', 'LC_ALL', 'KUBERNETES_SERVICE_HOST', 'DD_ENV'];
const basename = (p) => p.slice(p.lastIndexOf('/') + 1);
const outcome = () => pick(['Success', 'Success', 'Success', 'Success', 'Refused', 'Error']);

// ---------------------------------------------------------------- sections
function file(path, owner = pick(USERS), full = true) {
  const f = { path, name: basename(path), inode: inode(), mount_id: int(20, 2000), uid: owner.uid, gid: owner.gid };
  if (full) {
    Object.assign(f, { mode: pick([33188, 33261, 33184, 16877]), filesystem: pick(FILESYSTEMS), user: owner.user, group: owner.group });
    f.in_upper_layer = chance(0.3);
    f.access_time = past(30);
    f.modification_time = past(300);
    f.change_time = past(300);
    if (chance(0.5)) Object.assign(f, { package_name: pick(['coreutils', 'bash', 'openssh-server', 'python3.11']), package_version: `${int(1, 9)}.${int(0, 40)}-${int(1, 9)}ubuntu${int(1, 3)}` });
    if (chance(0.25)) { f.hashes = [`sha1:${hex(40)}`, `sha256:${hex(64)}`]; f.hash_state = 'DONE'; }
  }
  return f;
}

function credentials(u) {
  const caps = u.uid === 0 ? CAPS : [];
  return {
    uid: u.uid, user: u.user, gid: u.gid, group: u.group, euid: u.uid, euser: u.user, egid: u.gid, egroup: u.group,
    fsuid: u.uid, fsuser: u.user, fsgid: u.gid, fsgroup: u.group,
    auid: chance(0.5) ? 4294967295 : pick([0, 1000, 1001]), cap_effective: caps, cap_permitted: caps,
  };
}

// One process; `level` 0 is the event's own process (full), deeper ones are lighter.
function process_(prog = pick(PROGRAMS), u = pick(USERS), level = 0) {
  const [path, args] = prog;
  const pid = int(2, 4_000_000);
  const p = { pid, ppid: int(1, 4_000_000), uid: u.uid, gid: u.gid, comm: basename(path).slice(0, 15) };
  if (level === 0) Object.assign(p, { tid: pid, exec_time: past(1), user: u.user, group: u.group, fork_time: past(2), credentials: credentials(u) });
  Object.assign(p, { executable: file(path, USERS[0], level === 0 && chance(0.5)), argv0: basename(path), args: args() });
  if (level === 0) Object.assign(p, { tty: chance(0.2) ? `pts${int(0, 9)}` : '', args_truncated: false, envs: ENVS.slice(0, int(2, ENVS.length)), envs_truncated: false });
  if (level === 0 && chance(0.4)) p.container = { id: hex(64), created_at: past(10) };
  if (level === 0 && chance(0.1)) p.user_session = { id: hex(16), session_type: 'k8s', k8s_username: 'dev@例え.jp', k8s_uid: hex(8), k8s_groups: ['system:authenticated'] };
  return p;
}

function processContext(prog, u) {
  const p = process_(prog, u, 0);
  p.parent = process_(pick(PROGRAMS), pick(USERS), 1);
  const more = Math.floor(rand() ** 4 * 8); // 0..7, mostly short chains
  p.ancestors = [p.parent, ...times(more, () => process_(pick(PROGRAMS), pick(USERS), 2))];
  if (chance(0.05)) p.truncated_ancestors = true;
  return p;
}

const syscallArgs = (path, extra) => ({ path, ...extra });
const ip4 = () => `10.${int(0, 255)}.${int(0, 255)}.${int(1, 254)}`;
const network = (size) => ({
  device: { netns: int(4026531000, 4026533000), ifindex: int(1, 12), ifname: pick(['eth0', 'ens5', 'lo', 'cni0']) },
  l3_protocol: 'IPv4', l4_protocol: 'UDP',
  source: { ip: ip4(), port: int(32768, 60999) }, destination: { ip: pick(['10.96.0.10', '169.254.169.254', '8.8.8.8']), port: 53 },
  size,
});

// Each kind: [category, rule ids, extra sections builder]. `ctx` carries the event's file path.
const fileKind = (sys, extra = () => ({})) => (ctx) => {
  const f = { ...file(ctx.path), ...extra(ctx) };
  return sys ? { file: f, syscall: { [sys]: syscallArgs(ctx.path, ctx.sysExtra?.() ?? {}) } } : { file: f };
};
const KINDS = {
  open: ['File Activity', ['sensitive_file_access', 'credential_accessed'], (c) => fileKind('open', () => ({ flags: pick([['O_RDONLY'], ['O_WRONLY', 'O_CREAT', 'O_TRUNC'], ['O_RDWR', 'O_CLOEXEC']]) }))({ ...c, sysExtra: () => ({ flags: int(0, 0o2101), mode: 0o644, dirfd: -100 }) })],
  chmod: ['File Activity', ['suspicious_chmod'], (c) => fileKind('chmod', () => ({ destination: { mode: 33261, uid: 0, gid: 0 } }))({ ...c, sysExtra: () => ({ mode: 0o755 }) })],
  chown: ['File Activity', ['suspicious_chown'], (c) => fileKind('chown', () => ({ destination: { uid: 0, gid: 0, user: 'root', group: 'root' } }))({ ...c, sysExtra: () => ({ uid: 0, gid: -1 }) })],
  unlink: ['File Activity', ['log_file_deleted'], (c) => fileKind('unlink')({ ...c, sysExtra: () => ({ dirfd: -100, flags: 0 }) })],
  rename: ['File Activity', ['file_renamed_to_hidden'], (c) => fileKind('rename', () => ({ destination: file(`${c.path}.bak ☕`) }))({ ...c, sysExtra: () => ({ destination_path: `${c.path}.bak ☕` }) })],
  link: ['File Activity', ['hardlink_created'], (c) => fileKind('link', () => ({ destination: file(`/tmp/.lnk-${hex(4)}`) }))(c)],
  mkdir: ['File Activity', ['hidden_dir_created'], fileKind(null)],
  rmdir: ['File Activity', ['dir_removed'], fileKind(null)],
  utimes: ['File Activity', ['timestomp'], fileKind('utimes')],
  setxattr: ['File Activity', ['xattr_modified'], fileKind(null, () => ({ attribute_name: 'security.capability', attribute_namespace: 'security' }))],
  chdir: ['File Activity', ['chdir_to_tmp'], fileKind('chdir')],
  dns: ['Network Activity', ['dns_to_crypto_pool'], () => ({ network: network(int(40, 120)), dns: { id: int(0, 65535), question: { class: 'CLASS_INET', type: pick(['A', 'AAAA', 'TXT']), name: pick(['pool.minexmr.com', 'xn--caf-dma.example', 'api.datadoghq.com', 'kubernetes.default.svc.cluster.local']), size: int(30, 90), count: 1 } } })],
  imds: ['Network Activity', ['imds_credentials_access'], () => ({ network: { ...network(int(100, 400)), l4_protocol: 'TCP' }, imds: { type: 'request', cloud_provider: 'aws', url: '/latest/meta-data/iam/security-credentials/role-é', host: '169.254.169.254', user_agent: 'aws-sdk-go/1.44', server: 'EC2ws', aws: { is_imds_v2: chance(0.5), security_credentials: { code: 'Success', type: 'AWS-HMAC', access_key_id: `ASIA${hex(16).toUpperCase()}`, last_updated: past(1), expiration: rfc3339(clock + 6 * 3600_000) } } } })],
  bind: ['Network Activity', ['unexpected_bind'], () => ({ bind: { addr: { family: pick(['AF_INET', 'AF_INET6']), ip: pick(['0.0.0.0', '::', '127.0.0.1']), port: int(1, 65535) } } })],
  mount: ['File Activity', ['host_fs_mounted'], () => {
    const mp = pick(['/mnt/host', '/var/lib/kubelet/pods/数据', '/run/containerd/☕']);
    return {
      mount: { mp: file(mp), root: file('/'), mount_id: int(20, 4000), parent_mount_id: int(1, 30), bind_src_mount_id: 0, device: chance(0.1) ? bigU64() : int(1, 300), fs_type: pick(['ext4', 'overlay', 'nfs4']), 'mountpoint.path': mp, 'source.path': pick(['/dev/vda1', '/', 'server:/export']) },
      syscall: { mount: { fs_type: 'ext4', path: mp } },
    };
  }],
  umount: ['File Activity', ['fs_unmounted'], () => ({ mount: { mount_id: int(20, 4000), parent_mount_id: int(1, 30), bind_src_mount_id: 0, device: int(1, 300), 'mountpoint.path': '/mnt/host' } })],
  load_module: ['Kernel Activity', ['kernel_module_loaded'], () => ({ module: { name: pick(['diamorphine', 'nf_tables', 'overlay']), loaded_from_memory: chance(0.3), argv: ['debug=1'], args_truncated: false }, file: file(`/lib/modules/6.1.0/kernel/${hex(6)}.ko`) })],
  unload_module: ['Kernel Activity', ['kernel_module_unloaded'], () => ({ module: { name: pick(['nf_tables', 'overlay']) } })],
  signal: ['Process Activity', ['kill_security_agent'], () => ({ signal: { type: pick(['SIGKILL', 'SIGTERM', 'SIGSTOP']), pid: int(2, 4_000_000), target: process_(pick(PROGRAMS), pick(USERS), 1) } })],
  ptrace: ['Process Activity', ['ptrace_injection'], () => ({ ptrace: { request: pick(['PTRACE_ATTACH', 'PTRACE_POKETEXT']), address: `0x${hex(12)}`, tracee: process_(pick(PROGRAMS), pick(USERS), 1) } })],
  mmap: ['Kernel Activity', ['wx_mmap'], (c) => ({ mmap: { address: `0x7f${hex(10)}`, offset: chance(0.1) ? bigU64() : int(0, 1 << 20), length: chance(0.1) ? bigU64() : int(4096, 1 << 24), protection: 'PROT_READ|PROT_WRITE|PROT_EXEC', flags: 'MAP_PRIVATE|MAP_ANONYMOUS' }, file: file(c.path) })],
  mprotect: ['Kernel Activity', ['wx_mprotect'], () => ({ mprotect: { vm_start: `0x7f${hex(10)}`, vm_end: `0x7f${hex(10)}`, vm_protection: 'VM_READ|VM_WRITE', req_protection: 'VM_READ|VM_EXEC' } })],
  splice: ['Kernel Activity', ['dirty_pipe'], (c) => ({ splice: { pipe_entry_flag: 'PIPE_BUF_FLAG_CAN_MERGE', pipe_exit_flag: 'PIPE_BUF_FLAG_CAN_MERGE' }, file: file(c.path) })],
  bpf: ['Kernel Activity', ['bpf_prog_loaded'], () => ({ bpf: { cmd: 'BPF_PROG_LOAD', map: { name: `map_${hex(4)}`, map_type: 'BPF_MAP_TYPE_HASH' }, program: { name: `prog_${hex(4)}`, tag: hex(16), program_type: 'BPF_PROG_TYPE_KPROBE', attach_type: 'BPF_TRACE_KPROBE_MULTI', helpers: ['BpfMapLookupElem', 'BpfProbeWriteUser'] } } })],
  selinux: ['Kernel Activity', ['selinux_disabled'], () => ({ selinux: pick([{ enforce: { status: 'permissive' } }, { bool: { name: 'httpd_can_network_connect', state: 'on' } }, { bool_commit: { state: true } }]), file: file('/sys/fs/selinux/enforce') })],
  exit: ['Process Activity', ['process_exited'], () => ({ exit: { cause: pick(['EXITED', 'SIGNALED', 'COREDUMPED']), code: int(0, 255) } })],
};
const OTHER = Object.keys(KINDS);

function event() {
  clock += int(1, 400);
  const kind = chance(0.3) ? 'exec' : pick(OTHER);
  const rootEtc = kind === 'exec' && chance(0.15);
  const user = rootEtc ? USERS[0] : pick(USERS);
  const prog = rootEtc ? pick(ETC_PROGRAMS) : pick(PROGRAMS);
  const [category, rules, build] = kind === 'exec' ? ['Process Activity', ['shell_spawned_by_web_server', 'package_management_in_container', 'cron_job_run']] : KINDS[kind];
  const ruleId = pick(rules);
  const ev = {
    agent: { rule_id: ruleId, rule_version: String(int(1, 5)), policy_name: 'default', policy_version: '2024.08', version: '7.56.0', os: 'linux', arch: pick(['x86_64', 'arm64']), origin: 'ebpf' },
    title: `${ruleId.replace(/_/g, ' ')} (${kind})`,
    evt: { name: kind, category, outcome: outcome(), async: chance(0.05) },
    date: rfc3339(clock),
  };
  const proc = processContext(prog, user);
  if (kind === 'exec') {
    ev.file = { ...proc.executable };
    if (chance(0.5)) ev.syscall = { exec: syscallArgs(proc.executable.path) };
  } else {
    Object.assign(ev, build({ path: pick(FILE_PATHS) }));
  }
  if (kind === 'exit') proc.exit_time = rfc3339(clock);
  ev.process = proc;
  if (proc.container) ev.container = proc.container;
  if (chance(0.3)) ev.cgroup = { id: `/kubepods/besteffort/pod${hex(8)}`, manager: 'systemd' };
  if (chance(0.2)) ev.usr = { id: proc.user, group: proc.group };
  if (chance(0.1)) ev.dd = { span_id: String(int(1, 2 ** 31)), trace_id: hex(32) };
  if (chance(0.05)) ev.security_profile = { name: `profile-${hex(6)}`, version: 'v1', tags: ['image_name:nginx'], event_in_profile: false, event_type_state: 'unstable' };
  return ev;
}

// ---------------------------------------------------------------- invalid lines
const SCHEMA_BREAKS = [
  (ev) => { delete ev.agent; }, // missing required key
  (ev) => { delete ev.agent.rule_id; },
  (ev) => { delete ev.process.credentials.auid; },
  (ev) => { ev.severity = 'high'; }, // unknown key
  (ev) => { ev.process.credentials.sudo = true; },
  (ev) => { ev.evt.priority = 3; },
  (ev) => { ev.process.pid = String(ev.process.pid); }, // wrong type
  (ev) => { ev.title = 42; },
  (ev) => { ev.process.args = ev.process.args.join(' '); },
  (ev) => { ev.date = pick(['2024-08-01 12:00:00', '2024-02-30T10:00:00Z', 'yesterday', '2024-08-01T25:61:00Z', '2024-08-01T12:00:00+0200']); }, // bad date-time
];
const TEXT_BREAKS = [
  (text) => text.slice(0, int(1, text.length - 1)), // truncated line
  (text) => text + pick([' x', '}', ',', ' {"a":1}', ']']), // trailing garbage
];
const serialize = (ev) => JSON.stringify(ev).replace(U64_RE, '$1');

function line(invalidShare, blankShare) {
  if (chance(blankShare)) return pick(['', '  ', '\t']);
  const ev = event();
  if (!chance(invalidShare)) return serialize(ev);
  if (chance(0.7)) { pick(SCHEMA_BREAKS)(ev); return serialize(ev); }
  return pick(TEXT_BREAKS)(serialize(ev));
}

// Chunks of ~64 KB until `size` bytes (whole lines: the last one may go past it).
function* chunks({ size, invalid, blank }) {
  for (let written = 0; written < size;) {
    const parts = [];
    let n = 0;
    while (n < 65536 && written + n < size) {
      const l = `${line(invalid, blank)}\n`;
      parts.push(l);
      n += Buffer.byteLength(l);
    }
    written += n;
    yield parts.join('');
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      size: { type: 'string', default: '100MB' }, seed: { type: 'string', default: '1' },
      invalid: { type: 'string', default: '0.1' }, blank: { type: 'string', default: '0.002' },
      out: { type: 'string' }, help: { type: 'boolean', short: 'h' }, shape: { type: 'string', default: 'regular' },
    },
  });
  if (values.help) {
    console.log('usage: node bench/generate.mjs [--shape regular|varied] [--size 100MB] [--seed 1] [--invalid 0.1] [--blank 0.002] [--out FILE]');
    return;
  }
  if (values.shape !== 'regular' && values.shape !== 'varied') {
    console.error(`generate.mjs: --shape takes regular or varied, not ${values.shape}`);
    process.exitCode = 2;
    return;
  }
  const seed = Number(values.seed) | 0;
  random = prng(seed);
  const opts = { size: parseSize(values.size), invalid: Number(values.invalid), blank: Number(values.blank) };
  const source = values.shape === 'varied'
    ? variedChunks(variedGenerator(await loadVaried(), seed), opts)
    : chunks(opts);
  const out = values.out ? createWriteStream(values.out) : process.stdout;
  try {
    await pipeline(Readable.from(source, { objectMode: false }), out);
  } catch (err) {
    if (err.code !== 'EPIPE') throw err; // e.g. `| head`
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
