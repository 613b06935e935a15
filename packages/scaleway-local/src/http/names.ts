import { randomInt } from "node:crypto";

const ADJECTIVES = ["brave", "calm", "eager", "gentle", "happy", "keen", "lucid", "merry", "proud", "quiet", "swift"];
const NOUNS = ["curie", "hopper", "lovelace", "noether", "pascal", "shannon", "turing", "volta", "wu", "yalow"];

/** A readable name like the ones the API gives a resource created without one (`app-keen-turing`). */
export function randomName(prefix: string): string {
  return `${prefix}-${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}`;
}
