import type { FetchStats } from "@/lib/registry/types";

export function newStats(): FetchStats {
  return { requests: 0, notModified: 0, bytes: 0 };
}

/** The error a promise rejects with; fails the test when it resolves instead. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}
