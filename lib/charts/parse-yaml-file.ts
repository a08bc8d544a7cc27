import { parseDocument, visit } from "yaml";
import { goYamlString, goYamlTimestamp } from "./go-yaml-string";
import { findExcessiveYamlDepth, MAX_YAML_DEPTH } from "./yaml-depth";

/** Far above any real Chart.yaml, lock or values file; past it, parsing is a way to exhaust the server, not a chart. */
export const MAX_YAML_FILE_BYTES = 2 * 1024 * 1024;

/**
 * How many times aliases may be expanded (weighted by the aliases they contain) before we call the file hostile.
 * `yaml`'s check multiplies uses by nesting, so a billion-laughs document trips it within a few levels. It is not 50:
 * an umbrella chart that writes `repository: *charts` on each of 60 dependencies is ordinary, and would fail at 50.
 */
const MAX_ALIAS_COUNT = 1000;

export type YamlFileResult = { ok: true; value: unknown } | { ok: false; message: string };

export interface ParseYamlFileOptions {
  /**
   * Read the file as Helm reads Chart.yaml, requirements.yaml and lock files into Go string fields: YAML 1.1 rules
   * (go-yaml v2), and every number or boolean turned into the text Go gives it (see goYamlString): `version: 1.10` is
   * "1.1" to Helm, `version: 010` is "8". Only quoting keeps a value as written.
   */
  helmStrings?: boolean;
}

/** Parses one stack file into plain JavaScript, or says why it cannot, naming the file (and the line, when known). */
export function parseYamlFile(text: string, fileName: string, options: ParseYamlFileOptions = {}): YamlFileResult {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_YAML_FILE_BYTES) return { ok: false, message: describeOversizedYamlFile(fileName, bytes) };

  const source = normalizeLoneCarriageReturns(text);

  // Before the parser: it builds a node per level, so deep nesting costs memory long before it fails.
  const depth = findExcessiveYamlDepth(source);
  if (!depth.ok) return { ok: false, message: `${fileName} nests deeper than ${MAX_YAML_DEPTH} levels at line ${depth.line}` };

  // Duplicate keys and `<<` merge keys are accepted because Helm's YAML reader (go-yaml) accepts them.
  const doc = parseDocument(source, {
    prettyErrors: true,
    uniqueKeys: false,
    merge: true,
    ...(options.helmStrings && { version: "1.1" as const }),
  });
  const [error] = doc.errors;
  if (error) return { ok: false, message: `${fileName} is not valid YAML: ${firstLine(error.message)}` };

  if (options.helmStrings) {
    visit(doc, {
      Scalar(_key, node) {
        const value = node.value;
        // Only numbers and booleans: `<<` merge keys are symbols and must stay what they are.
        if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
          node.value = goYamlString(value, node.source ?? String(value));
        } else if (value instanceof Date) {
          node.value = goYamlTimestamp(value);
        }
      },
    });
  }

  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (thrown) {
    // Alias expansion limits and unresolved aliases surface here rather than in doc.errors.
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    return { ok: false, message: `${fileName} cannot be read: ${reason}` };
  }
}

/**
 * Turns each carriage return not followed by a line feed into a line feed. YAML 1.1 and 1.2 both count a lone CR as a
 * line break, and so does Helm's reader (go-yaml's is_break), so a Chart.yaml or lock saved with classic Mac line
 * endings is an ordinary chart to Helm. The `yaml` package only breaks lines at LF, and would read such a file as one
 * line and refuse it ("Nested mappings are not allowed in compact mappings"). go-yaml also turns a lone CR inside a
 * scalar into LF, so values come out the same; the line count is unchanged, so error line numbers still point at the
 * right line. CRLF is left alone: the parser handles it.
 */
export function normalizeLoneCarriageReturns(text: string): string {
  return text.includes("\r") ? text.replace(/\r(?!\n)/g, "\n") : text;
}

/** Why a stack file over the limit is not read; also used by git adapters that refuse such a file unread. */
export function describeOversizedYamlFile(fileName: string, bytes: number): string {
  const megabytes = (bytes / (1024 * 1024)).toFixed(1);
  return `${fileName} is ${megabytes} MB; Slipway reads chart files up to ${MAX_YAML_FILE_BYTES / (1024 * 1024)} MB`;
}

/** `prettyErrors` appends a source excerpt after the position; the first line already says what and where. */
function firstLine(message: string): string {
  const [line = message] = message.split("\n");
  return line.replace(/:\s*$/, "");
}
