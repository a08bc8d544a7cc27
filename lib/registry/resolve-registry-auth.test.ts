import { describe, expect, it } from "vitest";
import { secretsFrom } from "@/lib/config/environment";
import { resolveRegistryAuth } from "./resolve-registry-auth";
import { RegistryError } from "./types";

const env = secretsFrom;

describe("resolveRegistryAuth", () => {
  it("is none without auth", () => {
    expect(resolveRegistryAuth(undefined, env({}))).toEqual({ type: "none" });
  });

  it("reads basic and bearer credentials from the named variables", () => {
    const vars = env({ CHARTS_USER: "robot", CHARTS_PASSWORD: "pw", CHARTS_TOKEN: "tok" });
    expect(resolveRegistryAuth({ basic: { usernameEnv: "CHARTS_USER", passwordEnv: "CHARTS_PASSWORD" } }, vars)).toEqual({
      type: "basic",
      username: "robot",
      password: "pw",
    });
    expect(resolveRegistryAuth({ bearer: { tokenEnv: "CHARTS_TOKEN" } }, vars)).toEqual({ type: "bearer", token: "tok" });
  });

  it("names the missing (or empty) variable and where slipway.yaml asks for it", () => {
    const resolve = () =>
      resolveRegistryAuth(
        { basic: { usernameEnv: "CHARTS_USER", passwordEnv: "CHARTS_PASSWORD" } },
        env({ CHARTS_USER: "robot", CHARTS_PASSWORD: "" }),
        "internal",
      );
    expect(resolve).toThrow(RegistryError);
    expect(resolve).toThrow(
      'environment variable CHARTS_PASSWORD is not set: registry "internal" names it in slipway.yaml (auth.basic.passwordEnv)',
    );
    expect(() => resolveRegistryAuth({ bearer: { tokenEnv: "CHARTS_TOKEN" } }, env({}))).toThrow(
      "environment variable CHARTS_TOKEN is not set",
    );
  });
});
