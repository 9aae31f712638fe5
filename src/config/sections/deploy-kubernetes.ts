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
    requestTimeout: duration('60s').describe(
      'Time limit of each kubectl call other than `rollout status` (those are bounded by deploy.timeout).',
    ),
  })
  .prefault({})
  .describe('The kubernetes target: stable, canary and baseline Deployments through kubectl.');

export type KubernetesDeployConfig = z.output<typeof kubernetesDeploySection>;
