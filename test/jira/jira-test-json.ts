/**
 * The JSON the Jira test server answers with, shaped like Jira's: Cloud's per its OpenAPI description (swagger-v3.v3.json:
 * IssueBean, StatusDetails, StatusCategory, Version, IssueTransition, Comment, User, ServerInformation), Data
 * Center's per its REST reference (docs.atlassian.com/software/jira/docs/api/REST/9.x), which differ in how people are
 * identified (accountId on Cloud, name and key on Data Center) and in comment bodies (ADF on v3, strings on v2).
 */

export type Deployment = "cloud" | "datacenter";
export type CategoryKey = "new" | "indeterminate" | "done";

export interface TestStatus {
  id: string;
  name: string;
  category: CategoryKey;
}

export interface TestUserRecord {
  login: string;
  displayName: string;
  accountId: string;
  email: string;
}

export interface TestVersion {
  id: string;
  projectId: number;
  name: string;
  description?: string;
  released: boolean;
  archived: boolean;
  releaseDate?: string;
  startDate?: string;
}

export interface TestComment {
  id: string;
  author: string;
  /** As posted: an ADF document (v3) or a string (v2). */
  body: unknown;
  created: Date;
}

export interface TestRemoteLink {
  id: number;
  globalId?: string;
  application?: Record<string, unknown>;
  relationship?: string;
  object: Record<string, unknown>;
}

export interface TestIssue {
  id: string;
  key: string;
  projectKey: string;
  summary: string;
  status: TestStatus;
  type: string;
  assignee?: string;
  fixVersionIds: string[];
  labels: string[];
  comments: TestComment[];
  remoteLinks: TestRemoteLink[];
  created: Date;
  updated: Date;
}

const CATEGORIES: Record<CategoryKey, { id: number; colorName: string; name: string }> = {
  new: { id: 2, colorName: "blue-gray", name: "To Do" },
  indeterminate: { id: 4, colorName: "yellow", name: "In Progress" },
  done: { id: 3, colorName: "green", name: "Done" },
};

const ISSUE_TYPES: Record<string, { id: string; description: string }> = {
  Bug: { id: "10004", description: "A problem which impairs or prevents the functions of the product." },
  Story: { id: "10001", description: "A user story." },
  Task: { id: "10002", description: "A task that needs to be done." },
  Epic: { id: "10000", description: "A big user story that needs to be broken down." },
};

/** Jira's date-time format: 2025-03-14T10:15:30.000+0000. */
export function jiraDateTime(date: Date): string {
  return date.toISOString().replace("Z", "+0000");
}

export function createJson(api: () => string, deployment: Deployment, users: Map<string, TestUserRecord>) {
  const cloud = deployment === "cloud";

  function avatarUrls(id: string) {
    return Object.fromEntries(["48x48", "24x24", "16x16", "32x32"].map((size) => [size, `${api()}/secure/useravatar?size=${size}&ownerId=${id}`]));
  }

  function userJson(login: string, full = false) {
    const user = users.get(login);
    const displayName = user?.displayName ?? login;
    const base = cloud
      ? {
          self: `${api()}/user?accountId=${user?.accountId ?? login}`,
          accountId: user?.accountId ?? login,
          accountType: "atlassian",
          ...(user?.email ? { emailAddress: user.email } : {}),
          avatarUrls: avatarUrls(user?.accountId ?? login),
          displayName,
          active: true,
          timeZone: "Etc/UTC",
        }
      : {
          self: `${api()}/user?username=${login}`,
          key: `JIRAUSER${[...login].reduce((sum, char) => sum + char.charCodeAt(0), 10000)}`,
          name: login,
          ...(user?.email ? { emailAddress: user.email } : {}),
          avatarUrls: avatarUrls(login),
          displayName,
          active: true,
          timeZone: "Etc/UTC",
        };
    if (!full) return base;
    return { ...base, locale: "en_US", groups: { size: 1, items: [] }, applicationRoles: { size: 1, items: [] }, expand: "groups,applicationRoles" };
  }

  function statusCategoryJson(key: CategoryKey) {
    const category = CATEGORIES[key];
    return { self: `${api()}/statuscategory/${category.id}`, id: category.id, key, colorName: category.colorName, name: category.name };
  }

  function statusJson(status: TestStatus) {
    return {
      self: `${api()}/status/${status.id}`,
      description: "",
      iconUrl: `${api().replace(/\/rest\/api\/\d$/, "")}/images/icons/statuses/generic.png`,
      name: status.name,
      id: status.id,
      statusCategory: statusCategoryJson(status.category),
    };
  }

  function versionJson(version: TestVersion) {
    return {
      self: `${api()}/version/${version.id}`,
      id: version.id,
      ...(version.description !== undefined ? { description: version.description } : {}),
      name: version.name,
      archived: version.archived,
      released: version.released,
      ...(version.startDate ? { startDate: version.startDate } : {}),
      ...(version.releaseDate ? { releaseDate: version.releaseDate, userReleaseDate: version.releaseDate } : {}),
      ...(version.releaseDate && !version.released ? { overdue: version.releaseDate < new Date().toISOString().slice(0, 10) } : {}),
      projectId: version.projectId,
    };
  }

  function issueTypeJson(name: string) {
    const type = ISSUE_TYPES[name] ?? { id: "10002", description: "" };
    return {
      self: `${api()}/issuetype/${type.id}`,
      id: type.id,
      description: type.description,
      iconUrl: `${api()}/universal_avatar/view/type/issuetype/avatar/${type.id}`,
      name,
      subtask: false,
      ...(cloud ? { hierarchyLevel: name === "Epic" ? 1 : 0 } : { avatarId: Number(type.id) }),
    };
  }

  function projectJson(project: { id: number; key: string; name: string }) {
    return {
      self: `${api()}/project/${project.id}`,
      id: String(project.id),
      key: project.key,
      name: project.name,
      projectTypeKey: "software",
      avatarUrls: avatarUrls(`p${project.id}`),
      ...(cloud ? { simplified: false } : {}),
    };
  }

  /** A comment body as the API version reads it: ADF on v3, a string on v2 (Jira converts between them). */
  function commentBody(body: unknown, apiVersion: string): unknown {
    if (apiVersion === "3") {
      if (typeof body !== "string") return body;
      return { type: "doc", version: 1, content: body.split(/\n{2,}/).map((text) => ({ type: "paragraph", content: [{ type: "text", text }] })) };
    }
    return typeof body === "string" ? body : adfText(body).trim();
  }

  function commentJson(issue: TestIssue, comment: TestComment, apiVersion: string) {
    return {
      self: `${api()}/issue/${issue.id}/comment/${comment.id}`,
      id: comment.id,
      author: userJson(comment.author),
      body: commentBody(comment.body, apiVersion),
      updateAuthor: userJson(comment.author),
      created: jiraDateTime(comment.created),
      updated: jiraDateTime(comment.created),
      ...(cloud ? { jsdPublic: true } : {}),
    };
  }

  function remoteLinkJson(issue: TestIssue, link: TestRemoteLink) {
    return {
      id: link.id,
      self: `${api()}/issue/${issue.key}/remotelink/${link.id}`,
      ...(link.globalId !== undefined ? { globalId: link.globalId } : {}),
      ...(link.application ? { application: link.application } : {}),
      ...(link.relationship ? { relationship: link.relationship } : {}),
      object: link.object,
    };
  }

  return { userJson, statusJson, statusCategoryJson, versionJson, issueTypeJson, projectJson, commentJson, commentBody, remoteLinkJson };
}

/** The text of an ADF document, paragraphs and hard breaks as line breaks. */
export function adfText(node: unknown): string {
  if (typeof node !== "object" || node === null) return "";
  const { type, text, content } = node as { type?: string; text?: string; content?: unknown[] };
  if (typeof text === "string") return text;
  if (type === "hardBreak") return "\n";
  const inner = Array.isArray(content) ? content.map(adfText).join("") : "";
  return type === "paragraph" || type === "heading" ? `${inner}\n\n` : inner;
}
