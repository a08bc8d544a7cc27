import { describe, expect, it } from "vitest";
import { isWellFormedGitHubSignature, verifyGitHubSignature } from "./verify-github-signature";

// GitHub's own test values ("Validating webhook deliveries": secret, payload and the signature it must give).
const SECRET = "It's a Secret to Everybody";
const BODY = new TextEncoder().encode("Hello, World!");
const SIGNATURE = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

describe("verifyGitHubSignature", () => {
  it("accepts GitHub's documented test signature, in either hex case", () => {
    expect(verifyGitHubSignature(SECRET, BODY, SIGNATURE)).toBe(true);
    expect(verifyGitHubSignature(SECRET, BODY, SIGNATURE.toUpperCase().replace("SHA256=", "sha256="))).toBe(true);
  });

  it("refuses another secret, another body, a changed digit and a missing signature", () => {
    expect(verifyGitHubSignature("another secret", BODY, SIGNATURE)).toBe(false);
    expect(verifyGitHubSignature(SECRET, new TextEncoder().encode("Hello, World!\n"), SIGNATURE)).toBe(false);
    expect(verifyGitHubSignature(SECRET, BODY, SIGNATURE.replace(/7$/, "8"))).toBe(false);
    expect(verifyGitHubSignature(SECRET, BODY, null)).toBe(false);
    expect(verifyGitHubSignature(SECRET, BODY, undefined)).toBe(false);
  });

  it("refuses anything but sha256= and 64 hex digits (the SHA-1 header's format, truncated, padded)", () => {
    for (const header of [
      "sha1=757107ea0eb2509fc211221cce984b8a37570b6d",
      "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
      SIGNATURE.slice(0, -2),
      `${SIGNATURE}00`,
      ` ${SIGNATURE}`,
      "sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    ]) {
      expect(isWellFormedGitHubSignature(header)).toBe(false);
      expect(verifyGitHubSignature(SECRET, BODY, header)).toBe(false);
    }
    expect(isWellFormedGitHubSignature(SIGNATURE)).toBe(true);
  });
});
