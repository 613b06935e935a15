import type { ServerResponse } from "node:http";
import type { HostHandler } from "../../context";
import type { ContainerRecord, ContainersModel } from "./model";
import { tokenOpens } from "./tokens";
import { GONE } from "./transitions";

/** Hosts of container endpoints: `<namespace><id>-<container>.functions.fnc.<region>.scw.cloud`. */
export const ENDPOINT_HOSTS = /\.functions\.fnc\.[a-z0-9-]+\.scw\.cloud$/;

/**
 * What a container's public endpoint answers through the local proxy. No image runs:
 * the health path answers 200 once the container is ready (503 before), other paths a
 * short description of the container, with the names of its environment variables and
 * never a value or a secret. Private containers want a token of theirs in `X-Auth-Token`.
 */
export function endpointHandler(model: ContainersModel): HostHandler {
  return (request, response) => {
    request.resume();
    const host = (request.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
    const container = containerAt(model, host);
    if (!container) return send(response, 404, { message: `no container answers ${host}`, type: "not_found" });

    if (container.privacy === "private") {
      const token = request.headers["x-auth-token"];
      if (typeof token !== "string" || token === "") {
        return send(response, 401, { message: "this container is private: send a token in X-Auth-Token" });
      }
      if (!tokenOpens(model, token, container)) {
        return send(response, 403, { message: "the token does not open this container" });
      }
    }

    const status = model.transitions.peek(container);
    const path = new URL(request.url ?? "/", "https://container.invalid").pathname;
    const healthPaths = ["/health", container.liveness_probe.http?.path ?? "/health"];
    if (healthPaths.includes(path)) {
      return status === "ready"
        ? send(response, 200, { status: "ok", container: container.name })
        : send(response, 503, { status, container: container.name });
    }
    if (status !== "ready") return send(response, 503, { status, container: container.name });
    const namespace = model.collection("namespace").get(container.namespace_id);
    const names = new Set([
      ...Object.keys(namespace?.environment_variables ?? {}),
      ...Object.keys(container.environment_variables),
    ]);
    return send(response, 200, {
      container: container.name,
      namespace: namespace?.name ?? null,
      image: container.image,
      status,
      method: request.method,
      path,
      environment_variables: [...names].sort(),
    });
  };
}

function containerAt(model: ContainersModel, host: string): ContainerRecord | undefined {
  return model
    .collection("container")
    .list((c) => new URL(c.public_endpoint).hostname === host)
    .find((c) => model.transitions.peek(c) !== GONE);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}
