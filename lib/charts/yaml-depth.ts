import { CST, Lexer } from "yaml";

/**
 * Nesting past which a YAML file is treated as hostile. Real Chart.yaml, lock, values and index files nest
 * well under 20 levels; the `yaml` package builds a syntax node per level and composes them recursively, so a 2 MB
 * file of `[` costs over a gigabyte and an 8 MB one kills the process before it can report an error.
 */
export const MAX_YAML_DEPTH = 100;

const { DOCUMENT, FLOW_END, SCALAR } = CST;

export type YamlDepthResult = { ok: true } | { ok: false; depth: number; line: number };

/**
 * Finds where `text` nests deeper than `maxDepth` collections, before any parser builds a tree for it.
 *
 * It runs the `yaml` package's own lexer, which streams tokens without building anything, so quoting, comments,
 * block scalars and plain multi-line scalars are told apart exactly as the parser will see them: a bracket inside a
 * string never counts, and no quoting trick hides a real one. Depth is flow collections (`[`, `{`) plus block
 * collections, the latter an upper bound from the columns their `-`, `?` and `key:` start at (a block collection
 * nested in another starts further right; a sequence may share its parent mapping's column). Linear in the text.
 */
export function findExcessiveYamlDepth(text: string, maxDepth = MAX_YAML_DEPTH): YamlDepthResult {
  /** Open block collections, innermost last; columns never decrease along it. */
  const blocks: { column: number; kind: "map" | "seq" }[] = [];
  let flowDepth = 0;
  let line = 1;
  let column = 0;
  /** Column of the node being written on this line (a key, before its `:`), undefined right after an indicator. */
  let nodeColumn: number | undefined;
  let scalarNext = false;

  const tooDeep = () => blocks.length + flowDepth > maxDepth;

  const openBlock = (at: number, kind: "map" | "seq") => {
    while (blocks.length > 0 && blocks[blocks.length - 1]!.column > at) blocks.pop();
    const top = blocks[blocks.length - 1];
    if (top?.column === at && top.kind === "seq" && kind === "map") blocks.pop();
    const parent = blocks[blocks.length - 1];
    if (parent?.column === at && parent.kind === kind) return;
    blocks.push({ column: at, kind });
  };

  for (const token of new Lexer().lex(text)) {
    // The lexer's own markers, not source text: a new document starts afresh; a flow collection cut short by
    // indentation is over; the next token is a scalar's source.
    if (token === DOCUMENT || token === FLOW_END || token === SCALAR) {
      if (token === DOCUMENT) blocks.length = 0;
      else if (token === FLOW_END) flowDepth = 0;
      scalarNext = token === SCALAR;
      continue;
    }
    const at = column;
    const newline = token.lastIndexOf("\n");
    if (newline === -1) {
      column += token.length;
    } else {
      for (let i = token.indexOf("\n"); i !== -1; i = token.indexOf("\n", i + 1)) line++;
      column = token.length - newline - 1;
      nodeColumn = undefined;
    }
    if (scalarNext) {
      // The source of a scalar: text, whatever characters it holds.
      scalarNext = false;
      if (flowDepth === 0 && newline === -1) nodeColumn ??= at;
      continue;
    }
    switch (token) {
      case "[":
      case "{":
        if (flowDepth === 0) nodeColumn ??= at;
        flowDepth++;
        if (tooDeep()) return { ok: false, depth: blocks.length + flowDepth, line };
        continue;
      case "]":
      case "}":
        if (flowDepth > 0) flowDepth--;
        continue;
    }
    if (flowDepth > 0) continue;
    if (token === "-" || token === "?") {
      openBlock(at, token === "-" ? "seq" : "map");
      nodeColumn = undefined;
    } else if (token === ":") {
      openBlock(nodeColumn ?? at, "map");
      nodeColumn = undefined;
    } else if (token.trim() !== "" && token[0] !== "#") {
      // Quoted scalars, anchors, tags, aliases: the first of them on a line is where a key would start.
      nodeColumn ??= at;
    }
    if (tooDeep()) return { ok: false, depth: blocks.length + flowDepth, line };
  }
  return { ok: true };
}
