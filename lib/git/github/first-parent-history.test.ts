import { describe, expect, it } from "vitest";
import type { GitCommit } from "../git-provider";
import { chainTouchingPath, firstParentsFromWindow, walkFirstParents } from "./first-parent-history";

function graph(edges: Record<string, string[]>): Map<string, GitCommit> {
  return new Map(
    Object.entries(edges).map(([sha, parents]) => [
      sha,
      { sha, parents, subject: sha, message: sha, authorName: "A", authorEmail: "a@example.com", date: new Date(0) },
    ]),
  );
}

// main: c1 ── c2 ── m1 ── m2 ── c3        (m1 merges f1, m2 merges f2 which forked at c1)
//          \       /      /
//           f1 ───┘      /
//   c1 ── f2a ── f2b ───┘
const history = graph({
  c3: ["m2"],
  m2: ["m1", "f2b"],
  f2b: ["f2a"],
  f2a: ["c1"],
  m1: ["c2", "f1"],
  f1: ["c1"],
  c2: ["c1"],
  c1: [],
});

describe("walkFirstParents", () => {
  it("follows first parents from the head", () => {
    expect(walkFirstParents(history, "c3", 10)).toEqual({
      chain: ["c3", "m2", "m1", "c2", "c1"].map((sha) => history.get(sha)),
      needsMore: false,
    });
  });

  it("stops at the limit", () => {
    expect(walkFirstParents(history, "c3", 2).chain.map((commit) => commit.sha)).toEqual(["c3", "m2"]);
  });

  it("asks for more when the chain runs past the fetched commits", () => {
    const window = graph({ c3: ["m2"], m2: ["m1", "f2b"], f2b: ["f2a"] });
    expect(walkFirstParents(window, "c3", 10)).toMatchObject({ needsMore: true, chain: [{ sha: "c3" }, { sha: "m2" }] });
  });
});

describe("chainTouchingPath", () => {
  const chain = walkFirstParents(history, "c3", Infinity).chain;
  const kept = (touching: string[]) => chainTouchingPath(chain, history, new Set(touching)).map((commit) => commit.sha);

  it("keeps chain commits that touch the path themselves", () => {
    expect(kept(["c3", "c1"])).toEqual(["c3", "c1"]);
  });

  it("credits a merged branch's commits to the merge that brought them in", () => {
    expect(kept(["f1"])).toEqual(["m1"]);
    expect(kept(["f2a"])).toEqual(["m2"]);
  });

  it("does not credit main-line history to a merge whose branch forked from it", () => {
    // f2 forked at c1; c1 and c2 are reachable from m2's second parent but belong to the main line.
    expect(kept(["c2"])).toEqual(["c2"]);
  });

  it("credits a commit merged twice to the older merge", () => {
    const twice = graph({
      m2: ["m1", "g2"],
      g2: ["g1"],
      m1: ["c1", "g1"],
      g1: ["c1"],
      c1: [],
    });
    const twiceChain = walkFirstParents(twice, "m2", Infinity).chain;
    expect(chainTouchingPath(twiceChain, twice, new Set(["g1"])).map((commit) => commit.sha)).toEqual(["m1"]);
    expect(chainTouchingPath(twiceChain, twice, new Set(["g2"])).map((commit) => commit.sha)).toEqual(["m2"]);
  });
});

describe("firstParentsFromWindow", () => {
  const all = [...history.values()];
  const shas = (commits: GitCommit[] | undefined) => commits?.map((commit) => commit.sha);
  // The window as "list commits" serves it: newest first; cut after `size` commits.
  const window = (size: number, touching?: { shas: string[]; complete: boolean }) => ({
    commits: all.slice(0, size),
    complete: size >= all.length,
    ...(touching && { touching }),
  });

  it("answers the chain from a whole history, or up to the limit inside a partial one", () => {
    expect(shas(firstParentsFromWindow(window(8), "c3", 100))).toEqual(["c3", "m2", "m1", "c2", "c1"]);
    expect(shas(firstParentsFromWindow(window(5), "c3", 3))).toEqual(["c3", "m2", "m1"]);
  });

  it("leaves to REST a chain that runs off a partial window, unless it reaches the commit the caller stops at", () => {
    expect(firstParentsFromWindow(window(5), "c3", 100)).toBeUndefined();
    expect(shas(firstParentsFromWindow(window(5), "c3", 100, "m2"))).toEqual(["c3", "m2"]);
    expect(firstParentsFromWindow(window(5), "c3", 100, "c1")).toBeUndefined();
  });

  it("filters by path only with the whole listing of commits touching it", () => {
    // f2a touched the path: m2 brought it in; c1 touched it itself.
    const touching = { shas: ["f2a", "c1"], complete: true };
    expect(shas(firstParentsFromWindow(window(8, touching), "c3", 100))).toEqual(["m2", "c1"]);
    expect(firstParentsFromWindow(window(8, { ...touching, complete: false }), "c3", 100)).toBeUndefined();
    // A partial window answers once it reaches the stop commit, or keeps more than the limit.
    expect(shas(firstParentsFromWindow(window(5, { shas: ["f2b", "m1"], complete: true }), "c3", 100, "m2"))).toEqual(["m2"]);
    expect(firstParentsFromWindow(window(5, { shas: ["f2b"], complete: true }), "c3", 100)).toBeUndefined();
  });

  it("knows nothing of a head outside the window", () => {
    expect(firstParentsFromWindow(window(8), "zz", 100)).toBeUndefined();
  });
});
