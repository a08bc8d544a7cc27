import { parseYamlFile } from "./parse-yaml-file";
import type { ChartProblem } from "./types";
import { isYamlMapping, readYamlField } from "./yaml-value";

export interface ImageTags {
  imageTags: Record<string, string>;
  problems: ChartProblem[];
}

/**
 * The image tag values.yaml overrides per service: `<service>.image.tag`, where service is the alias or chart name
 * (the key Helm hands to the subchart). Services without one are simply absent.
 */
export function readImageTags(valuesYaml: string, services: readonly string[]): ImageTags {
  // Not helmStrings: Helm reads values into untyped maps, so `tag: 1.10` really is deployed as "1.1".
  const parsed = parseYamlFile(valuesYaml, "values.yaml");
  if (!parsed.ok) return { imageTags: {}, problems: [{ message: parsed.message }] };
  if (parsed.value === null || parsed.value === undefined) return { imageTags: {}, problems: [] };
  if (!isYamlMapping(parsed.value)) {
    return { imageTags: {}, problems: [{ message: "values.yaml is not a mapping" }] };
  }

  const values = parsed.value;
  const tags = services.flatMap((service): [string, string][] => {
    const tag = readImageTag(readYamlField(values, service));
    return tag === undefined ? [] : [[service, tag]];
  });
  // fromEntries defines own properties, so a service called "__proto__" cannot reach the prototype.
  return { imageTags: Object.fromEntries(tags), problems: [] };
}

function readImageTag(serviceValues: unknown): string | undefined {
  if (!isYamlMapping(serviceValues)) return undefined;
  const image = readYamlField(serviceValues, "image");
  if (!isYamlMapping(image)) return undefined;
  const tag = readYamlField(image, "tag");
  if (typeof tag === "number" && Number.isFinite(tag)) return String(tag);
  // An empty tag is the common "use the chart's appVersion" default, not an override.
  if (typeof tag === "string" && tag.trim() !== "") return tag.trim();
  return undefined;
}
