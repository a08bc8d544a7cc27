import { describe, expect, it } from "vitest";
import type { GitCommit } from "../git-provider";
import { chainTouchingPath, walkFirstParents } from "./first-parent-history";

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
