import { z } from 'zod';
import { duration } from '../types.js';

/** A Kubernetes object name (RFC 1123 subdomain), checked before any kubectl call. */
const objectName = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
    error: 'expected a Kubernetes name: lowercase letters, digits, "-" and "."',
  });

/**
 * The kubernetes target. The kubeconfig is found, first match wins: the action's
 * `kubeconfig` input (written to a 0600 temporary file), `kubeconfig` here, `KUBECONFIG`,
 * then kubectl's own default (~/.kube/config, or in-cluster).
 */
export const kubernetesDeploySection = z
  .strictObject({
    namespace: objectName.default('default').describe('Namespace of the stable Deployment.'),
    deployment: objectName
      .optional()
      .describe(
        'Name of the stable Deployment (labelled track=stable). Required for the kubernetes target; canary and baseline are `<name>-canary` and `<name>-baseline`.',
      ),
    manifests: z
      .array(z.string().min(1))
      .default([])
      .describe(
        "The team's manifests, which are the release: files, directories (their *.yaml), globs (`k8s/**/*.yaml`) or kustomize directories (rendered with `kubectl kustomize`), relative to the repository root. The Deployment named `deployment` ships as written with the built image: as the canary at deploy, as stable at promote; the other objects are applied as docs/kubernetes.md says. Empty: the canary is a clone of the live stable with only the image changed.",
      ),
    container: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Container whose image is replaced. Default: the only container; required when the pod has several.',
      ),
    context: z
      .string()
      .min(1)
      .optional()
      .describe('kubeconfig context to use (`kubectl --context`). Default: the current context.'),
    kubeconfig: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Path of a kubeconfig file, relative to the repository root. Default: the action input `kubeconfig`, else `KUBECONFIG`, else ~/.kube/config.',
      ),
    kubectl: z
      .string()
      .min(1)
      .default('kubectl')
      .describe('The kubectl program (a name on PATH or a path).'),
    traffic: z
      .enum(['replicas', 'gateway-api'])
      .default('replicas')
      .describe(
        'How canary and baseline get their share. `replicas`: the Service spreads requests over all pods, so the share follows the replica counts (docs/kubernetes.md tabulates the real split). `gateway-api`: the HTTPRoute `httpRoute` gets weighted backendRefs for a stable, a canary and a baseline Service (made by the target), so the share is exact.',
      ),
    httpRoute: z
      .strictObject({
        name: objectName.describe(
          'The HTTPRoute (gateway.networking.k8s.io/v1), in `namespace`, whose rule sends to `service`.',
        ),
        service: objectName
          .optional()
          .describe(
            'The stable Service the route sends to today. Default: `deployment`. Its selector and ports are copied into `<service>-stable`, `-canary` and `-baseline`.',
          ),
      })
      .optional()
      .describe('The route `traffic: gateway-api` splits. Required with it.'),
    requestTimeout: duration('60s').describe(
      'Time limit of each kubectl call other than `rollout status` (those are bounded by deploy.timeout).',
    ),
  })
  .prefault({})
  .describe('The kubernetes target: stable, canary and baseline Deployments through kubectl.');

export type KubernetesDeployConfig = z.output<typeof kubernetesDeploySection>;
