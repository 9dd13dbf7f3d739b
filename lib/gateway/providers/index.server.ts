import "server-only";
import type { GatewayConfig } from "../config";
import { anthropicProvider } from "./anthropic";
import { dummyProvider } from "./dummy";
import { openaiProvider } from "./openai";
import type { Provider } from "./types";

/** One provider instance per configured provider (each holds its own keep-alive connections). */
export function buildProviders(config: GatewayConfig, random: () => number = Math.random): Map<string, Provider> {
  const providers = new Map<string, Provider>();
  for (const [name, provider] of Object.entries(config.providers)) {
    switch (provider.type) {
      case "openai":
        providers.set(name, openaiProvider(name, provider));
        break;
      case "anthropic":
        providers.set(name, anthropicProvider(name, provider));
        break;
      case "dummy":
        providers.set(name, dummyProvider(name, provider, random));
        break;
    }
  }
  return providers;
}
