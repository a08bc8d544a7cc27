import "server-only";
import postmanRequest from "postman-request";
import type { JiraTransportFailure } from "./jira-errors";

/**
 * The `request` function jira-client is built with. It is jira-client's own default — postman-request, resolving with
 * the parsed body — except for what it rejects with: the default rejects with the body alone, so jira-client's
 * errors lose the status and the headers, and a 429 cannot say when to retry. This one rejects with a
 * JiraTransportFailure (status, Retry-After, Jira's body, or the network error's code), which jira-errors.ts reads
 * back out of jira-client's `new Error(JSON.stringify(rejection))`.
 */
export function jiraTransport(options: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    postmanRequest(options, (error, response) => {
      if (error) {
        const failure: JiraTransportFailure = { jiraTransport: 1, code: error.code, message: error.message };
        reject(failure);
        return;
      }
      if (response.statusCode >= 400) {
        const header = (name: string) => {
          const value = response.headers[name];
          return Array.isArray(value) ? value[0] : value;
        };
        const failure: JiraTransportFailure = {
          jiraTransport: 1,
          statusCode: response.statusCode,
          headers: {
            "retry-after": header("retry-after"),
            "x-seraph-loginreason": header("x-seraph-loginreason"),
            "content-type": header("content-type"),
          },
          body: typeof response.body === "string" ? response.body.slice(0, 2000) : response.body,
        };
        reject(failure);
        return;
      }
      resolve(response.body);
    });
  });
}
