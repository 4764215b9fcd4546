// The explorer's only door to data: the public GraphQL API, with the operations listed in
// operations.graphql (nothing else is ever sent).

const ENDPOINT = "/graphql";
const OPERATIONS_URL = new URL("./operations.graphql", import.meta.url);

// How operations travel. "post": the query text as POST JSON. "persisted": GET with the
// operation's sha256 (Apollo automatic persisted queries), cacheable by browsers and CDNs (ETag);
// switching is this one line once the server registers the operations.
const TRANSPORT = "post";

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

async function send(name, query, variables, signal) {
  if (TRANSPORT === "persisted") {
    const extensions = { persistedQuery: { version: 1, sha256Hash: await sha256Hex(query) } };
    const search = new URLSearchParams({
      operationName: name,
      variables: JSON.stringify(variables),
      extensions: JSON.stringify(extensions),
    });
    return fetch(`${ENDPOINT}?${search}`, { headers: { Accept: "application/json" }, signal });
  }
  return fetch(ENDPOINT, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ query, operationName: name, variables }),
    signal,
  });
}

/** Run the named operation; resolves with its `data`, rejects with an ApiError. */
export async function run(name, variables = {}, { signal } = {}) {
  const texts = await loadOperations();
  const query = texts.get(name);
  if (!query) throw new ApiError(`The explorer has no operation named ${name}.`, "UNKNOWN_OPERATION");
  let response;
  try {
    response = await send(name, query, variables, signal);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError("The server did not answer. Is it running?", "NETWORK");
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The server answered ${response.status} without a GraphQL response.`, "HTTP");
  }
  if (body.errors?.length) {
    const [first] = body.errors;
    throw new ApiError(first.message, first.extensions?.code ?? "ERROR");
  }
  return body.data;
}
