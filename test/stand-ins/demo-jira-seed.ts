import { DEMO_EXTRA_SERVICES, DEMO_SERVICES } from "@/lib/demo/demo-spec";
import { DEVELOPERS, type DemoTicket, demoServiceTickets } from "@/lib/demo/service-repo-history";
import type { TestIssueSeed, TestProjectSeed, TestUser } from "../jira/jira-test-server";

/**
 * What a Jira stand-in for the demo knows: a project per demo service's `jiraProject`, every ticket key the demo's
 * service repositories name (so every changelog ticket is a real ticket), people to assign them to, and the bot account
 * Slipway signs in as. Projects use the Jira test server's default workflow (To Do → In Progress → In Review, Done from
 * any of them, Reopen from Done), which has the "Done" and "Reopen" transitions the demo's slipway.yaml names.
 */

/** The account Slipway uses (Jira Cloud: an email and an API token). */
export const DEMO_JIRA_BOT: TestUser = { login: "release-bot@example.com", displayName: "Release Bot", token: "demo-jira-api-token" };

/** A ticket whose release came out longer ago than this is done; newer ones are still being reviewed. */
const DONE_AFTER_DAYS = 30;

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const projectName = (key: string) => key.split("-").map(capitalise).join(" ");

function ticketType(ticket: DemoTicket, serviceSubjects: string[]): string {
  if (/^fix\b/i.test(ticket.subject)) return "Bug";
  return serviceSubjects.includes(ticket.subject) ? "Story" : "Task";
}

export interface DemoJiraSeed {
  users: TestUser[];
  projects: TestProjectSeed[];
  issues: TestIssueSeed[];
}

export function demoJiraSeed(): DemoJiraSeed {
  const projects: TestProjectSeed[] = [
    ...DEMO_SERVICES.map((service) => ({ key: service.jiraProject, name: projectName(service.key) })),
    ...DEMO_EXTRA_SERVICES.map((service) => ({ key: service.jiraProject, name: projectName(service.key) })),
  ];
  const issues: TestIssueSeed[] = [];
  for (const service of DEMO_SERVICES) {
    demoServiceTickets(service).forEach((ticket, index) => {
      const done = ticket.release.daysAgo > DONE_AFTER_DAYS;
      issues.push({
        key: ticket.key,
        summary: capitalise(ticket.subject),
        status: done ? "Done" : index % 3 === 0 ? "In Progress" : "In Review",
        type: ticketType(ticket, service.subjects),
        assignee: ticket.author.email,
      });
    });
  }
  // People sign in with their own tokens; the stand-in never hands these out.
  const people: TestUser[] = DEVELOPERS.map((person) => ({ login: person.email, displayName: person.name, token: `unused-${person.email}` }));
  return { users: [DEMO_JIRA_BOT, ...people], projects, issues };
}
