import type { Product } from "../../context";

/** Not served yet: its routes are being written. */
export const object: Product = {
  name: "object",
  register() {},
};
