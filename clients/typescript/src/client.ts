// A typed quotegraph client in a page of code: operations go by their SHA-256 hash over GET
// (Apollo's automatic persisted queries), so browsers and CDNs can cache the answers by ETag;
// an unknown hash is registered by sending the text once. Types come from ./generated.
import type {
  ExampleQuotesBySpeakerQuery,
  ExampleQuotesBySpeakerQueryVariables,
} from "./generated/graphql";

export interface GraphQLError {
  message: string;
  extensions?: { code?: string; [key: string]: unknown };
}

export interface Answer<Data> {
  data?: Data | null;
  errors?: GraphQLError[];
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export async function persistedQuery<Data, Variables extends object>(
  endpoint: string,
  query: string,
  variables: Variables,
): Promise<Answer<Data>> {
  const extensions = { persistedQuery: { version: 1, sha256Hash: await sha256Hex(query) } };
  const params = new URLSearchParams({
    variables: JSON.stringify(variables),
    extensions: JSON.stringify(extensions),
  });
  const byHash = (await (await fetch(`${endpoint}?${params}`)).json()) as Answer<Data>;
  if (byHash.errors?.[0]?.extensions?.code !== "PERSISTED_QUERY_NOT_FOUND") {
    return byHash;
  }
  const registered = await fetch(endpoint, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ query, variables, extensions }),
  });
  return (await registered.json()) as Answer<Data>;
}

export const QUOTES_BY_SPEAKER = `query ExampleQuotesBySpeaker($speaker: String!, $first: Int, $after: String) {
  quotes(speaker: $speaker, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id text kind date confidence speaker { id name } article { id title } } }
  }
}`;

export async function quotesBySpeaker(
  endpoint: string,
  variables: ExampleQuotesBySpeakerQueryVariables,
): Promise<ExampleQuotesBySpeakerQuery["quotes"] | null> {
  const answer = await persistedQuery<ExampleQuotesBySpeakerQuery, typeof variables>(
    endpoint,
    QUOTES_BY_SPEAKER,
    variables,
  );
  if (answer.errors?.length) {
    throw new Error(answer.errors.map((error) => error.message).join("; "));
  }
  return answer.data?.quotes ?? null;
}
