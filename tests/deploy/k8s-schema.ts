/**
 * Validation of Kubernetes manifests against the Kubernetes API's own schemas, as two libraries
 * generated from the API's OpenAPI document give them: kubernetes-models validates types,
 * formats, enums and required fields (ajv), and @kubernetes/client-node's model attribute maps
 * list every field a type has, which catches what kubernetes-models lets through: unknown
 * (misspelt) fields, which the API server rejects under strict field validation.
 */
import * as models from '@kubernetes/client-node/dist/gen/models/all.js';
import { Service } from 'kubernetes-models/v1/Service';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Job } from 'kubernetes-models/batch/v1/Job';

type Validating = new (data: object) => { validate(): void };
const KINDS: Record<string, Validating> = {
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/CronJob': CronJob,
  'batch/v1/Job': Job,
};

interface AttributeType {
  baseName: string;
  type: string;
}
type Model = { getAttributeTypeMap(): AttributeType[] };
const MODELS = models as unknown as Record<string, Model | undefined>;

/** client-node's class name for an apiVersion and kind: apps/v1 Deployment → V1Deployment. */
function modelName(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').pop()!;
  return `${version[0].toUpperCase()}${version.slice(1)}${kind}`;
}

/** Paths of the fields the type does not have, e.g. "spec.template.spec.containers[0].readinesProbe". */
export function unknownFields(value: unknown, type: string, path = ''): string[] {
  if (value === null || value === undefined) return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return Array.isArray(value) ? value.flatMap((v, i) => unknownFields(v, array[1], `${path}[${i}]`)) : [];
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => unknownFields(v, map[1], `${path}.${k}`)) : [];
  const model = MODELS[type];
  if (!model || typeof value !== 'object' || Array.isArray(value)) return [];
  const fields = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  return Object.entries(value).flatMap(([k, v]) => {
    const t = fields.get(k);
    const at = path ? `${path}.${k}` : k;
    return t === undefined ? [at] : unknownFields(v, t, at);
  });
}

/** Throws with every problem of one manifest: unsupported kind, schema errors, unknown fields. */
export function validateManifest(doc: { apiVersion?: string; kind?: string }, where: string): void {
  const key = `${doc.apiVersion}/${doc.kind}`;
  const Kind = KINDS[key];
  if (!Kind) throw new Error(`${where}: no schema here for ${key}`);
  try {
    new Kind(doc).validate();
  } catch (err) {
    throw new Error(`${where} (${key}): ${(err as Error).message}`);
  }
  const unknown = unknownFields(doc, modelName(doc.apiVersion!, doc.kind!));
  if (unknown.length) throw new Error(`${where} (${key}): unknown field(s) ${unknown.join(', ')}`);
}
