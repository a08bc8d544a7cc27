/** The slice of postman-request (jira-client's own HTTP library) that jira-transport.ts uses. */
declare module "postman-request" {
  interface PostmanResponse {
    statusCode: number;
    headers: Record<string, string | string[] | undefined>;
    body: unknown;
  }
  type PostmanCallback = (error: (Error & { code?: string }) | null, response: PostmanResponse) => void;
  function request(options: Record<string, unknown>, callback: PostmanCallback): unknown;
  export default request;
}
