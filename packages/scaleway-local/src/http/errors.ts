/**
 * Errors in the JSON shapes the Scaleway API answers, so that the SDKs and the
 * provider react to them as they do in production (retry, not-found, conflict...).
 */
export class ScalewayError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message ?? `HTTP ${status}`));
  }
}

export function notFound(resource: string, resourceId: string): ScalewayError {
  return new ScalewayError(404, {
    message: "resource is not found",
    resource,
    resource_id: resourceId,
    type: "not_found",
  });
}

export interface ArgumentDetail {
  readonly argument_name: string;
  readonly reason: "required" | "constraint" | "unknown";
  readonly help_message: string;
}

export function invalidArguments(details: ArgumentDetail[]): ScalewayError {
  return new ScalewayError(400, { details, message: "invalid argument(s)", type: "invalid_arguments" });
}

export function invalidArgument(argument: string, help: string, reason: ArgumentDetail["reason"] = "constraint") {
  return invalidArguments([{ argument_name: argument, reason, help_message: help }]);
}

export function conflict(resource: string, resourceId: string, help?: string): ScalewayError {
  return new ScalewayError(409, {
    message: help ?? `resource ${resource} is in a transient state or already exists`,
    resource,
    resource_id: resourceId,
    type: "conflict",
  });
}

export function transientState(resource: string, resourceId: string, currentState: string): ScalewayError {
  return new ScalewayError(409, {
    current_state: currentState,
    message: "resource is in a transient state",
    resource,
    resource_id: resourceId,
    type: "transient_state",
  });
}

export function preconditionFailed(precondition: string, help: string): ScalewayError {
  return new ScalewayError(412, {
    help_message: help,
    message: "precondition is not respected",
    precondition,
    type: "precondition_failed",
  });
}

export function unauthorized(): ScalewayError {
  return new ScalewayError(401, {
    message: "authentication is denied",
    method: "api_key",
    reason: "invalid_argument",
    type: "denied_authentication",
  });
}

export function permissionsDenied(action: string, resource: string): ScalewayError {
  return new ScalewayError(403, {
    details: [{ action, resource }],
    message: "insufficient permissions",
    type: "permissions_denied",
  });
}

export function quotaExceeded(resource: string, quota: number, current: number): ScalewayError {
  return new ScalewayError(403, {
    details: [{ current, quota, resource }],
    message: "quota(s) exceeded for this resource",
    type: "quotas_exceeded",
  });
}

export function rateLimited(retryAfterSeconds: number): ScalewayError {
  return new ScalewayError(
    429,
    { message: "too many requests", type: "too_many_requests" },
    { "retry-after": String(retryAfterSeconds) },
  );
}

export function serverError(status: 500 | 502 | 503): ScalewayError {
  const message = status === 503 ? "service unavailable" : status === 502 ? "bad gateway" : "internal error";
  return new ScalewayError(status, { message, type: status === 500 ? "internal_error" : "service_unavailable" });
}
