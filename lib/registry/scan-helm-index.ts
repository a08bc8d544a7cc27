import { ownCopy, readChartVersion, type ChartVersionFields } from "./read-chart-version";
import type { ChartVersion } from "./types";

/**
 * Line-oriented reader for the regular index.yaml layout that `helm repo index` (go-yaml) writes:
 *
 *   apiVersion: v1
 *   entries:
 *     web:
 *     - annotations:
 *         category: Infrastructure
 *       created: "2024-05-01T10:00:00.123456789Z"
 *       description: long plain text that go-yaml wraps
 *         onto indented continuation lines
 *       version: 1.2.3
 *   generated: "2024-05-01T10:00:00Z"
 *
 * A general YAML parser builds a node for every maintainer, URL and annotation of every version; this reads
 * the five scalars Slipway needs and skips everything else by indentation alone, which is what makes a 20 MB
 * index cheap. It returns undefined ("bail") as soon as a line falls outside that layout — flow collections
 * other than `{}`/`[]`, anchors with aliases, tags, tabs outside text, odd indentation, quoted or complex keys,
 * document markers, duplicate keys, escapes or line breaks in the five fields — and the caller then parses with
 * the `yaml` package, which decides what such input means. The rule is: when both succeed they agree (the
 * tests hold them to it, on fixtures and on thousands of mutated indexes); when in doubt, bail.
 *
 * Content it skips (annotations, descriptions, maintainers…) is not validated beyond what is needed to find
 * where it ends, so some invalid YAML inside skipped fields is accepted here where the fallback would reject it.
 */
export function scanHelmIndex(text: string): Map<string, ChartVersion[]> | undefined {
  if (hasLoneCarriageReturn(text) || mayUseAliases(text)) return undefined;
  try {
    return new IndexScanner(text).scan();
  } catch (error) {
    if (error === BAIL) return undefined;
    throw error;
  }
}

// Thrown (never escapes this module) to unwind out of the scanner when the layout is not the regular one.
const BAIL = new Error("index.yaml layout not supported by the line scanner");

const LF = 10;
const CR = 13;
const TAB = 9;
const SPACE = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const BACKSLASH = 92;

const EOF = 0;
const BLANK = 1;
const COMMENT = 2;
const CONTENT = 3;
/** Text whose indentation ends in a tab: fine inside a block scalar or a wrapped string, nowhere else. */
const TABBED = 4;

/** How much of the following, more indented, lines belongs to the field just read. */
const NOTHING_DEEPER = 0; // a scalar Slipway reads, `{}` or `[]`: only blank lines and comments may follow
const DEEPER_LINES = 1; // a skipped quoted string go-yaml wrapped, or a block scalar with an indentation digit
const NESTED_BLOCK = 2; // a skipped empty value: a nested mapping, or a sequence at the same indent (go-yaml style)
const PLAIN_LINES = 3; // a skipped plain scalar: continuation lines of a string go-yaml wrapped
const BLOCK_SCALAR = 4; // a skipped `|` or `>` scalar without indentation indicator: lines at its first line's indent

const NEEDED_FIELDS = new Set(["version", "created", "deprecated", "digest", "appVersion"]);

class IndexScanner {
  private next = 0;
  /** The current line: [lineStart, lineEnd) without the line break, first non-space at contentStart. */
  private lineStart = 0;
  private lineEnd = 0;
  private contentStart = 0;
  private indent = 0;
  private kind = EOF;
  /** Duplicate key detection for chart version mappings without allocating a Set per version. */
  private readonly keySeenIn = new Map<string, number>();
  private mappingSerial = 0;

  constructor(private readonly text: string) {
    this.next = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  scan(): Map<string, ChartVersion[]> {
    let charts: Map<string, ChartVersion[]> | undefined;
    const topLevelKeys = new Set<string>();
    this.advance();
    this.skipTrivia();
    while (this.kind !== EOF) {
      if (this.indent !== 0) throw BAIL;
      const start = this.contentStart;
      const colon = this.readKey(start);
      const key = this.text.slice(start, colon);
      if (topLevelKeys.has(key)) throw BAIL;
      topLevelKeys.add(key);
      if (key === "entries") {
        charts = this.readEntries(colon);
      } else {
        this.skipValue(colon, 0);
      }
      this.skipTrivia();
    }
    // A file without `entries` gets its error message from the fallback parser.
    if (charts === undefined) throw BAIL;
    return charts;
  }

  private readEntries(colon: number): Map<string, ChartVersion[]> {
    const charts = new Map<string, ChartVersion[]>();
    const value = this.valueStart(colon);
    if (value < this.lineEnd) {
      if (!this.isEmptyFlow(value, "{")) throw BAIL;
      this.advance();
      this.skipRegion(0, NOTHING_DEEPER);
      return charts;
    }
    this.advance();
    this.skipTrivia();
    if (this.kind === EOF || this.indent === 0) return charts;
    const chartIndent = this.indent;
    while (this.kind === CONTENT && this.indent === chartIndent) {
      const keyStart = this.contentStart;
      const colon = this.readKey(keyStart);
      const name = ownCopy(this.text.slice(keyStart, colon));
      if (charts.has(name)) throw BAIL;
      const versions: ChartVersion[] = [];
      charts.set(name, versions);
      const listStart = this.valueStart(colon);
      if (listStart < this.lineEnd) {
        if (!this.isEmptyFlow(listStart, "[")) throw BAIL;
        this.advance();
        this.skipRegion(chartIndent, NOTHING_DEEPER);
        this.skipTrivia();
        continue;
      }
      this.advance();
      this.skipTrivia();
      if (this.kind !== CONTENT || this.indent < chartIndent) continue;
      const itemIndent = this.indent;
      if (!this.isDash(this.contentStart)) {
        // Another chart key right away: this chart's value is empty (null), which Helm reads as no versions.
        if (itemIndent === chartIndent) continue;
        throw BAIL;
      }
      while (this.kind === CONTENT && this.indent === itemIndent && this.isDash(this.contentStart)) {
        const version = this.readItem(itemIndent);
        if (version !== undefined) versions.push(version);
      }
      if (this.kind === CONTENT && this.indent > chartIndent) throw BAIL;
    }
    if (this.kind === CONTENT && this.indent !== 0) throw BAIL;
    return charts;
  }

  /** Reads one `- key: value` list item and its fields; leaves the cursor on the next significant line. */
  private readItem(itemIndent: number): ChartVersion | undefined {
    let keyStart = this.contentStart + 1;
    while (keyStart < this.lineEnd && this.text.charCodeAt(keyStart) === SPACE) keyStart++;
    if (keyStart === this.contentStart + 1 || keyStart === this.lineEnd) throw BAIL;
    const fieldIndent = keyStart - this.lineStart;
    const serial = ++this.mappingSerial;
    const fields: ChartVersionFields = {};
    for (;;) {
      const colon = this.readKey(keyStart);
      const key = this.text.slice(keyStart, colon);
      if (this.keySeenIn.get(key) === serial) throw BAIL;
      this.keySeenIn.set(key, serial);
      const field = this.neededField(key);
      if (field === undefined) {
        this.skipValue(colon, fieldIndent);
      } else {
        fields[field] = this.readScalar(this.valueStart(colon));
        this.advance();
        this.skipRegion(fieldIndent, NOTHING_DEEPER);
      }
      this.skipTrivia();
      if (this.kind !== CONTENT || this.indent !== fieldIndent) break;
      keyStart = this.contentStart;
    }
    // Between the dash and the fields, or deeper than the fields after a comment: not the regular layout.
    if (this.kind === CONTENT && this.indent > itemIndent) throw BAIL;
    return readChartVersion(fields);
  }

  /** Skips the value of a field Slipway does not read, however many lines it spans. */
  private skipValue(colon: number, fieldIndent: number): void {
    const value = this.valueStart(colon);
    if (value === this.lineEnd) {
      this.advance();
      this.skipRegion(fieldIndent, NESTED_BLOCK);
      return;
    }
    const c = this.text.charCodeAt(value);
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      // go-yaml wraps long quoted strings too; the quote may close on a continuation line.
      const closed = this.findQuoteEnd(value + 1, c) >= 0;
      this.advance();
      this.skipRegion(fieldIndent, closed ? NOTHING_DEEPER : DEEPER_LINES, closed ? 0 : c);
      return;
    }
    if (c === 0x7c /* | */ || c === 0x3e /* > */) {
      const explicitIndent = this.checkBlockScalarHeader(value + 1);
      this.advance();
      this.skipRegion(fieldIndent, explicitIndent ? DEEPER_LINES : BLOCK_SCALAR);
      return;
    }
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (!this.isEmptyFlow(value, c === 0x5b ? "[" : "{")) throw BAIL;
      this.advance();
      this.skipRegion(fieldIndent, NOTHING_DEEPER);
      return;
    }
    if (isPlainScalarStart(this.text, value, this.lineEnd)) {
      const commented = this.checkPlainLine(value);
      this.advance();
      this.skipRegion(fieldIndent, commented ? NOTHING_DEEPER : PLAIN_LINES);
      return;
    }
    throw BAIL;
  }

  /**
   * Consumes the lines that belong to the field at `fieldIndent` (already past its key line): blank lines,
   * lines indented deeper, and for NESTED_BLOCK also `- ` items at the field's own indent.
   */
  private skipRegion(fieldIndent: number, mode: number, openQuote = 0): void {
    let quote = openQuote;
    // NESTED_BLOCK and BLOCK_SCALAR: the column the nested lines start at. A line between the field and it is
    // invalid YAML ("All mapping items must start at the same column"), which the fallback should report.
    let childIndent = -1;
    for (;;) {
      const kind = this.kind;
      if (kind === EOF) break;
      if (kind === BLANK) {
        this.advance();
        continue;
      }
      if (kind === TABBED) {
        // Inside a block scalar or a wrapped string a tab after the indentation is text; elsewhere YAML decides.
        const inText = quote !== 0 || mode === DEEPER_LINES || mode === BLOCK_SCALAR || mode === PLAIN_LINES;
        if (this.indent <= fieldIndent || !inText) throw BAIL;
      }
      if (this.indent > fieldIndent) {
        if (quote !== 0) {
          if (this.findQuoteEnd(this.contentStart, quote) >= 0) {
            // The string is over: anything further down would be an error the fallback reports.
            quote = 0;
            mode = NOTHING_DEEPER;
          }
        } else if (mode === NOTHING_DEEPER && kind === CONTENT) {
          throw BAIL;
        } else if (mode === PLAIN_LINES) {
          // After a comment a plain scalar is over: more text below it is an error the fallback reports.
          if (kind === COMMENT || this.checkPlainLine(this.contentStart)) mode = NOTHING_DEEPER;
        } else if ((mode === NESTED_BLOCK && kind === CONTENT) || mode === BLOCK_SCALAR) {
          if (childIndent === -1) childIndent = this.indent;
          else if (this.indent < childIndent) throw BAIL;
        }
        this.advance();
        continue;
      }
      if (mode === NESTED_BLOCK && kind === CONTENT && this.indent === fieldIndent && this.isDash(this.contentStart)) {
        // A go-yaml compact sequence item: its content starts after "- ".
        let content = this.contentStart + 1;
        while (content < this.lineEnd && this.text.charCodeAt(content) === SPACE) content++;
        childIndent = content === this.lineEnd ? -1 : content - this.lineStart;
        this.advance();
        continue;
      }
      break;
    }
    if (quote !== 0) throw BAIL;
  }

  /**
   * Checks one line of a skipped plain scalar for what would make it invalid YAML (`: ` inside), so that the
   * scanner does not accept what the fallback rejects. Returns whether the line ends in a comment.
   */
  private checkPlainLine(from: number): boolean {
    const text = this.text;
    const end = this.lineEnd;
    for (let i = from; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON) {
        const next = i + 1 < end ? text.charCodeAt(i + 1) : SPACE;
        if (next === SPACE || next === TAB) throw BAIL;
      } else if (c === HASH) {
        const previous = text.charCodeAt(i - 1);
        if (previous === SPACE || previous === TAB) return true;
      }
    }
    return false;
  }

  /** Position of the closing quote on the current line from `from`, or -1 when the string continues. */
  private findQuoteEnd(from: number, quote: number): number {
    const text = this.text;
    const end = this.lineEnd;
    for (let i = from; i < end; i++) {
      const c = text.charCodeAt(i);
      if (quote === DOUBLE_QUOTE) {
        if (c === BACKSLASH) i++;
        else if (c === DOUBLE_QUOTE) return i;
      } else if (c === SINGLE_QUOTE) {
        if (i + 1 < end && text.charCodeAt(i + 1) === SINGLE_QUOTE) i++;
        else return i;
      }
    }
    return -1;
  }

  /** A single-line scalar value of a field Slipway reads. */
  private readScalar(value: number): string {
    const text = this.text;
    const end = this.lineEnd;
    if (value === end) return "";
    const c = text.charCodeAt(value);
    if (c === DOUBLE_QUOTE) {
      for (let i = value + 1; i < end; i++) {
        const d = text.charCodeAt(i);
        // Escapes are rare in these fields; the fallback parser decodes them.
        if (d === BACKSLASH) throw BAIL;
        if (d === DOUBLE_QUOTE) {
          this.expectLineRestEmpty(i + 1);
          return text.slice(value + 1, i);
        }
      }
      throw BAIL;
    }
    if (c === SINGLE_QUOTE) {
      let result = "";
      let from = value + 1;
      for (let i = from; i < end; i++) {
        if (text.charCodeAt(i) !== SINGLE_QUOTE) continue;
        if (i + 1 < end && text.charCodeAt(i + 1) === SINGLE_QUOTE) {
          result += text.slice(from, i + 1);
          from = i + 2;
          i++;
          continue;
        }
        this.expectLineRestEmpty(i + 1);
        return result + text.slice(from, i);
      }
      throw BAIL;
    }
    if (!isPlainScalarStart(text, value, end)) throw BAIL;
    let last = value;
    for (let i = value; i < end; i++) {
      const d = text.charCodeAt(i);
      if (d === TAB) throw BAIL;
      if (d === SPACE) continue;
      if (d === HASH && text.charCodeAt(i - 1) === SPACE) break;
      // `key: a: b` is a nested mapping on one line (invalid); `sha256:abc` is fine.
      if (d === COLON && (i + 1 === end || text.charCodeAt(i + 1) === SPACE)) throw BAIL;
      last = i;
    }
    return text.slice(value, last + 1);
  }

  private expectLineRestEmpty(from: number): void {
    let i = from;
    while (i < this.lineEnd && this.text.charCodeAt(i) === SPACE) i++;
    if (i < this.lineEnd && !(this.text.charCodeAt(i) === HASH && i > from)) throw BAIL;
  }

  /**
   * After `|` or `>`: at most a chomping indicator and an indentation digit, then a comment or nothing.
   * Returns whether there is an indentation digit.
   */
  private checkBlockScalarHeader(from: number): boolean {
    let i = from;
    let digit = false;
    while (i < this.lineEnd && i < from + 2) {
      const c = this.text.charCodeAt(i);
      if (c >= 0x31 && c <= 0x39) digit = true;
      else if (c !== 0x2b /* + */ && c !== DASH) break;
      i++;
    }
    this.expectLineRestEmpty(i);
    return digit;
  }

  /** `{}` or `[]`, optionally followed by a comment: the only flow collections go-yaml writes in an index. */
  private isEmptyFlow(value: number, open: "{" | "["): boolean {
    const close = open === "{" ? "}" : "]";
    if (this.text[value] !== open || this.text[value + 1] !== close) return false;
    this.expectLineRestEmpty(value + 2);
    return true;
  }

  /** Reads a plain key at `start` followed by `:`; returns the colon's position. Bails on anything else. */
  private readKey(start: number): number {
    const text = this.text;
    const end = this.lineEnd;
    let i = start;
    while (i < end && isKeyChar(text.charCodeAt(i))) i++;
    if (i === start || i === end || text.charCodeAt(i) !== COLON) throw BAIL;
    if (i + 1 < end && text.charCodeAt(i + 1) !== SPACE) throw BAIL;
    // `- x:` at a key position is a sequence, not a key named "-".
    if (text.charCodeAt(start) === DASH && i === start + 1) throw BAIL;
    return i;
  }

  private neededField(key: string): keyof ChartVersionFields | undefined {
    return NEEDED_FIELDS.has(key) ? (key as keyof ChartVersionFields) : undefined;
  }

  /** Start of the value after `key:`, or lineEnd when the value is empty or only a comment. */
  private valueStart(colon: number): number {
    let i = colon + 1;
    while (i < this.lineEnd && this.text.charCodeAt(i) === SPACE) i++;
    if (i < this.lineEnd && this.text.charCodeAt(i) === HASH) return this.lineEnd;
    return i;
  }

  private isDash(at: number): boolean {
    return this.text.charCodeAt(at) === DASH && (at + 1 === this.lineEnd || this.text.charCodeAt(at + 1) === SPACE);
  }

  private skipTrivia(): void {
    while (this.kind === BLANK || this.kind === COMMENT) this.advance();
    // Every structural position is reached through here or skipRegion: a tab there is YAML's business.
    if (this.kind === TABBED) throw BAIL;
  }

  /** Moves to the next line and classifies it. */
  private advance(): void {
    const text = this.text;
    const start = this.next;
    if (start >= text.length) {
      this.kind = EOF;
      this.indent = 0;
      return;
    }
    const newline = text.indexOf("\n", start);
    let end = newline === -1 ? text.length : newline;
    this.next = newline === -1 ? text.length : newline + 1;
    if (end > start && text.charCodeAt(end - 1) === CR) end--;
    let i = start;
    while (i < end && text.charCodeAt(i) === SPACE) i++;
    this.lineStart = start;
    this.lineEnd = end;
    this.contentStart = i;
    this.indent = i - start;
    if (i === end) {
      this.kind = BLANK;
      return;
    }
    const c = text.charCodeAt(i);
    this.kind = c === HASH ? COMMENT : c === TAB ? TABBED : CONTENT;
  }
}

function isKeyChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || // a-z
    (c >= 65 && c <= 90) || // A-Z
    (c >= 48 && c <= 57) || // 0-9
    c === DASH ||
    c === 95 /* _ */ ||
    c === 46 /* . */ ||
    c === 47 /* / */
  );
}

/** Whether a plain (unquoted) scalar may start here; indicators such as `&`, `*`, `!`, `|` mean something else. */
function isPlainScalarStart(text: string, at: number, end: number): boolean {
  const c = text.charCodeAt(at);
  switch (c) {
    case 0x5b: // [
    case 0x5d: // ]
    case 0x7b: // {
    case 0x7d: // }
    case 0x2c: // ,
    case HASH:
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
    case DOUBLE_QUOTE:
    case SINGLE_QUOTE:
    case TAB:
      return false;
    case DASH:
    case 0x3f: // ?
    case COLON: {
      const after = at + 1 < end ? text.charCodeAt(at + 1) : SPACE;
      return after !== SPACE && after !== TAB;
    }
    default:
      return true;
  }
}

/** YAML also breaks lines at a lone CR; the scanner only splits at LF (and strips a CR before it). */
function hasLoneCarriageReturn(text: string): boolean {
  for (let i = text.indexOf("\r"); i !== -1; i = text.indexOf("\r", i + 1)) {
    if (text.charCodeAt(i + 1) !== LF) return true;
  }
  return false;
}

/**
 * Whether the text may use YAML aliases: an anchor (`&a`) and an alias (`*a`), each where a node can start.
 * Aliases are how "billion laughs" documents explode; such files go to the fallback, which caps expansion.
 * Checking only node-start positions keeps `?a=1&b=2` in URLs and `*emphasis*` in prose on the fast path.
 */
function mayUseAliases(text: string): boolean {
  return hasNodeProperty(text, "&") && hasNodeProperty(text, "*");
}

function hasNodeProperty(text: string, indicator: "&" | "*"): boolean {
  for (let i = text.indexOf(indicator); i !== -1; i = text.indexOf(indicator, i + 1)) {
    const after = text.charCodeAt(i + 1);
    if (Number.isNaN(after) || after === SPACE || after === TAB || after === LF || after === CR) continue;
    if (after === 0x2c || after === 0x5b || after === 0x5d || after === 0x7b || after === 0x7d) continue;
    let j = i - 1;
    while (j >= 0 && (text.charCodeAt(j) === SPACE || text.charCodeAt(j) === TAB)) j--;
    if (j < 0) return true;
    const before = text.charCodeAt(j);
    if (
      before === LF ||
      before === CR ||
      before === COLON ||
      before === DASH ||
      before === 0x3f /* ? */ ||
      before === 0x2c /* , */ ||
      before === 0x5b /* [ */ ||
      before === 0x7b /* { */
    ) {
      return true;
    }
    // An anchor may follow a tag: `!!map &a`.
    if (indicator === "&" && j < i - 1) {
      let k = j;
      while (k >= 0 && !isWhitespace(text.charCodeAt(k))) k--;
      if (text.charCodeAt(k + 1) === 0x21 /* ! */) return true;
    }
  }
  return false;
}

function isWhitespace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}
