import { type SlipwayEnvironment, readEnvironment } from "./environment";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { ConfigError } from "@/lib/errors";
import { type WorkspaceConfig, workspaceConfigSchema } from "./schema";

export interface Workspace {
  config: WorkspaceConfig;
  /** Absolute path of slipway.yaml. */
  configPath: string;
  /** Folder relative paths in slipway.yaml resolve against. */
  baseDir: string;
}

/** Parses and validates slipway.yaml text; errors name the file, the key and what to write instead. */
export function parseWorkspaceConfig(text: string, configPath: string): Workspace {
  const file = path.basename(configPath);
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    throw new ConfigError(`${configPath}: not valid YAML: ${first.message.split("\n")[0]}`);
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  const result = workspaceConfigSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new ConfigError(`${configPath}: ${describeIssues(result.error.issues, file)}`);
  }
  return { config: result.data, configPath, baseDir: path.dirname(configPath) };
}

function describeIssues(issues: z.core.$ZodIssue[], file: string): string {
  return issues
    .slice(0, 5)
    .map((issue) => {
      const key = formatKeyPath(issue.path);
      return `${key || "(top level)"}: ${issue.message}${hintFor(key, file)}`;
    })
    .join("; ");
}

function formatKeyPath(keys: PropertyKey[]): string {
  return keys.reduce<string>((acc, key) => {
    if (typeof key === "number") return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, "");
}

function hintFor(key: string, file: string): string {
  if (key === "environments") return ` — add an environments: list or a discover: entry to ${file}, see README "Configuration"`;
  if (/^environments\[\d+\]\.repo$/.test(key)) return " — set repo: to a path or git URL of the stack repository";
  return "";
}

/** Where slipway.yaml lives: SLIPWAY_CONFIG, else ./slipway.yaml. */
export function workspaceConfigPath(env: Pick<SlipwayEnvironment, "configPath"> = readEnvironment()): string {
  return env.configPath;
}

export function loadWorkspaceConfig(configPath: string = workspaceConfigPath()): Workspace {
  let text: string;
  try {
    text = readFileSync(/*turbopackIgnore: true*/ configPath, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new ConfigError(
        `${configPath}: file not found — set SLIPWAY_CONFIG to your slipway.yaml, or run "npm run demo" for a demo workspace`,
      );
    }
    throw new ConfigError(`${configPath}: cannot be read (${code ?? String(error)})`);
  }
  return parseWorkspaceConfig(text, configPath);
}
