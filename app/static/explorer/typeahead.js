// The speaker typeahead: an ARIA 1.2 combobox (input + listbox) driven by the keyboard or the
// pointer. Arrow keys move through the suggestions, Enter opens one, Escape closes the list.

import { run } from "./api.js";
import { h, speakerHref } from "./dom.js";

const DEBOUNCE_MS = 150;

export function attachTypeahead(form) {
  const input = form.querySelector("input");
  const listbox = form.querySelector("[role=listbox]");
  const status = form.querySelector("[role=status]");
  let speakers = [];
  let active = -1;
  let timer = 0;
  let asked = 0;
  let controller = null;

  function setActive(index) {
    active = index;
    listbox.querySelectorAll("[role=option]").forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === index));
      if (i === index) option.scrollIntoView({ block: "nearest" });
    });
    if (index >= 0) input.setAttribute("aria-activedescendant", `speaker-option-${index}`);
    else input.removeAttribute("aria-activedescendant");
  }

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(-1);
  }

  function open() {
    if (!speakers.length) return;
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function choose(index) {
    const speaker = speakers[index];
    if (!speaker) return;
    close();
    input.value = "";
    speakers = [];
    location.hash = speakerHref(speaker.id);
  }

  function show(found, text) {
    speakers = found;
    listbox.replaceChildren(
      ...found.map((speaker, index) =>
        h(
          "li",
          {
            id: `speaker-option-${index}`,
            role: "option",
            "aria-selected": "false",
            onMousedown: (event) => event.preventDefault(), // keep focus in the input
            onClick: () => choose(index),
          },
          h("span", { className: "option-name" }, speaker.name),
          h(
            "span",
            { className: "option-meta" },
            [speaker.role, `${speaker.quoteCount} quote${speaker.quoteCount === 1 ? "" : "s"}`]
              .filter(Boolean)
              .join(" · "),
          ),
        ),
      ),
    );
    status.textContent = found.length
      ? `${found.length} speaker${found.length === 1 ? "" : "s"} found; use the arrow keys to choose.`
      : `No speaker found for “${text}”.`;
    setActive(-1);
    if (found.length) open();
    else close();
  }

  async function search(text) {
    const ticket = ++asked;
    controller?.abort();
    controller = new AbortController();
    try {
      const data = await run("SpeakerSearch", { search: text }, { signal: controller.signal });
      if (ticket === asked) show(data.speakers.nodes, text);
    } catch (error) {
      if (error.name === "AbortError") return;
      if (ticket === asked) status.textContent = error.message;
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (!text) {
      asked += 1;
      speakers = [];
      listbox.replaceChildren();
      status.textContent = "";
      close();
      return;
    }
    timer = setTimeout(() => search(text), DEBOUNCE_MS);
  });

  input.addEventListener("keydown", (event) => {
    const count = speakers.length;
    switch (event.key) {
      case "ArrowDown":
        if (!count) return;
        event.preventDefault();
        open();
        setActive((active + 1) % count);
        break;
      case "ArrowUp":
        if (!count) return;
        event.preventDefault();
        open();
        setActive(active <= 0 ? count - 1 : active - 1);
        break;
      case "Home":
      case "End":
        if (listbox.hidden || !count) return;
        event.preventDefault();
        setActive(event.key === "Home" ? 0 : count - 1);
        break;
      case "Enter":
        event.preventDefault();
        if (active >= 0) choose(active);
        else if (count === 1) choose(0);
        break;
      case "Escape":
        if (!listbox.hidden) {
          event.preventDefault();
          close();
        } else {
          input.value = "";
        }
        break;
      default:
    }
  });

  input.addEventListener("blur", () => close());
  input.addEventListener("focus", () => open());
  form.addEventListener("submit", (event) => event.preventDefault());

  // "/" anywhere outside a field jumps to the search, as on many sites.
  document.addEventListener("keydown", (event) => {
    const field = event.target.closest?.("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !field && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      input.focus();
    }
  });
}
