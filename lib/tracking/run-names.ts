import { randomInt } from "node:crypto";

/**
 * Names for runs created without one, shaped like MLflow's (`adjective-noun-NNN`). The word lists
 * are our own; what clients rely on is only that a name is present and readable.
 */
const ADJECTIVES = [
  "agile", "amber", "ample", "bold", "brave", "bright", "brisk", "calm", "clever", "crisp",
  "curious", "dapper", "daring", "eager", "early", "fearless", "fleet", "gentle", "glad", "golden",
  "grand", "honest", "humble", "jolly", "keen", "kind", "lively", "lucid", "mellow", "merry",
  "nimble", "noble", "placid", "polite", "proud", "quick", "quiet", "rapid", "sharp", "shiny",
  "silent", "smooth", "snappy", "steady", "sunny", "swift", "tidy", "upbeat", "vivid", "witty",
] as const;
const NOUNS = [
  "otter", "falcon", "heron", "lynx", "badger", "beaver", "bison", "crane", "dolphin", "eagle",
  "ferret", "finch", "fox", "gecko", "gull", "hare", "hawk", "ibis", "jay", "koala",
  "lark", "lemur", "marmot", "mole", "moose", "newt", "owl", "panda", "puffin", "quail",
  "raven", "robin", "salmon", "seal", "shrew", "sparrow", "stork", "swan", "tapir", "tern",
  "toad", "trout", "turtle", "vole", "walrus", "wasp", "whale", "wolf", "wren", "yak",
] as const;

export function generateRunName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}-${randomInt(1000)}`;
}
