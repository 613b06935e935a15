import type { Product } from "../../context";
import { handleS3 } from "./handler";
import { serviceFor } from "./registry";
import { S3_HOST } from "./request";

export { startPlainS3Endpoint, type PlainS3Endpoint } from "./plain";

/**
 * Object Storage: an S3-compatible server for `<bucket>.s3.<region>.scw.cloud` and
 * `s3.<region>.scw.cloud/<bucket>`, reached through the HTTPS proxy (the provider
 * hard-codes those hosts), and over plain HTTP with startPlainS3Endpoint.
 */
export const object: Product = {
  name: "object",
  register(_routes, context) {
    const service = serviceFor(context);
    context.hosts.register(S3_HOST, (request, response) => handleS3(service, request, response));
  },
};
