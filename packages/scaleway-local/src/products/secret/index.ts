import type { Product } from "../../context";

/** Not served yet: its routes are being written. */
export const secret: Product = {
  name: "secret",
  register() {},
};
