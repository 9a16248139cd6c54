/**
 * Renders a realistic 200-line config template 10,000 times with fleet's engine and, in the
 * same run, with CPython's Jinja2 (which compiles templates to Python code), and prints
 * renders per second for both.
 *
 *   npx tsx scripts/bench-template.ts [renders] [--no-python]
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Templar } from '../src/template/index.js';
import { fromPy, toPy, type PyDict } from '../src/template/values.js';

const RENDERS = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 10_000);
const WITH_PYTHON = !process.argv.includes('--no-python');
const PYTHON = '/usr/bin/python3';

const SERVICES = ['api', 'web', 'auth', 'billing', 'search', 'media'];
const VARS = {
  inventory_hostname: 'lb1.example.org',
  env: 'production',
  haproxy: { maxconn: 4096, timeout_connect: '5s', timeout_client: '50s', timeout_server: '50s', stats_port: 8404, stats_user: 'admin' },
  tls: { enabled: true, cert: '/etc/ssl/private/site.pem', ciphers: ['ECDHE-ECDSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-ECDSA-AES256-GCM-SHA384'] },
  acl_networks: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'],
  services: SERVICES.map((name, i) => ({
    name,
    port: 8000 + i,
    path: `/${name}`,
    health: i % 2 === 0 ? '/healthz' : null,
    sticky: i % 3 === 0,
    weight: 10 + i,
    backends: Array.from({ length: 4 }, (_, j) => ({ host: `${name}${j + 1}.internal`, ip: `10.1.${i}.${j + 10}`, enabled: j !== 3, backup: j === 2 })),
  })),
  resolvers: ['10.0.0.2', '10.0.0.3'],
  sysctl: { 'net.core.somaxconn': 65535, 'net.ipv4.tcp_tw_reuse': 1, 'net.ipv4.ip_local_port_range': '1024 65000', 'fs.file-max': 2097152 },
  admins: [
    { name: 'alice', uid: 1001, keys: ['ssh-ed25519 AAAAC3Nza alice@laptop'], shell: '/bin/bash' },
    { name: 'bob', uid: 1002, keys: [], shell: '/bin/zsh' },
    { name: 'carol', uid: 1003, keys: ['ssh-ed25519 AAAAC3Nzb carol@desk', 'ssh-rsa AAAAB3Nza carol@old'], shell: '/bin/bash' },
  ],
  logrotate: { rotate: 14, size: '100M', compress: true },
  firewall: {
    default_policy: 'drop',
    allow: [
      { port: 22, proto: 'tcp', from: ['10.0.0.0/8'] },
      { port: 80, proto: 'tcp', from: [] },
      { port: 443, proto: 'tcp', from: [] },
      { port: 8404, proto: 'tcp', from: ['10.0.0.0/8', '192.168.0.0/16'] },
      { port: 53, proto: 'udp', from: ['10.0.0.0/8'] },
    ],
  },
  scrape_interval: 15,
  log_level: 'info',
  extra_headers: { 'X-Frame-Options': 'DENY', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin' },
};

const TEMPLATE = `# {{ inventory_hostname }} — managed by fleet, do not edit
# environment: {{ env | upper }}
{#
  This file is rendered from a template. It holds the load balancer (haproxy),
  the TLS front (nginx), kernel settings, accounts, log rotation, the firewall
  and the monitoring targets of one load balancer host.
#}
# services: {{ services | map(attribute='name') | join(', ') }}
# backends: {{ services | map(attribute='backends') | map('length') | sum }} ({{ services | length }} services)
{% if env == 'production' %}
# production host: changes go through review
{% else %}
# {{ env }} host
{% endif %}
{% set tls_mode = 'terminate' if tls.enabled else 'passthrough' %}
# tls: {{ tls_mode }}{{ ' (' ~ tls.ciphers | length ~ ' ciphers)' if tls.enabled }}
global
    log /dev/log local0 {{ log_level }}
    maxconn {{ haproxy.maxconn }}
    user haproxy
    group haproxy
    daemon
{% if tls.enabled %}
    ssl-default-bind-ciphers {{ tls.ciphers | join(':') }}
    ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets
{% endif %}
{% for r in resolvers %}
    # resolver {{ loop.index }}: {{ r }}
{% endfor %}

defaults
    log global
    mode http
    option httplog
    option dontlognull
    timeout connect {{ haproxy.timeout_connect }}
    timeout client {{ haproxy.timeout_client }}
    timeout server {{ haproxy.timeout_server }}
    retries {{ 3 if env == 'production' else 1 }}

resolvers dns
{% for r in resolvers %}
    nameserver ns{{ loop.index }} {{ r }}:53
{% endfor %}
    hold valid 10s

listen stats
    bind *:{{ haproxy.stats_port }}
    stats enable
    stats uri /stats
    stats refresh 10s
    stats auth {{ haproxy.stats_user }}:{{ haproxy.stats_password | default('changeme') }}

frontend http-in
    bind *:80
{% if tls.enabled %}
    bind *:443 ssl crt {{ tls.cert }}
    http-request redirect scheme https unless { ssl_fc }
{% endif %}
{% for net in acl_networks %}
    acl internal src {{ net }}
{% endfor %}
{% for name, value in extra_headers | dictsort %}
    http-response set-header {{ name }} "{{ value }}"
{% endfor %}
{% for svc in services %}
    acl is_{{ svc.name }} path_beg {{ svc.path }}
    use_backend {{ svc.name }}_backend if is_{{ svc.name }}{{ ' internal' if svc.name in ['auth', 'billing'] else '' }}
{% endfor %}
    default_backend {{ services[0].name }}_backend

{% for svc in services %}
backend {{ svc.name }}_backend
    balance {{ 'source' if svc.sticky else 'roundrobin' }}
{% if svc.health %}
    option httpchk GET {{ svc.health }}
    http-check expect status 200
{% else %}
    # no health check for {{ svc.name }}
{% endif %}
{% if svc.sticky %}
    cookie SRV insert indirect nocache
{% endif %}
{% for b in svc.backends if b.enabled %}
    server {{ b.host | replace('.internal', '') }} {{ b.ip }}:{{ svc.port }} check weight {{ svc.weight }}{{ ' backup' if b.backup }}{{ ' cookie ' ~ loop.index if svc.sticky }}
{% endfor %}
    # {{ svc.backends | selectattr('enabled') | list | length }} of {{ svc.backends | length }} servers enabled

{% endfor %}
# summary
{% set total = namespace(n=0) %}
{% for svc in services %}
{% set total.n = total.n + svc.backends | length %}
# {{ '%-10s' | format(svc.name) }} port={{ svc.port }} weight={{ svc.weight }} path={{ svc.path }}
{% endfor %}
# {{ total.n }} servers in {{ services | length }} backends
{% macro upstream(svc) -%}
upstream {{ svc.name }} {
{% for b in svc.backends %}
    server {{ b.ip }}:{{ svc.port }}{{ ' down' if not b.enabled }};
{% endfor %}
}
{%- endmacro %}
{% for svc in services %}
{{ upstream(svc) }}
{% endfor %}

# nginx front for the same services
{% for svc in services | sort(attribute='name') %}
server {
    listen 443 ssl http2;
    server_name {{ svc.name }}.{{ env }}.example.org;
    ssl_certificate {{ tls.cert }};
    location {{ svc.path }} {
        proxy_pass http://{{ svc.name }};
        proxy_set_header Host $host;
        proxy_set_header X-Real-IP $remote_addr;
{% if svc.sticky %}
        proxy_cookie_path / "/; HTTPOnly; Secure";
{% endif %}
{% for name, value in extra_headers.items() %}
        add_header {{ name }} "{{ value }}" always;
{% endfor %}
    }
{% if svc.health %}
    location = {{ svc.health }} {
        access_log off;
        return 200 "ok\\n";
    }
{% endif %}
}
{% endfor %}

# kernel settings
{% for key, value in sysctl | dictsort %}
{{ key }} = {{ value }}
{% endfor %}

# admin accounts
{% for user in admins %}
{{ user.name }}:x:{{ user.uid }}:{{ user.uid }}::/home/{{ user.name }}:{{ user.shell }}
{% for key in user['keys'] %}
#   key {{ loop.index }}/{{ loop.length }}: {{ key.split(' ')[0] }} {{ key.split(' ')[-1] }}
{% else %}
#   no keys for {{ user.name }}
{% endfor %}
{% endfor %}
# shells: {{ admins | map(attribute='shell') | unique | join(', ') }}

# log rotation
/var/log/haproxy/*.log {
    rotate {{ logrotate.rotate }}
    size {{ logrotate.size }}
{% if logrotate.compress %}
    compress
    delaycompress
{% endif %}
    missingok
    notifempty
    postrotate
        /bin/kill -HUP $(cat /run/haproxy.pid 2>/dev/null) 2>/dev/null || true
    endscript
}

# firewall (nftables)
table inet filter {
    chain input {
        type filter hook input priority 0; policy {{ firewall.default_policy }};
        ct state established,related accept
        iif lo accept
{% for rule in firewall.allow %}
{% if rule.from %}
{% for src in rule.from %}
        ip saddr {{ src }} {{ rule.proto }} dport {{ rule.port }} accept  # rule {{ loop.index }} of {{ rule.from | length }}
{% endfor %}
{% else %}
        {{ rule.proto }} dport {{ rule.port }} accept
{% endif %}
{% endfor %}
    }
    chain forward {
        type filter hook forward priority 0; policy drop;
    }
}

# prometheus scrape targets
scrape_configs:
{% for svc in services %}
  - job_name: "{{ svc.name }}"
    scrape_interval: {{ scrape_interval * (2 if svc.sticky else 1) }}s
    metrics_path: {{ (svc.health or '/metrics') | replace('healthz', 'metrics') }}
    static_configs:
      - targets: [{% for b in svc.backends %}"{{ b.ip }}:{{ svc.port }}"{{ ", " if not loop.last }}{% endfor %}]
        labels:
          env: {{ env }}
          weight: "{{ svc.weight }}"
{% endfor %}
# {{ services | map(attribute='backends') | map('length') | sum }} targets total
# generated for {{ inventory_hostname }} ({{ inventory_hostname.split('.')[0] }}) in {{ env }}
`;

interface Rate {
  rate: number;
  best: number;
}

const PYTHON_BENCH = `
import json, sys, time
from jinja2 import Environment
data = json.loads(sys.stdin.readline())
env = Environment(trim_blocks=True)
tpl = env.from_string(data['template'])
out = tpl.render(**data['vars'])
for _ in range(200):
    tpl.render(**data['vars'])
print(json.dumps({'output': out}), flush=True)
for line in sys.stdin:
    n = int(line)
    start = time.perf_counter()
    for _ in range(n):
        tpl.render(**data['vars'])
    print(time.perf_counter() - start, flush=True)
`;

/** CPython's Jinja2 in a child process that renders on request and reports the time taken. */
class PythonJinja {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;

  constructor(python: string) {
    this.child = spawn(python, ['-c', PYTHON_BENCH]);
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
    this.child.stdin.write(`${JSON.stringify({ template: TEMPLATE, vars: fromPy(toPy(VARS)) })}\n`);
  }

  async next(): Promise<string> {
    const line = await this.lines.next();
    if (line.done) throw new Error('CPython Jinja2 exited early');
    return line.value;
  }

  async render(n: number): Promise<number> {
    this.child.stdin.write(`${n}\n`);
    return Number(await this.next());
  }

  close(): void {
    this.child.stdin.end();
  }
}

function fleetRound(templar: Templar, n: number): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) templar.renderFile(TEMPLATE);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Alternating rounds, so that both engines see the same machine load. */
async function main(): Promise<void> {
  const rounds = 5;
  const perRound = Math.max(1, Math.floor(RENDERS / rounds));
  const templar = new Templar({ vars: toPy(VARS) as PyDict });
  const fleetOutput = templar.renderFile(TEMPLATE);
  fleetRound(templar, 200); // warm up the JIT
  let python: PythonJinja | undefined;
  let pythonOutput = '';
  let skipped = WITH_PYTHON ? '' : 'not requested (--no-python)';
  if (WITH_PYTHON && !existsSync(PYTHON)) skipped = `${PYTHON} is not installed`;
  if (!skipped) {
    try {
      python = new PythonJinja(PYTHON);
      pythonOutput = (JSON.parse(await python.next()) as { output: string }).output;
    } catch (e) {
      skipped = `CPython Jinja2 could not run: ${(e as Error).message}`;
      python = undefined;
    }
  }
  const fleetTimes: number[] = [];
  const pythonTimes: number[] = [];
  for (let r = 0; r < rounds; r++) {
    fleetTimes.push(fleetRound(templar, perRound));
    if (python) pythonTimes.push(await python.render(perRound));
  }
  python?.close();
  const rate = (times: number[]): Rate => ({
    rate: (perRound * times.length) / times.reduce((a, b) => a + b, 0),
    best: perRound / Math.min(...times),
  });
  const fleet = rate(fleetTimes);
  console.log(`template: ${TEMPLATE.split('\n').length} lines in, ${fleetOutput.split('\n').length} lines out; ${perRound * rounds} renders each, in ${rounds} alternating rounds`);
  console.log(`fleet (TypeScript):  ${fleet.rate.toFixed(0)} renders/s (best round ${fleet.best.toFixed(0)})`);
  if (!python) {
    console.log(`CPython Jinja2: skipped (${skipped})`);
    return;
  }
  const py = rate(pythonTimes);
  // Jinja2 drops the final newline that Ansible's template module puts back.
  const same = pythonOutput === fleetOutput || `${pythonOutput}\n` === fleetOutput;
  console.log(`CPython Jinja2 3.1: ${py.rate.toFixed(0)} renders/s (best round ${py.best.toFixed(0)})`);
  console.log(`fleet / CPython: ${(fleet.rate / py.rate).toFixed(2)}x; outputs ${same ? 'identical' : 'DIFFER'}`);
}

void main();
