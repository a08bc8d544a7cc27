import { recordDenial } from "@/lib/audit/record-denial";
import type { AccessConfig } from "@/lib/config/schema";
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, type SlipwayError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { type Decision, type PolicyAction, type PolicyResource, decide } from "./policy";
import type { Principal } from "./principal";

export interface EnforceContext {
  access: AccessConfig;
  /** Where denials are recorded; without it (a read-only CLI command with no database) they are only refused. */
  db?: PrismaClient;
  origin?: { ip?: string; userAgent?: string };
}

/**
 * Asks the policy and turns a refusal into the error its status stands for. Refusals of a signed-in caller are written
 * to the audit trail (throttled); an anonymous caller only hears "sign in", and asking about something that does not
 * exist is not a denial of anything.
 */
export async function enforce(principal: Principal | null, action: PolicyAction, resource: PolicyResource, context: EnforceContext): Promise<void> {
  const decision = decide(principal, action, resource, context.access);
  if (decision.allowed) return;
  const exists = resource.type === "workspace" || Boolean(resource.environment);
  const denial = decision.status === 403 || (decision.status === 404 && exists);
  if (denial && principal && principal.source !== "anonymous" && context.db) {
    await recordDenial(context.db, {
      actor: principal,
      action,
      environment: resource.type === "environment" ? resource.name : resource.type === "release" ? resource.request.environment : undefined,
      target: resource.type === "release" ? `#${resource.request.id}` : undefined,
      status: decision.status,
      reason: decision.reason,
      origin: context.origin,
    });
  }
  throw refusal(decision);
}

/** The error a refusal stands for: 401, 403, 404 or 409 with the policy's reason. */
export function refusal(decision: Extract<Decision, { allowed: false }>): SlipwayError {
  switch (decision.status) {
    case 401:
      return new UnauthorizedError(decision.reason);
    case 403:
      return new ForbiddenError(decision.reason);
    case 404:
      return new NotFoundError(decision.reason);
    case 409:
      return new ConflictError(decision.reason);
  }
}
