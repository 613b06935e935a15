import type { Product } from "../../context";

/** Not served yet: its routes are being written. */
export const cockpit: Product = {
  name: "cockpit",
  register() {},
};
