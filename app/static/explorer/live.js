// Live updates for a speaker page: the `quoteAdded` subscription of operations.graphql over
// graphql-transport-ws. Without a websocket (or when the server refuses it) this does nothing
// and the page stays as loaded.

import { loadOperations } from "./api.js";

/** Call `onQuote(quote)` for every quote added for the speaker; returns a function that stops. */
export function subscribeQuoteAdded(speakerId, onQuote) {
  if (typeof WebSocket === "undefined") return () => {};
  let socket = null;
  let stopped = false;
  loadOperations()
    .then((operations) => {
      const query = operations.get("QuoteAdded");
      if (!query || stopped) return;
      const url = new URL("/graphql", location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      socket = new WebSocket(url, "graphql-transport-ws");
      socket.addEventListener("open", () => {
        socket.send(JSON.stringify({ type: "connection_init", payload: {} }));
      });
      socket.addEventListener("message", async (event) => {
        // Strawberry sends its JSON in binary frames.
        const data = typeof event.data === "string" ? event.data : await event.data.text();
        const message = JSON.parse(data);
        if (message.type === "connection_ack") {
          socket.send(
            JSON.stringify({
              id: "quote-added",
              type: "subscribe",
              payload: { query, operationName: "QuoteAdded", variables: { speakerId } },
            }),
          );
          document.documentElement.dataset.live = "subscribed"; // for tests and styles
        } else if (message.type === "next" && message.payload?.data?.quoteAdded) {
          onQuote(message.payload.data.quoteAdded);
        } else if (message.type === "error" || message.type === "complete") {
          socket.close(); // no such subscription on this server: stay quiet
        }
      });
    })
    .catch(() => {});
  return () => {
    stopped = true;
    delete document.documentElement.dataset.live;
    socket?.close();
  };
}
