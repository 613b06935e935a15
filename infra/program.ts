import * as pulumi from "@pulumi/pulumi";
import {
  AppStack,
  ConfigValidationError,
  fromConfigMap,
  parseStackConfig,
  resolveProjectId,
} from "@sovstack/components";

/**
 * The evaluation platform: everything comes from the stack's configuration file, so
 * another environment or another team's stack is a new Pulumi.<stack>.yaml.
 */
export function evalPlatform(
  configMap: Record<string, unknown>,
  stackName: string,
  opts?: pulumi.ComponentResourceOptions,
) {
  let stack: AppStack;
  try {
    const config = parseStackConfig(fromConfigMap(configMap), `Pulumi.${stackName}.yaml`);
    const projectId = resolveProjectId(config.projectId);
    stack = new AppStack(`${config.namePrefix}-${config.environment}`, { config, projectId }, opts);
  } catch (error) {
    // A RunError is shown without a stack trace: the message says all.
    if (error instanceof ConfigValidationError) throw new pulumi.RunError(error.message);
    throw error;
  }
  return {
    endpoints: stack.endpoints,
    publicEndpoints: stack.publicEndpoints,
    databaseHost: stack.databaseHost,
    databasePort: stack.databasePort,
    databaseName: stack.databaseName,
    databaseUser: stack.databaseUser,
    // Encrypted in the state; shown only on request (`pulumi stack output --show-secrets`).
    databasePassword: stack.database ? pulumi.secret(stack.database.password) : undefined,
    bucketNames: stack.bucketNames,
    privateNetworkId: stack.privateNetworkId,
  };
}
