import { schema as publishedSchema } from "@octokit/graphql-schema";
import { buildClientSchema, parse, validate, type IntrospectionQuery } from "graphql";
import { describe, expect, it } from "vitest";
import { buildPrefetchQuery, readPrefetchedBranch, readPrefetchedFile } from "./prefetch-query";

const blob = (text: string | null, extra: Record<string, unknown> = {}) => ({
  type: "blob",
  mode: 0o100644,
  object: { byteSize: text?.length ?? 10, isBinary: text === null, isTruncated: false, text, ...extra },
});

describe("the prefetch query", () => {
  it("is valid against GitHub's published schema, names and paths as variables", () => {
    const { query, variables } = buildPrefetchQuery([
      { owner: "acme", name: "shop", branches: [{ branch: "main", paths: ["Chart.yaml", 'we"ird\\path'] }, { branch: "release/eu", paths: [] }] },
      { owner: "acme", name: "pay", branches: [{ branch: "main", paths: ["stack/Chart.lock"] }] },
    ]);
    const schema = buildClientSchema(publishedSchema.json as unknown as IntrospectionQuery);
    expect(validate(schema, parse(query))).toEqual([]);
    expect(query).not.toContain("ird");
    expect(variables).toMatchObject({ o0: "acme", n0: "shop", q0_1: "refs/heads/release/eu", p0_0_1: 'we"ird\\path', n1: "pay" });
  });

  it("keeps text blobs and missing files, and leaves what REST decides to REST", () => {
    expect(readPrefetchedFile(blob("name: x\n"), 100)).toEqual({ kind: "text", text: "name: x\n" });
    expect(readPrefetchedFile(null, 100)).toEqual({ kind: "missing" });
    expect(readPrefetchedFile({ type: "tree", mode: 0o40000, object: {} }, 100)).toEqual({ kind: "missing" });
    expect(readPrefetchedFile({ type: "commit", mode: 0o160000, object: null }, 100)).toEqual({ kind: "missing" });
    expect(readPrefetchedFile({ ...blob("target"), mode: 0o120000 }, 100)).toEqual({ kind: "undecided" });
    expect(readPrefetchedFile(blob(null), 100)).toEqual({ kind: "undecided" });
    expect(readPrefetchedFile(blob("x".repeat(101)), 100)).toEqual({ kind: "undecided" });
    expect(readPrefetchedFile(blob("x", { isTruncated: true }), 100)).toEqual({ kind: "undecided" });
    expect(readPrefetchedFile(blob("x", { isBinary: null }), 100)).toEqual({ kind: "undecided" });
  });

  it("reads a branch's head and files by alias, and nothing for a missing repository or branch", () => {
    const data = { r0: { b0: { target: { oid: "a".repeat(40), committedDate: "2024-03-01T10:00:00Z", f0: blob("v: 1\n"), f1: null } }, b1: null }, r1: null };
    expect(readPrefetchedBranch(data, 0, 0, 2, 100)).toEqual({
      head: { sha: "a".repeat(40), date: new Date("2024-03-01T10:00:00Z") },
      files: [{ kind: "text", text: "v: 1\n" }, { kind: "missing" }],
    });
    expect(readPrefetchedBranch(data, 0, 1, 2, 100)).toEqual({ files: [] });
    expect(readPrefetchedBranch(data, 1, 0, 2, 100)).toEqual({ files: [] });
  });
});
