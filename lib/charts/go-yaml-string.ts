/**
 * The text Helm ends up with when a YAML number or boolean lands in one of its string fields (a dependency's
 * `version:`, a lock entry's `version:`, a chart's `name:`).
 *
 * Helm 3 reads Chart.yaml, requirements.yaml and lock files with sigs.k8s.io/yaml (v1.6.0 in Helm v3.21): go-yaml v2
 * decodes the document with YAML 1.1 rules into untyped values, and the converter turns a number or boolean aimed at a
 * Go string field into text with `strconv.FormatInt`, or `strconv.FormatFloat(v, 'g', -1, 32)` for floats. So
 * `version: 1.10` is the constraint "1.1" to Helm, `version: 010` is "8" (a YAML 1.1 octal) and `version: 1.0` is
 * "1"; quoting the value is the only way to keep it as written.
 *
 * `source` is the scalar as written; `value` what a YAML 1.1 parser made of it.
 */
export function goYamlString(value: number | bigint | boolean, source: string): string {
  if (typeof value === "boolean") return value ? "true" : "false";
  // go-yaml v2 has no base-60 numbers (YAML 1.1 does): `1:20` stays a string there.
  if (source.includes(":")) return source;
  if (typeof value === "bigint" || isGoYamlInteger(source)) return BigInt(value).toString();
  return formatFloat32(value);
}

/** go-yaml v2's integer forms: decimal, 0b binary, 0x hex, 0-prefixed octal, with optional sign and underscores. */
function isGoYamlInteger(source: string): boolean {
  return /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*)$/.test(source.trim());
}

/** Go's `strconv.FormatFloat(v, 'g', -1, 32)`: the shortest digits that read back as the same float32. */
export function formatFloat32(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  const single = Math.fround(value);
  if (single === 0) return Object.is(single, -0) ? "-0" : "0";
  if (!Number.isFinite(single)) return single > 0 ? "+Inf" : "-Inf";

  let digits = "";
  let exponent = 0;
  for (let precision = 1; precision <= 9; precision++) {
    const [mantissa, power] = Math.abs(single).toExponential(precision - 1).split("e") as [string, string];
    if (Math.fround(Number(`${mantissa}e${power}`)) === Math.abs(single)) {
      digits = mantissa.replace(".", "").replace(/0+$/, "") || "0";
      exponent = Number(power);
      break;
    }
  }
  const sign = single < 0 ? "-" : "";
  // %e when the exponent is below -4 or at least 6 (Go's rule for the shortest form), else %f.
  if (exponent < -4 || exponent >= 6) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const power = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
    return `${sign}${digits[0]}${fraction}e${power}`;
  }
  const point = exponent + 1;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/**
 * An unquoted YAML 1.1 timestamp in a Go string field: go-yaml v2 makes it a time.Time and sigs.k8s.io/yaml passes it
 * through JSON, so Helm sees RFC 3339 with nanoseconds trimmed (`version: 2021-08-23` is "2021-08-23T00:00:00Z").
 * Known gap: Go keeps a written offset (+02:00); JavaScript dates do not, so such a time is given in UTC.
 */
export function goYamlTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d*?)0*Z$/, (_match, digits: string) => (digits ? `.${digits}Z` : "Z"));
}
