import "server-only";
import { forbidden, redirect } from "next/navigation";
import { ForbiddenError, UnauthorizedError } from "@/lib/errors";
import { type Viewer, authorize, getViewer } from "./authorize";
import type { Action } from "./permissions";

/** For pages: the viewer, a redirect to sign-in that comes back to `path` afterwards, or a 403 page. */
export async function requirePageViewer(path: string, action?: Action, environment?: string): Promise<Viewer> {
  try {
    return action ? await authorize(action, environment) : await getViewer();
  } catch (error) {
    if (error instanceof UnauthorizedError) redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
    if (error instanceof ForbiddenError) forbidden();
    throw error;
  }
}
