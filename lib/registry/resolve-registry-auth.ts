import "server-only";
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
  env: NodeJS.ProcessEnv,
  registryName = "",
): RegistryAuth {
  if (auth === undefined) return { type: "none" };
  if ("basic" in auth) {
    return {
      type: "basic",
      username: readVariable(env, auth.basic.usernameEnv, "auth.basic.usernameEnv", registryName),
      password: readVariable(env, auth.basic.passwordEnv, "auth.basic.passwordEnv", registryName),
    };
  }
  return { type: "bearer", token: readVariable(env, auth.bearer.tokenEnv, "auth.bearer.tokenEnv", registryName) };
}

function readVariable(env: NodeJS.ProcessEnv, name: string, key: string, registryName: string): string {
  const value = env[name];
  if (value === undefined || value === "") {
    const registry = registryName ? `registry "${registryName}"` : "a registry";
    throw new RegistryError(
      `environment variable ${name} is not set: ${registry} names it in slipway.yaml (${key}); set it or remove the registry's auth`,
      registryName,
    );
  }
  return value;
}
