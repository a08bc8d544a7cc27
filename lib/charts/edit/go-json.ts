/**
 * JSON text byte-for-byte as Go's encoding/json.Marshal writes it, for hashes that Helm computes over Go structs.
 * It differs from JSON.stringify in what it escapes (<, >, &, U+2028, U+2029, and \b \f as \u00XX), in replacing
 * lone surrogates (invalid UTF-8 in Go) with U+FFFD, and in sorting map keys.
 */
export type GoJsonValue = null | boolean | number | string | GoJsonValue[] | { [key: string]: GoJsonValue };

export function goJson(value: GoJsonValue): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : "null";
  if (typeof value === "string") return goJsonString(value);
  if (Array.isArray(value)) return `[${value.map(goJson).join(",")}]`;
  // Go marshals map[string]interface{} with sorted keys.
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${goJsonString(key)}:${goJson(value[key]!)}`).join(",")}}`;
}

/** One object with its fields in the given order, as Go writes a struct (field order = declaration order). */
export function goJsonStruct(fields: readonly (readonly [string, GoJsonValue])[]): string {
  return `{${fields.map(([key, value]) => `${goJsonString(key)}:${goJson(value)}`).join(",")}}`;
}

const HEX = "0123456789abcdef";

export function goJsonString(text: string): string {
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '"') out += '\\"';
    else if (char === "\\") out += "\\\\";
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code < 0x20 || char === "<" || char === ">" || char === "&" || code === 0x2028 || code === 0x2029) {
      out += `\\u${HEX[(code >> 12) & 15]}${HEX[(code >> 8) & 15]}${HEX[(code >> 4) & 15]}${HEX[code & 15]}`;
    } else if (code >= 0xd800 && code <= 0xdfff) out += "\ufffd";
    else out += char;
  }
  return `${out}"`;
}
