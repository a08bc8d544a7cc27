/**
 * Serialises plain data the way Helm writes its generated files (index.yaml, Chart.lock): Go's yaml.v2 through
 * sigs.k8s.io/yaml — keys sorted, block sequences not indented under their key, strings that would read as
 * another type (timestamps, numbers, booleans) double-quoted, strings that cannot be plain single-quoted, and
 * multi-line strings as literal blocks. Generated fixtures then look like what a parser meets in the wild.
 */

export type GoYamlValue = string | number | boolean | null | GoYamlValue[] | { [key: string]: GoYamlValue | undefined };

const INDENT = 2;

function resolvesToNonString(s: string): boolean {
  return (
    /^(?:true|false|yes|no|on|off|y|n|null|~)$/i.test(s) ||
    /^[-+]?(?:\d[\d_]*)?(?:\.\d*)?(?:[eE][-+]?\d+)?$/.test(s) ||
    /^[-+]?\.(?:inf|nan)$/i.test(s) ||
    /^0x[0-9a-f]+$/i.test(s) ||
    /^\d{4}-\d\d?-\d\d?(?:[Tt ]|$)/.test(s)
  );
}

function plainAllowed(s: string): boolean {
  if (s.length === 0 || s !== s.trim()) return false;
  if (/^[?:,[\]{}#&*!|>'"%@`]/.test(s)) return false;
  if (/^-(?:\s|$)/.test(s)) return false;
  if (s.includes(": ") || s.includes(" #") || s.endsWith(":")) return false;
  if (/[\u0000-\u001f\u007f]/.test(s)) return false;
  return true;
}

function doubleQuoted(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\u0000-\u001f\u007f]/g, (c) => {
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  })}"`;
}

export function goYamlScalar(value: string | number | boolean | null): string {
  if (value === null) return "null";
  if (typeof value !== "string") return String(value);
  if (resolvesToNonString(value) || value.length === 0) return doubleQuoted(value);
  if (plainAllowed(value)) return value;
  return `'${value.replace(/'/g, "''")}'`;
}

function literalBlock(value: string, indent: number): string {
  const chomp = value.endsWith("\n") ? (value.endsWith("\n\n") ? "+" : "") : "-";
  const body = value.endsWith("\n") ? value.slice(0, value.endsWith("\n\n") ? value.length : -1) : value;
  const pad = " ".repeat(indent);
  const lines = body.split("\n").map((l) => (l.length > 0 ? pad + l : ""));
  return `|${chomp}\n${lines.join("\n")}`;
}

const isMultiline = (v: GoYamlValue): v is string => typeof v === "string" && v.includes("\n");

function emitMap(map: { [key: string]: GoYamlValue | undefined }, indent: number, out: string[], firstPrefix?: string): void {
  const keys = Object.keys(map)
    .filter((k) => map[k] !== undefined)
    .sort();
  const pad = " ".repeat(indent);
  if (keys.length === 0) {
    out.push(`${firstPrefix ?? pad}{}`);
    return;
  }
  keys.forEach((key, i) => {
    const value = map[key] as GoYamlValue;
    const prefix = i === 0 && firstPrefix !== undefined ? firstPrefix : pad;
    const k = goYamlScalar(key);
    if (Array.isArray(value)) {
      if (value.length === 0) {
        out.push(`${prefix}${k}: []`);
      } else {
        out.push(`${prefix}${k}:`);
        emitSeq(value, indent, out);
      }
    } else if (value !== null && typeof value === "object") {
      if (Object.keys(value).filter((x) => value[x] !== undefined).length === 0) {
        out.push(`${prefix}${k}: {}`);
      } else {
        out.push(`${prefix}${k}:`);
        emitMap(value, indent + INDENT, out);
      }
    } else if (isMultiline(value)) {
      out.push(`${prefix}${k}: ${literalBlock(value, indent + INDENT)}`);
    } else {
      out.push(`${prefix}${k}: ${goYamlScalar(value)}`);
    }
  });
}

function emitSeq(items: GoYamlValue[], indent: number, out: string[]): void {
  const pad = " ".repeat(indent);
  for (const item of items) {
    if (Array.isArray(item)) {
      out.push(`${pad}-`);
      emitSeq(item, indent + INDENT, out);
    } else if (item !== null && typeof item === "object") {
      emitMap(item, indent + INDENT, out, `${pad}- `);
    } else if (isMultiline(item)) {
      out.push(`${pad}- ${literalBlock(item, indent + INDENT)}`);
    } else {
      out.push(`${pad}- ${goYamlScalar(item)}`);
    }
  }
}

/** The whole document, ending in a newline, as yaml.v2 would marshal `value` (a map). */
export function toGoYaml(value: { [key: string]: GoYamlValue | undefined }): string {
  const out: string[] = [];
  emitMap(value, 0, out);
  return `${out.join("\n")}\n`;
}
