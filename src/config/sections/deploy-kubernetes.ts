import { z } from 'zod';

// Placeholder written by the deploy-stage helper so the deploy section compiles; the
// kubernetes-target helper owns this file and replaces it (namespace, deployment,
// container, kubeconfig handling).
export const kubernetesDeploySection = z
  .strictObject({
    namespace: z.string().default('default').describe('Namespace of the stable Deployment.'),
    deployment: z.string().optional().describe('Name of the stable Deployment.'),
    container: z
      .string()
      .optional()
      .describe('Container whose image is replaced (default: the first).'),
  })
  .prefault({})
  .describe('The kubernetes target.');
