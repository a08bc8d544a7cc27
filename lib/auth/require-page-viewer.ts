import "server-only";
import { forbidden, notFound, redirect } from "next/navigation";
import { hasErrorName } from "@/lib/errors";
import { type Viewer, authorize, getViewer } from "./authorize";
import type { PolicyAction } from "./policy";

/**
 * For pages: runs an authorization check and turns its refusal into what a person should see — the sign-in page (which
 * comes back to `path` afterwards), the 404 page, or the 403 page.
 */
export async function requirePageAccess<T>(path: string, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    if (hasErrorName(error, "UnauthorizedError")) redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
    if (hasErrorName(error, "NotFoundError")) notFound();
    if (hasErrorName(error, "ForbiddenError")) forbidden();
    throw error;
  }
}

/** The viewer of a page; with an action, authorized for it (on `environment`, or workspace-wide). */
export function requirePageViewer(path: string, action?: PolicyAction, environment?: string): Promise<Viewer> {
  return requirePageAccess(path, () => (action ? authorize(action, environment) : getViewer()));
}
