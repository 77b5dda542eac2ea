// SPDX-License-Identifier: MIT
/* clinsearch search widget: one script tag puts a search box on a page.
 *
 *   <div id="clinsearch"></div>
 *   <script src="http://SEARCH-HOST:8080/widget.js"></script>
 *
 * The widget talks to the server the script came from (/search, /suggest),
 * so a portal on another origin needs `clinsearch serve --cors-origin`.
 * Without a #clinsearch element it is placed just before the script tag.
 * Options as data attributes on the script tag: data-limit (results per
 * page, default 10), data-placeholder.
 * Nothing typed is stored: no cookies, no local storage.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script && script.src ? new URL(".", script.src).href : "./";
  var limit = parseInt((script && script.dataset.limit) || "10", 10) || 10;
  var placeholder = (script && script.dataset.placeholder) || "Search treatments, e.g. freeze tumor";

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "class") e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    if (text !== undefined) e.textContent = text;
    return e;
  }

  if (!document.querySelector("link[data-clinsearch-css]")) {
    var css = el("link", { rel: "stylesheet", href: base + "widget.css", "data-clinsearch-css": "" });
    document.head.appendChild(css);
  }

  var host = document.getElementById("clinsearch");
  if (!host) {
    host = el("div", { id: "clinsearch" });
    script.parentNode.insertBefore(host, script);
  }
  host.classList.add("cs-widget");

  var uid = "cs" + Math.random().toString(36).slice(2, 8);
  var form = el("form", { class: "cs-form", role: "search" });
  var label = el("label", { for: uid + "-q", class: "cs-label" }, "Search");
  var box = el("div", { class: "cs-box" });
  var input = el("input", {
    id: uid + "-q", type: "search", class: "cs-input", autocomplete: "off", spellcheck: "false",
    placeholder: placeholder, role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
    "aria-controls": uid + "-suggest"
  });
  var list = el("ul", { id: uid + "-suggest", class: "cs-suggest", role: "listbox", hidden: "" });
  var button = el("button", { type: "submit", class: "cs-button" }, "Search");
  box.appendChild(input);
  box.appendChild(list);
  form.appendChild(label);
  form.appendChild(box);
  form.appendChild(button);
  var status = el("p", { class: "cs-status", role: "status", "aria-live": "polite" });
  var notice = el("p", { class: "cs-notice" });
  var facets = el("div", { class: "cs-facets", role: "group", "aria-label": "Filter by source" });
  var results = el("ol", { class: "cs-results" });
  var more = el("button", { type: "button", class: "cs-more", hidden: "" }, "More results");
  [form, status, notice, facets, results, more].forEach(function (n) { host.appendChild(n); });

  var state = { q: "", source: "", offset: 0, active: -1, suggestions: [], timer: 0, seq: 0 };

  function api(path, params) {
    var u = new URL(path, base);
    for (var k in params) if (params[k] !== "" && params[k] !== undefined) u.searchParams.set(k, params[k]);
    return fetch(u.href, { credentials: "omit" }).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) throw new Error(j.error || ("error " + r.status));
        return j;
      });
    });
  }

  // --- suggestions -----------------------------------------------------------
  function closeSuggestions() {
    list.hidden = true;
    list.textContent = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    state.active = -1;
    state.suggestions = [];
  }

  function showSuggestions(items) {
    list.textContent = "";
    state.suggestions = items;
    state.active = -1;
    items.forEach(function (s, i) {
      var li = el("li", { id: uid + "-s" + i, role: "option", class: "cs-option", "aria-selected": "false" });
      li.appendChild(el("span", { class: "cs-option-text" }, s.text));
      if (s.kind === "concept" && s.concept && s.concept.toLowerCase() !== s.text.toLowerCase()) {
        li.appendChild(el("span", { class: "cs-option-note" }, " \u2192 " + s.concept));
      } else if (s.kind === "spelling") {
        li.appendChild(el("span", { class: "cs-option-note" }, " (did you mean)"));
      }
      li.addEventListener("mousedown", function (e) {
        e.preventDefault();
        choose(i);
      });
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
  }

  function highlight(i) {
    var options = list.querySelectorAll(".cs-option");
    options.forEach(function (o, k) { o.setAttribute("aria-selected", k === i ? "true" : "false"); });
    state.active = i;
    if (i >= 0) input.setAttribute("aria-activedescendant", uid + "-s" + i);
    else input.removeAttribute("aria-activedescendant");
  }

  function choose(i) {
    input.value = state.suggestions[i].text;
    closeSuggestions();
    search(true);
  }

  input.addEventListener("input", function () {
    clearTimeout(state.timer);
    var q = input.value;
    if (q.trim().length < 2) return closeSuggestions();
    var seq = ++state.seq;
    state.timer = setTimeout(function () {
      api("suggest", { q: q, limit: 8 }).then(function (j) {
        if (seq === state.seq && document.activeElement === input) showSuggestions(j.suggestions || []);
      }).catch(closeSuggestions);
    }, 120);
  });

  input.addEventListener("keydown", function (e) {
    var n = state.suggestions.length;
    if (e.key === "ArrowDown" && n) {
      e.preventDefault();
      highlight((state.active + 1) % n);
    } else if (e.key === "ArrowUp" && n) {
      e.preventDefault();
      highlight((state.active - 1 + n) % n);
    } else if (e.key === "Enter" && state.active >= 0) {
      e.preventDefault();
      choose(state.active);
    } else if (e.key === "Escape") {
      closeSuggestions();
    }
  });
  input.addEventListener("blur", function () { setTimeout(closeSuggestions, 150); });

  // --- results ---------------------------------------------------------------
  function explanation(json) {
    // "freeze → Cryoablation (lay term)" across hits: what the query was
    // taken to mean, shown once above the results.
    var seen = {}, parts = [];
    (json.results || []).forEach(function (r) {
      (r.matched || []).forEach(function (m) {
        var k = m.indexOf("\u2192");
        if (k < 0) return;
        var target = m.slice(k + 1).replace(/\s*\([^)]*\)\s*$/, "").trim();
        var key = target.toLowerCase();
        if (target && !seen[key]) {
          seen[key] = true;
          parts.push(target);
        }
      });
    });
    return parts.slice(0, 3);
  }

  function renderFacets(json) {
    facets.textContent = "";
    var f = json.facets && json.facets.source;
    if (!f) return;
    var names = Object.keys(f);
    if (names.length < 2 && !state.source) return;
    function add(name, count, value) {
      var b = el("button", { type: "button", class: "cs-facet", "aria-pressed": String(state.source === value) },
                 name + (count !== null ? " (" + count + ")" : ""));
      b.addEventListener("click", function () {
        state.source = state.source === value ? "" : value;
        search(true);
      });
      facets.appendChild(b);
    }
    if (state.source) add("All sources", null, "");
    names.forEach(function (n) { add(n, f[n], n); });
  }

  function renderHit(r) {
    var li = el("li", { class: "cs-hit" });
    var h = el("h3", { class: "cs-title" });
    if (r.url && /^https?:\/\//i.test(r.url)) {  // never javascript: or data: links
      var a = el("a", { href: r.url, rel: "noopener" }, r.title || r.doc_id);
      h.appendChild(a);
    } else {
      h.textContent = r.title || r.doc_id;
    }
    li.appendChild(h);
    if (r.section) li.appendChild(el("p", { class: "cs-section" }, r.section));
    var p = el("p", { class: "cs-snippet" });
    p.innerHTML = r.snippet;  // server-side escaped text with <mark> highlights
    li.appendChild(p);
    var why = (r.matched || []).filter(function (m) { return m.indexOf("\u2192") >= 0; });
    if (why.length) li.appendChild(el("p", { class: "cs-why" }, "Matched: " + why.join("; ")));
    if (r.source) li.appendChild(el("p", { class: "cs-source" }, r.source));
    return li;
  }

  function search(fresh) {
    var q = input.value.trim();
    if (!q) return;
    if (fresh) {
      state.q = q;
      state.offset = 0;
      results.textContent = "";
    }
    status.textContent = "Searching\u2026";
    more.hidden = true;
    var seq = ++state.seq;
    api("search", { q: state.q, limit: limit, offset: state.offset, source: state.source,
                    facets: state.offset === 0 ? 1 : "" })
      .then(function (j) {
        if (seq !== state.seq) return;
        if (state.offset === 0) {
          notice.textContent = "";
          if (j.corrected) {
            notice.appendChild(document.createTextNode("Showing results for "));
            notice.appendChild(el("strong", { class: "cs-corrected" }, j.corrected));
            notice.appendChild(document.createTextNode(" (you typed " + j.query + ")"));
          }
          var meant = explanation(j);
          if (meant.length) {
            if (notice.childNodes.length) notice.appendChild(el("br"));
            notice.appendChild(document.createTextNode("Also showing results for "));
            meant.forEach(function (m, i) {
              if (i) notice.appendChild(document.createTextNode(", "));
              notice.appendChild(el("strong", { class: "cs-meant" }, m));
            });
          }
          renderFacets(j);
        }
        (j.results || []).forEach(function (r) { results.appendChild(renderHit(r)); });
        var shown = results.children.length;
        status.textContent = shown ? shown + " of about " + j.total + " results" : "No results found.";
        state.offset += (j.results || []).length;
        more.hidden = !(j.results && j.results.length === limit && state.offset < j.total);
      })
      .catch(function (err) {
        if (seq === state.seq) status.textContent = "Search failed: " + err.message;
      });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    closeSuggestions();
    search(true);
  });
  more.addEventListener("click", function () { search(false); });
})();
