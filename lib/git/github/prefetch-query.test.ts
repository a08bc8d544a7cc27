import { schema as publishedSchema } from "@octokit/graphql-schema";
import { buildClientSchema, parse, validate, type IntrospectionQuery } from "graphql";
import { describe, expect, it } from "vitest";
import { buildPrefetchQuery, HISTORY_WINDOW, readPrefetchedBranch, readPrefetchedFile } from "./prefetch-query";

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

  it("asks for a window of history and the commits touching each stack folder, valid against the schema and within its limits", () => {
    const { query, variables } = buildPrefetchQuery(
      Array.from({ length: 25 }, (_, r) => ({
        owner: "acme",
        name: `stack-${r}`,
        branches: [{ branch: "main", paths: ["Chart.yaml"], history: { paths: r === 0 ? ["envs/dev", "envs/prod"] : [] } }],
      })),
    );
    const schema = buildClientSchema(publishedSchema.json as unknown as IntrospectionQuery);
    expect(validate(schema, parse(query))).toEqual([]);
    expect(query).toContain(`h: history(first: ${HISTORY_WINDOW})`);
    expect(variables).toMatchObject({ t0_0_0: "envs/dev", t0_0_1: "envs/prod" });
    expect(variables).not.toHaveProperty("t1_0_0");
    // Without files, their fragment stays out: GitHub refuses an unused one.
    const historyOnly = buildPrefetchQuery([{ owner: "acme", name: "shop", branches: [{ branch: "main", paths: [], history: { paths: [] } }] }]).query;
    expect(validate(schema, parse(historyOnly))).toEqual([]);
  });

  it("reads a history window into commits as the REST adapter does, and refuses one it cannot trust", () => {
    const node = (oid: string, parents: string[], extra: Record<string, unknown> = {}) => ({
      oid,
      message: `Change ${oid}\n\nBody\n`,
      committedDate: "2024-03-01T10:00:00Z",
      author: { name: "Ada", email: "ada@example.com" },
      parents: { totalCount: parents.length, nodes: parents.map((p) => ({ oid: p })) },
      ...extra,
    });
    const target = (h: unknown, t0?: unknown) => ({ r0: { b0: { target: { oid: "c2", committedDate: "2024-03-01T10:00:00Z", h, ...(t0 !== undefined && { t0 }) } } } });
    const page = (nodes: unknown[], hasNextPage = false) => ({ pageInfo: { hasNextPage }, nodes });
    const good = target(page([node("c2", ["c1", "x9"]), node("c1", [])], true), page([{ oid: "c1" }]));
    expect(readPrefetchedBranch(good, 0, 0, { fileCount: 0, history: { paths: ["envs/dev"] } }, 100).history).toEqual({
      commits: [
        { sha: "c2", subject: "Change c2", message: "Change c2\n\nBody", authorName: "Ada", authorEmail: "ada@example.com", date: new Date("2024-03-01T10:00:00Z"), parents: ["c1", "x9"] },
        expect.objectContaining({ sha: "c1", parents: [] }),
      ],
      complete: false,
      touching: new Map([["envs/dev", { shas: ["c1"], complete: true }]]),
    });
    // Not asked: not read.
    expect(readPrefetchedBranch(good, 0, 0, { fileCount: 0 }, 100).history).toBeUndefined();
    // An octopus merge of more parents than were asked, a window not starting at the head, a missing path listing.
    const octopus = node("c2", ["c1"], { parents: { totalCount: 21, nodes: [{ oid: "c1" }] } });
    expect(readPrefetchedBranch(target(page([octopus])), 0, 0, { fileCount: 0, history: { paths: [] } }, 100).history).toBeUndefined();
    expect(readPrefetchedBranch(target(page([node("c1", [])])), 0, 0, { fileCount: 0, history: { paths: [] } }, 100).history).toBeUndefined();
    expect(readPrefetchedBranch(target(page([node("c2", [])])), 0, 0, { fileCount: 0, history: { paths: ["envs/dev"] } }, 100).history).toBeUndefined();
    expect(readPrefetchedBranch(target(page([node("c2", [])])), 0, 0, { fileCount: 0, history: { paths: [] } }, 100).history?.complete).toBe(true);
    // More than was asked for is no answer to this query: more commits than the window, more parents than asked.
    const overfull = page([node("c2", []), ...Array.from({ length: HISTORY_WINDOW }, (_, i) => node(`x${i}`, []))]);
    expect(readPrefetchedBranch(target(overfull), 0, 0, { fileCount: 0, history: { paths: [] } }, 100).history).toBeUndefined();
    const manyParents = Array.from({ length: 21 }, (_, i) => `p${i}`);
    expect(readPrefetchedBranch(target(page([node("c2", manyParents)])), 0, 0, { fileCount: 0, history: { paths: [] } }, 100).history).toBeUndefined();
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
    expect(readPrefetchedBranch(data, 0, 0, { fileCount: 2 }, 100)).toEqual({
      head: { sha: "a".repeat(40), date: new Date("2024-03-01T10:00:00Z") },
      files: [{ kind: "text", text: "v: 1\n" }, { kind: "missing" }],
    });
    expect(readPrefetchedBranch(data, 0, 1, { fileCount: 2 }, 100)).toEqual({ files: [] });
    expect(readPrefetchedBranch(data, 1, 0, { fileCount: 2 }, 100)).toEqual({ files: [] });
  });
});
