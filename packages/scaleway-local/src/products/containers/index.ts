import type { Product } from "../../context";

/** Not served yet: its routes are being written. */
export const containers: Product = {
  name: "containers",
  register() {},
};
