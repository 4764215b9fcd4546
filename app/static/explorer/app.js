// The explorer's router: hash URLs (#/speaker/<id>?kind=DIRECT) so every page is a deep link
// the server answers with the same index.html.

import { loadOperations } from "./api.js";
import { h } from "./dom.js";
import { articleView, homeView, quoteView, speakerView } from "./views.js";

const ROUTES = [
  [/^\/?$/, homeView],
  [/^\/speaker\/([^/]+)$/, speakerView],
  [/^\/quote\/([^/]+)$/, quoteView],
  [/^\/article\/([^/]+)$/, articleView],
];

const main = document.getElementById("main");
let current = null; // {controller, cleanup}
let firstRoute = true;

function notFound() {
  const error = new Error("There is no such page in the explorer.");
  error.code = "NOT_FOUND";
  throw error;
}

function errorPage(error) {
  // A link to something that is not (or no longer) there: a wrong or stale id.
  const missing = error.code === "NOT_FOUND" || error.code === "BAD_USER_INPUT";
  main.replaceChildren(
    h("h1", { tabindex: "-1" }, missing ? "Not found" : "Something went wrong"),
    h(
      "p",
      { role: "alert" },
      missing ? "Nothing in quotegraph answers to this link." : error.message,
    ),
    missing ? h("p", { className: "muted small" }, `The API said: ${error.message}`) : null,
    h("p", {}, h("a", { href: "#/" }, "Back to the explorer")),
  );
  return { title: `${missing ? "Not found" : "Error"} · quotegraph` };
}

async function route() {
  const hash = location.hash.slice(1);
  if (hash && !hash.startsWith("/")) return; // an in-page anchor (the skip link), not a route
  const [path, query = ""] = (hash || "/").split("?");
  current?.controller.abort();
  current?.cleanup?.();
  const controller = new AbortController();
  current = { controller, cleanup: null };
  main.setAttribute("aria-busy", "true");
  let outcome;
  try {
    let view = notFound;
    let id = null;
    for (const [pattern, candidate] of ROUTES) {
      const match = pattern.exec(path);
      if (match) {
        [view, id] = [candidate, match[1] ?? null];
        break;
      }
    }
    outcome = await view(main, {
      id: id && decodeURIComponent(id),
      params: new URLSearchParams(query),
      signal: controller.signal,
    });
  } catch (error) {
    if (error.name === "AbortError" || controller.signal.aborted) return;
    outcome = errorPage(error);
  }
  if (controller.signal.aborted) {
    outcome.cleanup?.();
    return;
  }
  current.cleanup = outcome.cleanup ?? null;
  main.removeAttribute("aria-busy");
  document.title = outcome.title;
  // On navigation (not the first load), move focus to the new page's heading so screen
  // readers announce it and the keyboard continues from the top of the content.
  if (!firstRoute) main.querySelector("h1")?.focus();
  firstRoute = false;
  performance.mark("explorer:rendered");
  document.documentElement.dataset.rendered = hash || "/"; // what tests wait for
}

loadOperations(); // fetch the operations while the first view starts
// Not needed for the first page's data: loaded beside it rather than before it.
import("./typeahead.js").then(({ attachTypeahead }) =>
  attachTypeahead(document.getElementById("speaker-search")),
);
window.addEventListener("hashchange", route);
route();
