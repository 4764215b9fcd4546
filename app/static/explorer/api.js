// The explorer's only door to data: the public GraphQL API, with the operations listed in
// operations.graphql (nothing else is ever sent).

const ENDPOINT = "/graphql";
const OPERATIONS_URL = new URL("./operations.graphql", import.meta.url);

// How operations travel. "persisted": GET with the operation's sha256 (Apollo automatic
// persisted queries; the server registers every operation of operations.graphql at start-up),
// cacheable by browsers and CDNs (ETag, 304); a server that does not know the hash answers
// PERSISTED_QUERY_NOT_FOUND and the text follows by POST, which registers it, as Apollo Client
// does. "post": the query text as POST JSON.
const TRANSPORT = "persisted";

export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/** Split operations.graphql into {name: text}: from a `query` line to the line before the next
 *  one, minus the blank and comment lines that lead into it (app/explorer.py does the same). */
export function splitOperations(source) {
  const operations = new Map();
  let current = null;
  for (const line of source.split("\n")) {
    const start = /^(query|mutation|subscription)\s+(\w+)/.exec(line);
    if (start) {
      current = [];
      operations.set(start[2], current);
    }
    if (current) current.push(line);
  }
  const texts = new Map();
  for (const [name, lines] of operations) {
    while (lines.length && (lines.at(-1).trim() === "" || lines.at(-1).startsWith("#"))) {
      lines.pop();
    }
    texts.set(name, lines.join("\n").trim());
  }
  return texts;
}

let operations = null;

/** The operations by name: from the copy the server inlines in the page, else the file. */
export function loadOperations(url = OPERATIONS_URL) {
  const inline = document.getElementById("explorer-operations");
  if (inline) operations ??= Promise.resolve(splitOperations(inline.textContent.trim()));
  operations ??= fetch(url)
    .then((response) => {
      if (!response.ok) throw new ApiError("The explorer's operations could not be loaded.", "LOAD");
      return response.text();
    })
    .then(splitOperations);
  return operations;
}

async function sha256Hex(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

const hashes = new Map();

/** The operation's sha256, hex (crypto.subtle needs a secure context: localhost or https). */
async function hashOf(query) {
  if (!hashes.has(query)) hashes.set(query, sha256Hex(query));
  return hashes.get(query);
}

function post(body, signal) {
  return fetch(ENDPOINT, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
    signal,
  });
}

/** The response, and its body parsed (null when it is not JSON). */
async function exchange(request) {
  const response = await request;
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  return { response, body };
}

async function send(name, query, variables, signal) {
  if (TRANSPORT === "persisted" && globalThis.crypto?.subtle) {
    const extensions = { persistedQuery: { version: 1, sha256Hash: await hashOf(query) } };
    const search = new URLSearchParams({
      operationName: name,
      variables: JSON.stringify(variables),
      extensions: JSON.stringify(extensions),
    });
    const answer = await exchange(
      fetch(`${ENDPOINT}?${search}`, { headers: { Accept: "application/json" }, signal }),
    );
    if (answer.body?.errors?.[0]?.extensions?.code !== "PERSISTED_QUERY_NOT_FOUND") return answer;
    // Not known to this worker yet: send the text with its hash, which registers it.
    return exchange(post({ query, operationName: name, variables, extensions }, signal));
  }
  return exchange(post({ query, operationName: name, variables }, signal));
}

/** Run the named operation; resolves with its `data`, rejects with an ApiError. */
export async function run(name, variables = {}, { signal } = {}) {
  const texts = await loadOperations();
  const query = texts.get(name);
  if (!query) throw new ApiError(`The explorer has no operation named ${name}.`, "UNKNOWN_OPERATION");
  let answer;
  try {
    answer = await send(name, query, variables, signal);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError("The server did not answer. Is it running?", "NETWORK");
  }
  const { response, body } = answer;
  if (body === null) {
    throw new ApiError(`The server answered ${response.status} without a GraphQL response.`, "HTTP");
  }
  if (body.errors?.length) {
    const [first] = body.errors;
    throw new ApiError(first.message, first.extensions?.code ?? "ERROR");
  }
  return body.data;
}
