import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { isObject, type JsonObject } from './patches.js';

/**
 * The API server's validation for the fields a canary touches (apps/v1 Deployment and
 * core/v1 Service), so a wrongly cloned object is rejected here the way a real cluster
 * would reject it (422 Invalid, with one cause per field).
 */
export interface Cause {
  field: string;
  message: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function validateDeployment(object: JsonObject, live?: JsonObject): Cause[] {
  const causes: Cause[] = [];
  const meta = isObject(object.metadata) ? object.metadata : {};
  const name = String(meta.name ?? '');
  if (!DNS_SUBDOMAIN.test(name) || name.length > 253)
    causes.push({
      field: 'metadata.name',
      message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain`,
    });
  const spec = isObject(object.spec) ? object.spec : {};
  if (
    spec.replicas !== undefined &&
    (!Number.isInteger(spec.replicas) || (spec.replicas as number) < 0)
  ) {
    causes.push({ field: 'spec.replicas', message: 'must be greater than or equal to 0' });
  }
  const selector =
    isObject(spec.selector) && isObject(spec.selector.matchLabels)
      ? spec.selector.matchLabels
      : undefined;
  if (!selector || Object.keys(selector).length === 0)
    causes.push({ field: 'spec.selector', message: 'Required value' });
  const template = isObject(spec.template) ? spec.template : {};
  const labels =
    isObject(template.metadata) && isObject(template.metadata.labels)
      ? template.metadata.labels
      : {};
  if (selector && Object.entries(selector).some(([k, v]) => labels[k] !== v)) {
    causes.push({
      field: 'spec.template.metadata.labels',
      message: '`selector` does not match template `labels`',
    });
  }
  const podSpec = isObject(template.spec) ? template.spec : {};
  const containers = Array.isArray(podSpec.containers) ? podSpec.containers : [];
  if (containers.length === 0)
    causes.push({ field: 'spec.template.spec.containers', message: 'Required value' });
  const names = new Set<string>();
  containers.forEach((c, i) => {
    if (!isObject(c) || typeof c.name !== 'string' || !c.name)
      causes.push({ field: `spec.template.spec.containers[${i}].name`, message: 'Required value' });
    else if (names.has(c.name))
      causes.push({
        field: `spec.template.spec.containers[${i}].name`,
        message: `Duplicate value: "${c.name}"`,
      });
    else names.add(c.name);
    if (!isObject(c) || typeof c.image !== 'string' || !c.image)
      causes.push({
        field: `spec.template.spec.containers[${i}].image`,
        message: 'Required value',
      });
  });
  if (
    live &&
    JSON.stringify((live.spec as JsonObject).selector) !== JSON.stringify(spec.selector)
  ) {
    causes.push({ field: 'spec.selector', message: 'Invalid value: field is immutable' });
  }
  return causes;
}

export function validateService(object: JsonObject): Cause[] {
  const spec = isObject(object.spec) ? object.spec : {};
  return Array.isArray(spec.ports) && spec.ports.length > 0
    ? []
    : [{ field: 'spec.ports', message: 'Required value' }];
}

/**
 * An HTTPRoute against the Gateway API v1 schema (the CRD's OpenAPI schema, as the API
 * server checks custom resources), one cause per violation.
 */
export function validateHttpRoute(object: JsonObject): Cause[] {
  try {
    new HTTPRoute(object as unknown as ConstructorParameters<typeof HTTPRoute>[0]).validate();
    return [];
  } catch (e) {
    const errors = (e as { errors?: Array<{ instancePath?: string; message?: string }> }).errors;
    if (!Array.isArray(errors)) return [{ field: '<root>', message: String(e) }];
    return errors.map((err) => ({
      field: (err.instancePath ?? '')
        .split('/')
        .filter(Boolean)
        .map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`))
        .join('')
        .replace(/^\./, ''),
      message: `Invalid value: ${err.message ?? 'invalid'}`,
    }));
  }
}
