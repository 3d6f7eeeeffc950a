/**
 * deploy/k8s: every manifest validated against the Kubernetes schemas (tests/deploy/k8s-schema.ts),
 * the kustomization complete, and the settings the design and the runbook rely on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { REPO } from '../helpers/run-cli.js';
import { unknownFields, validateManifest } from './k8s-schema.js';

const K8S = join(REPO, 'deploy/k8s');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;
const docsOf = (file: string): Doc[] => parseAllDocuments(readFileSync(join(K8S, file), 'utf8')).map((d) => {
  if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
  return d.toJS();
});
const kustomization = parse(readFileSync(join(K8S, 'kustomization.yaml'), 'utf8'));
const manifests = [...readdirSync(K8S).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml'), ...readdirSync(join(K8S, 'jobs')).map((f) => `jobs/${f}`)];
const all = manifests.flatMap((f) => docsOf(f).map((doc, i) => ({ file: f, i, doc })));
const find = (kind: string, name: string): Doc => all.find((m) => m.doc.kind === kind && m.doc.metadata.name === name)!.doc;

/** The GPU overlay's Deployment: the base with the patch merged (containers by name), as kustomize does. */
function gpuDeployment(): Doc {
  const base = structuredClone(find('Deployment', 'ttm'));
  const patch = parse(readFileSync(join(K8S, 'overlays/gpu/deployment-gpu.yaml'), 'utf8'));
  const spec = base.spec.template.spec;
  const p = patch.spec.template.spec;
  spec.nodeSelector = { ...spec.nodeSelector, ...p.nodeSelector };
  spec.tolerations = [...(spec.tolerations ?? []), ...p.tolerations];
  for (const c of p.containers) {
    const target = spec.containers.find((x: Doc) => x.name === c.name);
    expect(target, `patch container ${c.name} exists in the base`).toBeDefined();
    target.resources.limits = { ...target.resources.limits, ...c.resources.limits };
  }
  return base;
}

describe('deploy/k8s manifests', () => {
  it('are valid against the Kubernetes schemas (types, required fields, no unknown field)', () => {
    expect(all.length).toBeGreaterThanOrEqual(9);
    for (const m of all) validateManifest(m.doc, `${m.file}#${m.i}`);
    validateManifest(gpuDeployment(), 'overlays/gpu (base + patch)');
  });

  it('the validation catches a misspelt field, a wrong type and a missing required field', () => {
    const d = structuredClone(find('Deployment', 'ttm'));
    d.spec.template.spec.containers[0].readinesProbe = d.spec.template.spec.containers[0].readinessProbe;
    expect(() => validateManifest(d, 'typo')).toThrow(/unknown field\(s\) spec\.template\.spec\.containers\[0\]\.readinesProbe/);
    const h = structuredClone(find('HorizontalPodAutoscaler', 'ttm'));
    h.spec.maxReplicas = 'ten';
    expect(() => validateManifest(h, 'type')).toThrow(/maxReplicas must be integer/);
    const j = structuredClone(find('Job', 'ttm-predict-all'));
    delete j.spec.template.spec.containers[0].name;
    expect(() => validateManifest(j, 'required')).toThrow(/containers\/0 must have required property name/);
    expect(unknownFields({ spec: { completionz: 3 } }, 'V1Job')).toEqual(['spec.completionz']);
  });

  it('the kustomization lists every manifest outside jobs/ (the Jobs are created per run)', () => {
    const top = manifests.filter((f) => !f.startsWith('jobs/'));
    expect([...kustomization.resources].sort()).toEqual(top.sort());
    const overlay = parse(readFileSync(join(K8S, 'overlays/gpu/kustomization.yaml'), 'utf8'));
    expect(overlay.resources).toEqual(['../..']);
    expect(overlay.images[0].newTag).toMatch(/-gpu$/);
  });

  it('Deployment: 3 replicas, probes on /health at the server port, keys from the Secret via TTM_AUTH_FILE, registry on the volume', () => {
    const d = find('Deployment', 'ttm');
    expect(d.spec.replicas).toBe(3);
    const spec = d.spec.template.spec;
    const c = spec.containers[0];
    const port = c.ports.find((p: Doc) => p.name === 'http');
    expect(port.containerPort).toBe(8000);
    expect(c.args).toContain('--port=8000');
    for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) expect(probe.httpGet).toEqual({ path: '/health', port: 'http' });
    expect(c.resources.requests).toBeDefined();
    expect(c.resources.limits).toBeDefined();
    const authFile = c.env.find((e: Doc) => e.name === 'TTM_AUTH_FILE').value;
    const authMount = c.volumeMounts.find((m: Doc) => authFile.startsWith(`${m.mountPath}/`));
    const authVolume = spec.volumes.find((v: Doc) => v.name === authMount.name);
    expect(authVolume.secret.secretName).toBe('ttm-auth');
    expect(authVolume.secret.items.map((i: Doc) => `${authMount.mountPath}/${i.path}`)).toContain(authFile);
    const registry = c.args.find((a: string) => a.startsWith('--registry=')).slice('--registry='.length);
    const dataMount = c.volumeMounts.find((m: Doc) => registry.startsWith(`${m.mountPath}/`));
    expect(spec.volumes.find((v: Doc) => v.name === dataMount.name).persistentVolumeClaim.claimName).toBe(find('PersistentVolumeClaim', 'ttm-data').metadata.name);
    expect(spec.securityContext.runAsNonRoot).toBe(true);
    const svc = find('Service', 'ttm');
    expect(svc.spec.selector).toEqual(d.spec.selector.matchLabels);
    expect(svc.spec.ports[0].targetPort).toBe('http');
    expect(gpuDeployment().spec.template.spec.containers[0].resources.limits['nvidia.com/gpu']).toBe(1);
  });

  it('HPA: 2-10 replicas on CPU 70% and 100 requests/s per pod, the metric prometheus-adapter derives from ttm_http_requests_total', () => {
    const h = find('HorizontalPodAutoscaler', 'ttm');
    expect(h.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'ttm' });
    expect([h.spec.minReplicas, h.spec.maxReplicas]).toEqual([2, 10]);
    const cpu = h.spec.metrics.find((m: Doc) => m.type === 'Resource');
    expect(cpu.resource).toEqual({ name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } });
    const pods = h.spec.metrics.find((m: Doc) => m.type === 'Pods');
    expect(pods.pods.target).toEqual({ type: 'AverageValue', averageValue: '100' });
    const rule = parse(readFileSync(join(REPO, 'deploy/prometheus-adapter/rules.yaml'), 'utf8')).rules.custom[0];
    const series = /^(\w+)\{/.exec(rule.seriesQuery)![1];
    expect(series).toBe('ttm_http_requests_total');
    expect(series.replace(new RegExp(rule.name.matches), rule.name.as.replace('${1}', '$1'))).toBe(pods.pods.metric.name);
  });

  it('CronJob: weekly ttm evaluate, failing the Job at once on exit 7', () => {
    const cj = find('CronJob', 'ttm-evaluate');
    expect(cj.spec.schedule.split(' ')).toHaveLength(5);
    expect(cj.spec.schedule.split(' ')[4]).toMatch(/^\d$/);
    const job = cj.spec.jobTemplate.spec;
    expect(job.template.spec.restartPolicy).toBe('Never');
    const rule = job.podFailurePolicy.rules.find((r: Doc) => r.onExitCodes?.values.includes(7));
    expect(rule.action).toBe('FailJob');
    expect(rule.onExitCodes.operator).toBe('In');
    expect(job.template.spec.containers[0].args.join(' ')).toMatch(/exec node \/app\/bin\/ttm\.js evaluate\b[\s\S]*--metrics-file \/data\/metrics\/ttm-evaluation\.prom/);
  });

  it('Indexed Job: ttm predict --all over N pods, TTM_SHARDS = completions, each index retried alone', () => {
    const j = find('Job', 'ttm-predict-all');
    expect(j.spec.completionMode).toBe('Indexed');
    const c = j.spec.template.spec.containers[0];
    expect(c.env.find((e: Doc) => e.name === 'TTM_SHARDS').value).toBe(String(j.spec.completions));
    expect(j.spec.backoffLimitPerIndex).toBeGreaterThan(0);
    expect(j.spec.podFailurePolicy.rules[0].action).toBe('FailIndex');
    expect(c.args.join(' ')).toMatch(/ttm\.js predict --all\b/);
    const merge = find('Job', 'ttm-predict-merge');
    expect(merge.spec.template.spec.containers[0].env.find((e: Doc) => e.name === 'TTM_SHARDS').value).toBe(String(j.spec.completions));
  });
});
