import semver from "semver";

import type { DemoEnvironment, DemoPin, DemoService } from "./demo-spec";

/**
 * Derives a stack's git history from where it ends up: every pinned service was picked up some days after each
 * release (the environment's lag), starting from the versions current when the environment was set up, then any
 * explicit events (rollbacks, odd pins). Changes made on the same day land in one commit, as a release request
 * with several services would.
 */

export interface PinState {
  version: string;
  locked?: string;
}

export interface StackCommitPlan {
  daysAgo: number;
  /** Subject without the PR number. */
  subject: string;
  /** State of every pin after this commit, in pin order. */
  states: PinState[];
  initial: boolean;
}

interface PinEvent {
  daysAgo: number;
  pin: number;
  state: PinState;
  message?: string;
}

const MIN_DAYS_AGO = 0.2;

function adoptionDaysAgo(publishedDaysAgo: number, lag: number): number {
  const d = publishedDaysAgo - lag;
  return d >= MIN_DAYS_AGO ? d : publishedDaysAgo / 2;
}

function isRange(version: string): boolean {
  return /^[~^]/.test(version);
}

/** The constraint as it would have been written for an earlier locked version. */
function constraintFor(finalConstraint: string, version: string): string {
  if (semver.satisfies(version, finalConstraint)) return finalConstraint;
  const v = semver.parse(version);
  if (!v) return version;
  return `${finalConstraint[0]}${v.major}.${v.minor}.0`;
}

function stateFor(pin: DemoPin, version: string): PinState {
  if (isRange(pin.version)) return { version: constraintFor(pin.version, version), locked: version };
  return pin.locked !== undefined ? { version, locked: version } : { version };
}

const sameState = (a: PinState, b: PinState): boolean => a.version === b.version && a.locked === b.locked;

/** Published versions an environment would have run on the way to `target`. */
function chainTo(service: DemoService, target: string): DemoService["releases"] {
  const targetIsPrerelease = semver.prerelease(target) !== null;
  return service.releases
    .filter((r) => semver.lte(r.version, target))
    .filter((r) => !r.deprecated || r.version === target)
    .filter((r) => targetIsPrerelease || semver.prerelease(r.version) === null || r.version === target)
    .sort((a, b) => semver.compare(a.version, b.version));
}

/** The version to walk the registry up to before the pin's explicit history takes over. */
function chainTarget(pin: DemoPin, service: DemoService, lag: number): string | undefined {
  if (!pin.history || pin.history.length === 0) {
    const finalVersion = pin.locked ?? pin.version;
    return service.releases.some((r) => r.version === finalVersion) ? finalVersion : undefined;
  }
  const first = pin.history[0]!;
  const ceiling = semver.valid(first.version);
  const candidates = service.releases
    .filter((r) => !r.deprecated && semver.prerelease(r.version) === null)
    .filter((r) => r.version !== first.version && adoptionDaysAgo(r.daysAgo, lag) > first.daysAgo)
    .filter((r) => ceiling === null || semver.lte(r.version, ceiling))
    .sort((a, b) => semver.compare(a.version, b.version));
  return candidates.at(-1)?.version;
}

function historyState(h: { version: string; locked?: string }): PinState {
  return h.locked !== undefined ? { version: h.version, locked: h.locked } : { version: h.version };
}

function checkFinal(env: DemoEnvironment, pin: DemoPin, index: number, initial: PinState[], events: PinEvent[], finalState: PinState): void {
  const last = events.filter((e) => e.pin === index).at(-1)?.state ?? initial[index]!;
  if (!sameState(last, finalState)) {
    throw new Error(`${env.name}/${pin.chart}: history ends at ${JSON.stringify(last)}, expected ${JSON.stringify(finalState)}`);
  }
}

export function planStackHistory(env: DemoEnvironment, services: DemoService[]): StackCommitPlan[] {
  const initial: PinState[] = [];
  const events: PinEvent[] = [];
  env.pins.forEach((pin, index) => {
    const finalState: PinState = pin.locked !== undefined ? { version: pin.version, locked: pin.locked } : { version: pin.version };
    const service = services.find((s) => s.chart === pin.chart);
    const unpinnedRange = pin.locked === undefined;
    const target = service && !unpinnedRange ? chainTarget(pin, service, env.lagDays) : undefined;
    if (!service || target === undefined) {
      if (pin.history?.length && !pin.startsAt) {
        throw new Error(`${env.name}/${pin.chart}: history needs startsAt or a published starting version`);
      }
      initial.push(pin.startsAt ? { ...pin.startsAt } : finalState);
      for (const h of pin.history ?? []) events.push({ daysAgo: h.daysAgo, pin: index, state: historyState(h), message: h.message });
      checkFinal(env, pin, index, initial, events, finalState);
      return;
    }
    const chain = chainTo(service, target);
    const adopted = chain.map((r) => ({ version: r.version, daysAgo: adoptionDaysAgo(r.daysAgo, env.lagDays) }));
    let startIndex = 0;
    adopted.forEach((a, i) => {
      if (a.daysAgo >= env.startedDaysAgo) startIndex = i;
    });
    initial.push(stateFor(pin, adopted[startIndex]!.version));
    for (const a of adopted.slice(startIndex + 1)) events.push({ daysAgo: a.daysAgo, pin: index, state: stateFor(pin, a.version) });
    for (const h of pin.history ?? []) events.push({ daysAgo: h.daysAgo, pin: index, state: historyState(h), message: h.message });
    checkFinal(env, pin, index, initial, events, finalState);
  });

  // Group automatic upgrades made on the same day; explicit events stay commits of their own.
  events.sort((a, b) => b.daysAgo - a.daysAgo);
  const groups: PinEvent[][] = [];
  for (const event of events) {
    const previous = groups.at(-1);
    const prevEvent = previous?.[0];
    if (
      previous &&
      prevEvent &&
      !event.message &&
      !prevEvent.message &&
      Math.floor(prevEvent.daysAgo) === Math.floor(event.daysAgo) &&
      !previous.some((e) => e.pin === event.pin)
    ) {
      previous.push(event);
    } else {
      groups.push([event]);
    }
  }

  const plans: StackCommitPlan[] = [
    { daysAgo: env.startedDaysAgo, subject: `Add the ${env.name} environment`, states: initial.map((s) => ({ ...s })), initial: true },
  ];
  let states = initial.map((s) => ({ ...s }));
  for (const group of groups) {
    states = states.map((s) => ({ ...s }));
    for (const e of group) states[e.pin] = { ...e.state };
    const daysAgo = Math.min(...group.map((e) => e.daysAgo));
    const subject = group[0]!.message ?? upgradeSubject(env, group);
    plans.push({ daysAgo, subject, states, initial: false });
  }
  return plans;
}

function upgradeSubject(env: DemoEnvironment, group: PinEvent[]): string {
  const items = group.map((e) => {
    const pin = env.pins[e.pin]!;
    return { service: pin.alias ?? pin.chart, version: e.state.locked ?? e.state.version };
  });
  const stage = env.name.split("-").at(-1);
  if (env.upgradeVerb === "Promote") {
    if (items.length === 1) return `Promote ${items[0]!.service} ${items[0]!.version} to ${stage}`;
    if (items.length === 2) return `Promote ${items[0]!.service} ${items[0]!.version} and ${items[1]!.service} ${items[1]!.version} to ${stage}`;
    return `Promote ${items.length} services to ${stage}: ${items.map((i) => `${i.service} ${i.version}`).join(", ")}`;
  }
  if (items.length === 1) return `${env.upgradeVerb} ${items[0]!.service} to ${items[0]!.version}`;
  if (items.length === 2) return `${env.upgradeVerb} ${items[0]!.service} to ${items[0]!.version} and ${items[1]!.service} to ${items[1]!.version}`;
  return `${env.upgradeVerb} ${items.length} services: ${items.map((i) => `${i.service} ${i.version}`).join(", ")}`;
}
