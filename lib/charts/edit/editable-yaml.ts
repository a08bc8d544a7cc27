import {
  Composer,
  CST,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  visit,
  type Alias,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import { parseYamlFile } from "../parse-yaml-file";
import { isYamlMapping, readYamlField } from "../yaml-value";
import { ChartEditError } from "./chart-edit-error";

/**
 * A YAML file held as its concrete syntax tree (every space, comment, quote and line ending) plus the document
 * composed from it, whose nodes point back at their CST tokens. Changing a scalar's token and printing the tokens
 * again changes that scalar and nothing else — unlike Document.toString(), which re-folds long strings, re-indents
 * sequences, rewrites flow collections and turns CRLF into LF.
 */
export interface EditableYaml {
  fileName: string;
  tokens: CST.Token[];
  /** The first document; undefined for an empty file. Helm reads only the first document too. */
  doc: Document.Parsed | undefined;
  lineOf(offset: number): number;
}

export function parseEditableYaml(text: string, fileName: string): EditableYaml {
  // The reader takes a lone CR as a line break, as Helm does; the CST does not, and rewriting the line endings would
  // change every line of the file. Refused with the reason, rather than as "not valid YAML".
  if (/\r(?!\n)/.test(text)) {
    throw new ChartEditError(
      `${fileName} uses lone-CR (classic Mac) line endings: Slipway reads it but edits only files with LF or CRLF line ` +
        "endings, so that nothing but the version changes. Save it with LF or CRLF line endings and plan again.",
    );
  }
  const lines = new LineCounter();
  const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
  // uniqueKeys off and merge keys on: Helm's YAML reader (go-yaml) accepts both.
  const [doc] = Array.from(new Composer({ keepSourceTokens: true, uniqueKeys: false, merge: true }).compose(tokens));
  const lineOf = (offset: number) => lines.linePos(offset).line;
  const error = doc?.errors[0];
  if (error) {
    const line = lineOf(error.pos[0]);
    throw new ChartEditError(`${fileName} is not valid YAML (line ${line}): ${error.message.split("\n")[0]}`);
  }
  return { fileName, tokens, doc, lineOf };
}

export function printEditableYaml(file: EditableYaml): string {
  return file.tokens.map((token) => CST.stringify(token)).join("");
}

/** Rewrites one scalar in place; its quoting style, anchor, tag and trailing comment stay as they were. */
export function setScalarText(scalar: Scalar, value: string, inFlow: boolean, options: { asString?: boolean } = {}): void {
  const token = scalar.srcToken;
  if (!token) throw new Error("setScalarText: the scalar has no source token (parse with keepSourceTokens)");
  // A plain scalar keeps its style, unless it must read as this string and Helm would not read the new text back as
  // one (`1.10` is the float 1.1 to Helm's YAML reader, `010` the octal 8): then it is double-quoted.
  const quote = options.asString === true && token.type === "scalar" && !readsBackAsString(value);
  CST.setScalarValue(token, value, { inFlow, ...(quote && { type: "QUOTE_DOUBLE" as const }) });
}

/** Whether `text`, written as a plain YAML scalar, is this same string to Helm. */
export function readsBackAsString(text: string): boolean {
  const parsed = parseYamlFile(`value: ${text}\n`, "value", { helmStrings: true });
  return parsed.ok && isYamlMapping(parsed.value) && readYamlField(parsed.value, "value") === text;
}

/** The pairs of `map` whose key is the plain string `key` (more than one when the file repeats a key). */
export function pairsWithKey(map: YAMLMap, key: string): Pair[] {
  return map.items.filter((pair) => isScalar(pair.key) && pair.key.value === key);
}

export function hasMergeKey(map: YAMLMap): boolean {
  return map.items.some((pair) => isScalar(pair.key) && (pair.key.value === "<<" || pair.key.source === "<<"));
}

/** The top-level mapping's `key` value: undefined when absent or null; refuses repeated keys and aliases. */
export function readTopLevelSequence(file: EditableYaml, key: string): YAMLSeq | undefined {
  const root = rootMap(file);
  if (!root) return undefined;
  const pairs = pairsWithKey(root, key);
  if (pairs.length > 1) {
    throw new ChartEditError(
      `${file.fileName} has more than one "${key}:" key; Slipway will not guess which one Helm reads`,
    );
  }
  const value = pairs[0]?.value;
  if (value === undefined || value === null || (isScalar(value) && value.value === null)) return undefined;
  if (isAlias(value)) {
    throw new ChartEditError(
      `${file.fileName}: "${key}:" is the alias *${value.source}; write the list out to let Slipway edit it`,
    );
  }
  if (!isSeq(value)) throw new ChartEditError(`${file.fileName}: "${key}:" must be a list`);
  return value;
}

export function rootMap(file: EditableYaml): YAMLMap | undefined {
  const contents = file.doc?.contents;
  if (contents === undefined || contents === null || (isScalar(contents) && contents.value === null)) return undefined;
  if (!isMap(contents)) throw new ChartEditError(`${file.fileName} must be a YAML mapping`);
  return contents;
}

/** Every alias in the document, with the node it stands for. */
export function listAliases(file: EditableYaml): { alias: Alias; target: Node | undefined }[] {
  const doc = file.doc;
  if (!doc) return [];
  const found: { alias: Alias; target: Node | undefined }[] = [];
  visit(doc, {
    Alias(_key, alias) {
      found.push({ alias, target: alias.resolve(doc) });
    },
  });
  return found;
}
