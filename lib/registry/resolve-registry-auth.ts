import "server-only";
import type { SecretSource } from "@/lib/config/environment";
import type { RegistryConfig } from "@/lib/config/schema";
import { RegistryError, type RegistryAuth } from "./types";

/** A registry's `auth` as written in slipway.yaml: names of environment variables, never the secrets. */
export type RegistryAuthConfig = RegistryConfig["auth"];

/**
 * Reads the credentials a registry's slipway.yaml `auth` names from the environment. Throws a RegistryError
 * naming the variable when one is missing or empty, so the fix is obvious from the message alone.
 */
export function resolveRegistryAuth(
  auth: RegistryAuthConfig,
  secret: SecretSource,
  registryName = "",
): RegistryAuth {
  if (auth === undefined) return { type: "none" };
  if ("basic" in auth) {
    return {
      type: "basic",
      username: readVariable(secret, auth.basic.usernameEnv, "auth.basic.usernameEnv", registryName),
      password: readVariable(secret, auth.basic.passwordEnv, "auth.basic.passwordEnv", registryName),
    };
  }
  return { type: "bearer", token: readVariable(secret, auth.bearer.tokenEnv, "auth.bearer.tokenEnv", registryName) };
}

function readVariable(secret: SecretSource, name: string, key: string, registryName: string): string {
  const value = secret(name);
  if (value === undefined) {
    const registry = registryName ? `registry "${registryName}"` : "a registry";
    throw new RegistryError(
      `environment variable ${name} is not set: ${registry} names it in slipway.yaml (${key}); set it or remove the registry's auth`,
      registryName,
    );
  }
  return value;
}
