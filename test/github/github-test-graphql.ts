import {
  buildClientSchema,
  execute,
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  parse,
  validate,
  valueFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLSchema,
  type IntrospectionQuery,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import path from "node:path";
import { type CommitRecord, gitBuffer, gitText, logCommits, objectType, readCommit } from "./github-test-git";
import { isoSeconds } from "./github-test-json";
import type { TestRepository } from "./github-test-repository";

/**
 * GitHub's GraphQL API (POST /graphql) for the GitHub test server: queries are parsed, validated and executed by
 * graphql-js against GitHub's published schema (@octokit/graphql-schema), so a query GitHub would reject is rejected
 * here, with GitHub's answer shape (HTTP 200, an `errors` array). Resolvers answer from the server's own git
 * repositories for the fields Slipway reads; any other field of the schema is an error naming it, never a silent null.
 *
 * Rate limits follow "Rate limits and node limits for the GraphQL API": connections need `first` or `last` within
 * 1–100, at most 500,000 nodes; the cost is the number of requests needed to fill each connection (assuming every one
 * reaches its `first`/`last`), divided by 100 and rounded, at least 1 point.
 */

let schemaInstance: Promise<GraphQLSchema> | undefined;

/**
 * GitHub's schema, built once per process (a quarter of a second) from the introspection result the package ships.
 * Imported dynamically: the package is ESM only, and the benchmark scripts load this module as CommonJS.
 */
export function githubGraphqlSchema(): Promise<GraphQLSchema> {
  schemaInstance ??= import("@octokit/graphql-schema").then(({ schema }) => buildClientSchema(schema.json as unknown as IntrospectionQuery));
  return schemaInstance;
}

export interface GraphqlCaller {
  login: string;
  kind: "token" | "installation";
}

export interface GraphqlRateBucket {
  limit: number;
  remaining: number;
  reset: number;
}

export interface GraphqlDeps {
  caller: GraphqlCaller;
  bucket: GraphqlRateBucket;
  userId: (login: string) => number;
  repository: (fullName: string) => TestRepository | undefined;
  /** Whether the caller may see the repository at all (metadata) and read its contents. */
  access: (repo: TestRepository, permission: "metadata" | "contents") => boolean;
}

export interface GraphqlReply {
  body: Record<string, unknown>;
  /** Points charged (0 when nothing was executed). */
  cost: number;
}

/** GitHub's node limit per query, and its page size bounds. */
const MAX_NODES = 500_000;
const MAX_PAGE = 100;
/**
 * GitHub truncates a large blob's `text` (isTruncated) without documenting where; here past 1 MiB, where its contents
 * API also stops serving content inline.
 */
const TEXT_LIMIT = 1024 * 1024;

/** An error GitHub reports with a top-level `type` (NOT_FOUND, FORBIDDEN, MISSING_PAGINATION_BOUNDARIES…). */
function typedError(type: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { githubType: type } });
}

interface AnswerError {
  message: string;
  type?: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  extensions?: Record<string, unknown>;
}

/** graphql-js errors in GitHub's format: `type` at the top, GitHub's wording for an unknown field. */
function formatError(error: GraphQLError): AnswerError {
  const json = error.toJSON();
  const out: AnswerError = { message: json.message };
  const githubType = error.extensions?.githubType;
  if (typeof githubType === "string") out.type = githubType;
  if (json.path) out.path = json.path;
  if (json.locations) out.locations = json.locations;
  const unknownField = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(json.message);
  if (unknownField) {
    out.message = `Field '${unknownField[1]}' doesn't exist on type '${unknownField[2]}'`;
    out.extensions = { code: "undefinedField", typeName: unknownField[2], fieldName: unknownField[1] };
  }
  return out;
}

interface QueryScore {
  requests: number;
  nodes: number;
  dryRun: boolean;
  errors: GraphQLError[];
}

/**
 * GitHub's score of a query before it runs: each connection needs `first` or `last` (1–100); it takes one request per
 * parent node (the product of the `first`/`last` of the connections above it), and brings that many times its page
 * size in nodes.
 */
function scoreQuery(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): QueryScore {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const score: QueryScore = { requests: 0, nodes: 0, dryRun: false, errors: [] };

  const walk = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined | null, multiplier: number, seen: Set<string>) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        walk(selection.selectionSet, type, multiplier, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), multiplier, new Set([...seen, fragment.name.value]));
        continue;
      }
      const name = selection.name.value;
      if (name.startsWith("__") || !(isObjectType(parent) || isInterfaceType(parent))) continue;
      const field = parent.getFields()[name];
      if (!field) continue;
      const argument = (argName: string): unknown => {
        const node = selection.arguments?.find((arg) => arg.name.value === argName);
        const definition = field.args.find((arg) => arg.name === argName);
        return node && definition ? valueFromAST(node.value, definition.type, variables) : undefined;
      };
      if (parent.name === "Query" && name === "rateLimit" && argument("dryRun") === true) score.dryRun = true;
      const type = getNamedType(field.type);
      let childMultiplier = multiplier;
      if (isObjectType(type) && type.name.endsWith("Connection") && "pageInfo" in type.getFields()) {
        const first = argument("first");
        const last = argument("last");
        const page = typeof first === "number" ? first : typeof last === "number" ? last : undefined;
        if (page === undefined) {
          score.errors.push(
            new GraphQLError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`, {
              nodes: selection,
              extensions: { githubType: "MISSING_PAGINATION_BOUNDARIES" },
            }),
          );
          continue;
        }
        if (page < 1 || page > MAX_PAGE) {
          const which = typeof first === "number" ? "first" : "last";
          score.errors.push(
            new GraphQLError(`Requesting ${page} records on the \`${name}\` connection exceeds the \`${which}\` limit of ${MAX_PAGE} records.`, {
              nodes: selection,
              extensions: { githubType: "EXCESSIVE_PAGINATION" },
            }),
          );
          continue;
        }
        score.requests += multiplier;
        score.nodes += multiplier * page;
        childMultiplier = multiplier * page;
      }
      if (selection.selectionSet) walk(selection.selectionSet, type, childMultiplier, seen);
    }
  };
  walk(operation.selectionSet, operation.operation === "query" ? schema.getQueryType() : schema.getMutationType(), 1, new Set());
  if (score.errors.length === 0 && score.nodes > MAX_NODES) {
    score.errors.push(
      new GraphQLError(`This query requests up to ${score.nodes.toLocaleString("en-US")} possible nodes which exceeds the maximum limit of ${MAX_NODES.toLocaleString("en-US")}.`, {
        extensions: { githubType: "MAX_NODE_LIMIT_EXCEEDED" },
      }),
    );
  }
  return score;
}

/** GitHub's points for a scored query: requests / 100, rounded, never below 1. */
export function graphqlCost(requests: number): number {
  return Math.max(1, Math.round(requests / 100));
}

// What resolvers hand each other: the repository travels along so every field can ask git.
type Source =
  | { kind: "Repository"; repo: TestRepository }
  | { kind: "Ref"; repo: TestRepository; name: string; prefix: string; sha: string }
  | { kind: "GitObject"; __typename: "Commit" | "Tree" | "Blob" | "Tag"; repo: TestRepository; oid: string; record?: CommitRecord }
  | { kind: "TreeEntry"; repo: TestRepository; path: string; mode: number; type: string; oid: string; size: number }
  | Record<string, unknown>;

function gitObject(repo: TestRepository, oid: string, type: string | undefined): Source | null {
  const typename = ({ commit: "Commit", tree: "Tree", blob: "Blob", tag: "Tag" } as const)[type as "commit"];
  return typename ? { kind: "GitObject", __typename: typename, repo, oid } : null;
}

/** A commit with what `git log` said of it: listed commits answer their fields without a git process each. */
function listedCommit(repo: TestRepository, record: CommitRecord): Source {
  return { kind: "GitObject", __typename: "Commit", repo, oid: record.sha, record };
}

async function commitRecord(commit: { repo: TestRepository; oid: string; record?: CommitRecord }): Promise<CommitRecord> {
  return commit.record ?? (await readCommit(commit.repo.dir, commit.oid))!;
}

/**
 * GitHub's history cursors read "<commit oid> <index of the last commit served>" (not base64, unlike other connections);
 * one from another commit's history, or not of that form, is an argument error.
 */
function historyOffset(oid: string, after: string | undefined): number {
  if (after === undefined) return 0;
  const match = /^([0-9a-f]{40}) (\d+)$/.exec(after);
  if (!match || match[1] !== oid) throw new GraphQLError(`\`${after}\` does not appear to be a valid cursor.`);
  return Number(match[2]) + 1;
}

async function blobBytes(repo: TestRepository, oid: string): Promise<Buffer> {
  return gitBuffer(repo.dir, ["cat-file", "blob", oid]);
}

/** git's own test for binary content: a NUL byte in the first 8,000 bytes. */
function looksBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

export async function answerGraphql(rawBody: unknown, deps: GraphqlDeps): Promise<GraphqlReply> {
  const answer = (errors: AnswerError[], data?: unknown): GraphqlReply => ({ body: data === undefined ? { errors } : { data, errors }, cost: 0 });
  const body = rawBody as { query?: unknown; variables?: unknown; operationName?: unknown } | undefined;
  if (!body || typeof body.query !== "string") return answer([{ message: "A query attribute must be specified and must be a string." }]);
  const variables = body.variables && typeof body.variables === "object" ? (body.variables as Record<string, unknown>) : {};
  const schema = await githubGraphqlSchema();

  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (error) {
    return answer([formatError(error as GraphQLError)]);
  }
  const invalid = validate(schema, document);
  if (invalid.length > 0) return answer(invalid.map(formatError));
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation =
    typeof body.operationName === "string" ? operations.find((o) => o.name?.value === body.operationName) : operations.length === 1 ? operations[0] : undefined;
  if (!operation) return answer([{ message: "An operation name is required" }]);
  if (operation.operation !== "query") return answer([{ message: "The GitHub test server answers queries only" }]);

  const score = scoreQuery(schema, document, operation, variables);
  if (score.errors.length > 0) return answer(score.errors.map(formatError));
  const cost = graphqlCost(score.requests);
  const bucket = deps.bucket;
  if (!score.dryRun) {
    if (bucket.remaining < cost) {
      return {
        body: { errors: [{ type: "RATE_LIMITED", code: "graphql_rate_limit", message: `API rate limit already exceeded for user ID ${deps.userId(deps.caller.login)}.` }] },
        cost: 0,
      };
    }
    bucket.remaining -= cost;
  }

  const notImplemented = (type: string, field: string) => new GraphQLError(`The GitHub test server does not implement ${type}.${field}`);
  const resolvers: Record<string, Record<string, (source: any, args: any) => unknown>> = {
    Query: {
      repository: (_source, args: { owner: string; name: string }) => {
        const repo = deps.repository(`${args.owner}/${args.name}`);
        if (!repo || !deps.access(repo, "metadata")) {
          throw typedError("NOT_FOUND", `Could not resolve to a Repository with the name '${args.owner}/${args.name}'.`);
        }
        return { kind: "Repository", repo };
      },
      rateLimit: () => ({
        cost,
        limit: bucket.limit,
        remaining: bucket.remaining,
        used: bucket.limit - bucket.remaining,
        resetAt: isoSeconds(new Date(bucket.reset * 1000)),
        nodeCount: score.nodes,
      }),
    },
    Repository: {
      name: ({ repo }) => repo.name,
      nameWithOwner: ({ repo }) => repo.fullName,
      isPrivate: ({ repo }) => repo.private,
      // A git object by oid (an expression such as "main:Chart.yaml" is not served here). Unknown oids are null.
      object: async ({ repo }, args: { oid?: string; expression?: string }) => {
        if (args.expression !== undefined) throw notImplemented("Repository", "object(expression)");
        if (!deps.access(repo, "contents")) {
          throw typedError("FORBIDDEN", deps.caller.kind === "installation" ? "Resource not accessible by integration" : "Resource not accessible by personal access token");
        }
        if (!args.oid || !/^[0-9a-f]{40}$/.test(args.oid)) return null;
        return gitObject(repo, args.oid, await objectType(repo.dir, args.oid));
      },
      ref: async ({ repo }, args: { qualifiedName: string }) => {
        if (!deps.access(repo, "contents")) {
          throw typedError("FORBIDDEN", deps.caller.kind === "installation" ? "Resource not accessible by integration" : "Resource not accessible by personal access token");
        }
        // Fully qualified names first, then the short name as a branch and as a tag, as GitHub documents.
        const candidates = args.qualifiedName.startsWith("refs/") ? [args.qualifiedName] : [`refs/heads/${args.qualifiedName}`, `refs/tags/${args.qualifiedName}`];
        for (const candidate of candidates) {
          const listing = await gitText(repo.dir, ["for-each-ref", "--format=%(refname) %(objectname)", candidate]);
          const line = listing.split("\n").find((entry) => entry.split(" ")[0] === candidate);
          if (!line) continue;
          const slash = candidate.indexOf("/", "refs/".length);
          return { kind: "Ref", repo, name: candidate.slice(slash + 1), prefix: candidate.slice(0, slash + 1), sha: line.split(" ")[1]! };
        }
        return null;
      },
    },
    Ref: {
      name: (ref) => ref.name,
      prefix: (ref) => ref.prefix,
      target: async (ref) => gitObject(ref.repo, ref.sha, await objectType(ref.repo.dir, ref.sha)),
    },
    Commit: {
      oid: (commit) => commit.oid,
      abbreviatedOid: (commit) => commit.oid.slice(0, 7),
      committedDate: async (commit) => isoSeconds((await commitRecord(commit)).committerDate),
      authoredDate: async (commit) => isoSeconds((await commitRecord(commit)).authorDate),
      message: async (commit) => (await commitRecord(commit)).message.replace(/\n+$/, ""),
      messageHeadline: async (commit) => (await commitRecord(commit)).message.split("\n")[0],
      author: async (commit) => {
        const record = await commitRecord(commit);
        return { name: record.authorName, email: record.authorEmail, date: isoSeconds(record.authorDate) };
      },
      committer: async (commit) => {
        const record = await commitRecord(commit);
        return { name: record.committerName, email: record.committerEmail, date: isoSeconds(record.committerDate) };
      },
      parents: async (commit, args: { first?: number; after?: string; last?: number; before?: string }) => {
        if (args.after !== undefined || args.last !== undefined || args.before !== undefined) throw notImplemented("Commit", "parents(after/last/before)");
        const record = await commitRecord(commit);
        const parents = await Promise.all(record.parents.slice(0, args.first).map((sha) => readCommit(commit.repo.dir, sha)));
        return {
          totalCount: record.parents.length,
          nodes: parents.map((parent) => listedCommit(commit.repo, parent!)),
          pageInfo: { hasNextPage: record.parents.length > (args.first ?? 0), hasPreviousPage: false, startCursor: null, endCursor: null },
        };
      },
      // `git log` order from this commit, as "list commits" serves it; `path` filters as `git log -- <path>` does.
      history: async (commit, args: { first?: number; after?: string; path?: string; last?: number; before?: string; author?: unknown; since?: string; until?: string }) => {
        for (const unsupported of ["last", "before", "author", "since", "until"] as const) {
          if (args[unsupported] !== undefined) throw notImplemented("Commit", `history(${unsupported})`);
        }
        const offset = historyOffset(commit.oid, args.after);
        const filter = args.path ? ["--", args.path] : [];
        const total = Number((await gitText(commit.repo.dir, ["rev-list", "--count", commit.oid, ...filter])).trim());
        const records = await logCommits(commit.repo.dir, [`--skip=${offset}`, "-n", String(args.first), commit.oid, ...filter]);
        const cursor = (i: number) => `${commit.oid} ${offset + i}`;
        return {
          totalCount: total,
          nodes: records.map((record) => listedCommit(commit.repo, record)),
          pageInfo: {
            hasNextPage: offset + records.length < total,
            hasPreviousPage: offset > 0,
            startCursor: records.length > 0 ? cursor(0) : null,
            endCursor: records.length > 0 ? cursor(records.length - 1) : null,
          },
        };
      },
      file: async (commit, args: { path: string }) => {
        const wanted = args.path.replace(/\/+$/, "");
        if (!wanted) return null;
        const listing = (await gitText(commit.repo.dir, ["ls-tree", "-l", commit.oid, "--", wanted])).trim();
        const [meta, entryPath] = listing.split("\t") as [string, string | undefined];
        if (!listing || entryPath !== wanted) return null;
        const [mode, type, oid, size] = meta.split(/\s+/) as [string, string, string, string];
        return { kind: "TreeEntry", repo: commit.repo, path: entryPath, mode: parseInt(mode, 8), type, oid, size: Number(size) || 0 };
      },
    },
    TreeEntry: {
      name: (entry) => path.posix.basename(entry.path),
      path: (entry) => entry.path,
      extension: (entry) => path.posix.extname(entry.path) || null,
      mode: (entry) => entry.mode,
      type: (entry) => entry.type,
      oid: (entry) => entry.oid,
      size: (entry) => entry.size,
      isGenerated: () => false,
      // A submodule's commit lives in another repository: GitHub has no object to give.
      object: (entry) => (entry.type === "commit" ? null : gitObject(entry.repo, entry.oid, entry.type)),
    },
    Blob: {
      oid: (blob) => blob.oid,
      abbreviatedOid: (blob) => blob.oid.slice(0, 7),
      byteSize: async (blob) => (await blobBytes(blob.repo, blob.oid)).length,
      isBinary: async (blob) => looksBinary(await blobBytes(blob.repo, blob.oid)),
      isTruncated: async (blob) => (await blobBytes(blob.repo, blob.oid)).length > TEXT_LIMIT,
      text: async (blob) => {
        const bytes = await blobBytes(blob.repo, blob.oid);
        return looksBinary(bytes) ? null : bytes.subarray(0, TEXT_LIMIT).toString("utf8");
      },
    },
    Tree: { oid: (tree) => tree.oid, abbreviatedOid: (tree) => tree.oid.slice(0, 7) },
    Tag: { oid: (tag) => tag.oid, abbreviatedOid: (tag) => tag.oid.slice(0, 7) },
    RateLimit: {},
  };
  const fieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, _context, info) => {
    const typeName = info.parentType.name;
    const resolver = resolvers[typeName]?.[info.fieldName];
    if (resolver) return resolver(source, args);
    if (source && typeof source === "object" && !("kind" in source) && info.fieldName in source) return (source as Record<string, unknown>)[info.fieldName];
    throw notImplemented(typeName, info.fieldName);
  };

  const result = await execute({
    schema,
    document,
    operationName: operation.name?.value,
    variableValues: variables,
    rootValue: {},
    fieldResolver,
  });
  const errors = result.errors?.map(formatError);
  if (result.data === undefined) {
    // Variables that do not fit their types: refused before anything ran, like a validation error.
    if (!score.dryRun) bucket.remaining += cost;
    return answer(errors ?? []);
  }
  return { body: { data: result.data, ...(errors && errors.length > 0 ? { errors } : {}) }, cost: score.dryRun ? 0 : cost };
}
