/**
 * Go's `strconv.Quote`, which is what `fmt`'s `%q` verb prints for a string (or for a `fmt.Stringer` such as
 * Masterminds' `*Version`). Masterminds v3.5.0 quotes every version and constraint in its error messages this way:
 * `improper constraint: "foo"`, `"1.2.3" is less than "1.2.4"`.
 *
 * Rules, as `strconv.appendQuotedWith` applies them rune by rune:
 * - `"` and `\` are backslashed;
 * - a printable rune (`strconv.IsPrint`: Unicode letters, marks, numbers, punctuation, symbols, and the ASCII space)
 *   is written as it is, non-ASCII included (`é`, `日本`, `😀`);
 * - `\a \b \f \n \r \t \v` are written as those escapes;
 * - any other rune below U+0020, and U+007F, as `\x` and two lowercase hex digits;
 * - any other rune below U+10000 as `\u` and four lowercase hex digits (NBSP is `\u00a0`, U+200B is `\u200b`);
 * - any other rune as `\U` and eight (`\U000e0001`).
 *
 * Two differences from Go come from the text being JavaScript's rather than Go's:
 * - Go decides "printable" from the Unicode tables of the Go release that built the binary; this uses the
 *   JavaScript engine's (`\p{…}` property escapes). Only a character assigned in one Unicode version and not the
 *   other can come out differently (printed as is here, `\u`-escaped by an older Go).
 * - A Go string holds bytes, a JavaScript string UTF-16 code units. A lone surrogate has no UTF-8 form; it is treated
 *   as UTF-8 encoders (`TextEncoder`, `Buffer`) treat it, as U+FFFD, which Go prints as it is. Go's `\x` escapes for
 *   invalid UTF-8 bytes have no counterpart here.
 */
export function goQuote(text: string): string {
  if (PLAIN.test(text)) return `"${text}"`;
  let out = '"';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code === 0x22 || code === 0x5c) {
      out += `\\${char}`;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += "\ufffd";
    } else if (code < 0x80 ? code >= 0x20 && code < 0x7f : PRINTABLE.test(char)) {
      out += char;
    } else {
      out += escape(code);
    }
  }
  return `${out}"`;
}

/** Printable ASCII without `"` or `\`: the common case, quoted as is. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** Go's `unicode.IsPrint` outside ASCII: categories L, M, N, P, S (the only printable space is ASCII's). */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

const SHORT_ESCAPES: Readonly<Record<number, string>> = {
  0x07: "\\a",
  0x08: "\\b",
  0x0c: "\\f",
  0x0a: "\\n",
  0x0d: "\\r",
  0x09: "\\t",
  0x0b: "\\v",
};

function escape(code: number): string {
  const short = SHORT_ESCAPES[code];
  if (short !== undefined) return short;
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, "0")}`;
  if (code < 0x10000) return `\\u${code.toString(16).padStart(4, "0")}`;
  return `\\U${code.toString(16).padStart(8, "0")}`;
}
