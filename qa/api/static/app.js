// The chat page: keeps the conversation, sends it to POST /chat with the country/year/document
// filters, renders answers with clickable [n] markers, their sources (sources.js) and references.
// Everything the server returns is inserted as text, never as HTML.
"use strict";

window.QA = window.QA || {};

(function (QA) {
  // Earlier questions sent with a new one: the server resolves follow-ups from the user's turns
  // only, so the page's own replies (each with its sources list) are not sent back; with them a
  // long conversation outgrew the request size limit and every later question failed.
  const HISTORY_TURNS = 20;
  // "[4, 13]", or labelled with its document when an answer cites several: "[Mali 2019: 4, 13]"
  // "[ilo-2021-aejt-kayes-sikasso]": a document id (letters, digits, ".", "_", "-")
  const DOC_MARKER = /\[([A-Za-z0-9][\w.-]{0,119})\]/g;
  const MARKER = /\[(?:([^\[\]:\n]{1,60}):\s*)?(\d+(?:\s*[,;\u2013-]\s*\d+)*)\]/g;

  const $ = (id) => document.getElementById(id);
  const conversationEl = $("conversation");
  const form = $("ask-form");
  const input = $("question");
  const askButton = $("ask-button");
  const counter = $("counter");
  const docSelect = $("doc-select");
  const countrySelect = $("country-select");
  const yearSelect = $("year-select");
  const banner = $("status-banner");
  const panel = $("citation-panel");

  let messages = []; // [{role, content}] the user's earlier turns, sent to /chat to resolve follow-ups
  let ready = false;
  let busy = false;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value);
    }
    for (const child of children || []) node.append(child);
    return node;
  }
  QA.el = el;

  function headers() {
    const h = { "Content-Type": "application/json" };
    const key = sessionStorage.getItem("qa-api-key");
    if (key) h.Authorization = "Bearer " + key;
    return h;
  }

  async function api(path, options) {
    let response;
    try {
      response = await fetch(path, Object.assign({ headers: headers() }, options || {}));
    } catch (e) {
      // the browser's own words ("Failed to fetch", "NetworkError when attempting to fetch
      // resource.") say nothing a reader can act on
      throw new Error("cannot reach the server (is it still running?); try again in a moment");
    }
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (response.status === 401) {
      askForKey();
    }
    if (!response.ok) {
      const message = body && body.error ? body.error.message : "the server answered " + response.status;
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return body;
  }
  QA.api = api;

  function askForKey() {
    const dialog = $("key-dialog");
    if (dialog.open || typeof dialog.showModal !== "function") return;
    dialog.showModal();
    dialog.addEventListener("close", function onClose() {
      dialog.removeEventListener("close", onClose);
      const value = $("api-key").value.trim();
      if (dialog.returnValue === "ok" && value) {
        sessionStorage.setItem("qa-api-key", value);
        loadDocuments();
      }
    });
  }
  QA.askForKey = askForKey;

  function showBanner(text, kind) {
    banner.textContent = text;
    banner.className = "banner " + (kind || "");
    banner.hidden = !text;
  }

  function setBusy(value) {
    busy = value;
    askButton.disabled = value || !ready;
    askButton.textContent = value ? "Searching…" : "Ask";
  }

  // -- start-up: wait for the model and index ------------------------------------------------
  async function waitUntilReady() {
    try {
      const response = await fetch("healthz");
      const body = await response.json();
      if (response.ok) {
        ready = true;
        showBanner("");
        setBusy(false);
        loadDocuments();
        return;
      }
      if (body.status === "error") {
        showBanner("The assistant could not start: " + body.error.message, "error");
        return;
      }
      showBanner("Loading the reports and the search index… this takes a few seconds.", "info");
    } catch (e) {
      showBanner("Cannot reach the server. Retrying…", "error");
    }
    setBusy(false);
    setTimeout(waitUntilReady, 2000);
  }

  function fillSelect(select, allLabel, options) {
    const current = select.value;
    select.replaceChildren(el("option", { value: "", text: allLabel }));
    for (const [value, label] of options) {
      select.append(el("option", { value: String(value), text: label.length > 70 ? label.slice(0, 67) + "…" : label }));
    }
    select.value = options.some(([value]) => String(value) === current) ? current : "";
  }

  // The year and document lists offer what the chosen country (and year) has: with every year and
  // document listed, "Niger" then "2020" asked a question no indexed report could answer.
  function narrowFilters() {
    const docs = Object.values(QA.docs || {});
    const country = countrySelect.value;
    const inCountry = docs.filter((d) => !country || d.country === country);
    const years = [...new Set(inCountry.map((d) => d.year).filter(Boolean))].sort((a, b) => b - a);
    fillSelect(yearSelect, "All years", years.map((y) => [y, String(y)]));
    const year = yearSelect.value;
    const chosen = inCountry.filter((d) => !year || String(d.year) === year);
    fillSelect(docSelect, "All documents", chosen.map((d) => [d.id, d.title || d.id]));
  }

  // The example questions name a country the index has: written for Mali, they were each declined
  // ("No indexed report covers Mali") on any corpus without a Mali report. The latest country
  // report names them (any document with a country and year when no country report is indexed);
  // with none, the examples are hidden rather than offered to fail.
  function fillExamples(documents) {
    const isReport = (d) => (d.kind === "country-report" ? 0 : 1);
    const reports = documents.filter((d) => d.country && d.year)
      .sort((a, b) => isReport(a) - isReport(b) || b.year - a.year || a.country.localeCompare(b.country));
    const pick = reports[0];
    $("examples").hidden = !pick;
    if (!pick) return;
    document.querySelectorAll(".example[data-template]").forEach((b) => {
      b.textContent = b.dataset.template.replace("{country}", pick.country).replace("{year}", String(pick.year));
    });
    const first = document.querySelector(".example");
    if (first) input.placeholder = "Ask a question, e.g. " + first.textContent;
  }

  async function loadDocuments() {
    try {
      const body = await api("documents");
      QA.docs = Object.fromEntries(body.documents.map((d) => [d.id, d]));
      if (QA.forgetTexts) QA.forgetTexts();
      const countries = [...new Set(body.documents.map((d) => d.country).filter(Boolean))].sort();
      fillSelect(countrySelect, "All countries", countries.map((c) => [c, c]));
      narrowFilters();
      fillExamples(body.documents);
      if (QA.initUpload) QA.initUpload(body.uploads, loadDocuments);
    } catch (e) {
      // The selectors are optional; questions still work across all documents.
    }
  }

  // -- rendering -----------------------------------------------------------------------------
  function citationFor(answer, ref, doc) {
    const wanted = doc ? doc + ": " + ref : null;
    return answer.citations.find((c) => c.ref === ref && (!wanted || c.label === wanted)) || null;
  }

  function citeButton(answer, citation, label) {
    const button = el("button", {
      type: "button", className: "cite", "data-testid": "citation", "data-ref": String(citation.ref),
      "aria-label": citation.ref === null ? "Show the document " + citation.doc : "Show reference " + citation.ref,
      text: label,
    });
    button.addEventListener("click", () => openCitation(answer, citation, button));
    return button;
  }

  // Text between numbered markers: a document cited as a whole ("[ilo-2021-aejt-kayes-sikasso]",
  // a document without a bibliography) is a button too, opening what the answer has of it.
  function appendPlain(container, answer, text) {
    let last = 0;
    for (const match of text.matchAll(DOC_MARKER)) {
      const citation = answer.citations.find((c) => c.ref === null && (c.label || c.doc) === match[1]);
      if (!citation) continue;
      container.append(text.slice(last, match.index), citeButton(answer, citation, match[0]));
      last = match.index + match[0].length;
    }
    container.append(text.slice(last));
  }

  // Text with each cited number in a [..] marker turned into a button.
  function renderAnswerText(answer) {
    const container = el("div", { className: "answer-text", "data-testid": "answer-text" });
    const text = answer.answer;
    let last = 0;
    for (const match of text.matchAll(MARKER)) {
      appendPlain(container, answer, text.slice(last, match.index));
      const doc = match[1] || null;
      const inner = match[2];
      const single = /^\d+$/.test(inner) && citationFor(answer, Number(inner), doc);
      if (single) {
        // One number: the whole "[4]" is the button, so it reads exactly like the report's marker.
        container.append(citeButton(answer, single, match[0]));
        last = match.index + match[0].length;
        continue;
      }
      container.append(doc ? "[" + doc + ": " : "[");
      let pos = 0;
      for (const num of inner.matchAll(/\d+/g)) {
        container.append(inner.slice(pos, num.index));
        const ref = Number(num[0]);
        const citation = citationFor(answer, ref, doc);
        if (citation) {
          container.append(citeButton(answer, citation, String(ref)));
        } else {
          container.append(num[0]);
        }
        pos = num.index + num[0].length;
      }
      container.append(inner.slice(pos), "]");
      last = match.index + match[0].length;
    }
    appendPlain(container, answer, text.slice(last));
    return container;
  }

  function renderAnswer(answer, content) {
    const card = el("article", { className: "message assistant" + (answer.abstained ? " abstained" : ""), "data-testid": "answer" });
    if (answer.abstained && !answer.language) {  // a question in another language says so itself
      card.append(el("p", { className: "abstain-badge", "data-testid": "abstained",
        text: "No supported answer: the reports do not clearly answer this question." }));
    }
    card.append(renderAnswerText(answer));
    if (answer.sources.length && !answer.abstained) {
      card.append(QA.renderSources(answer));
    }
    if (answer.citations.length) {
      card.append(el("h3", { className: "refs-title", text: "References" }), QA.renderReferences(answer));
    }
    const copy = el("button", { type: "button", className: "secondary small", "data-testid": "copy-answer",
      text: answer.citations.length ? "Copy answer with references" : "Copy answer" });
    const copied = el("span", { className: "copied", "data-testid": "copied", "aria-live": "polite" });
    copy.addEventListener("click", () => copyText(content).then(
      () => { copied.textContent = "Copied"; setTimeout(() => { copied.textContent = ""; }, 2500); },
      () => { copied.textContent = "Could not copy"; }));
    const meta = el("span", { className: "confidence", text: "Confidence " + Math.round(answer.confidence * 100) + "%" });
    card.append(el("div", { className: "actions" }, [copy, copied, meta]));
    return card;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise((resolve, reject) => {
      const area = el("textarea", { className: "visually-hidden" });
      area.value = text;
      document.body.append(area);
      area.select();
      const ok = document.execCommand("copy");
      area.remove();
      ok ? resolve() : reject(new Error("copy failed"));
    });
  }

  function openCitation(answer, citation, trigger) {
    // the marker's own text: "[Niger 2019: 4]" when the answer cites several reports, whose
    // reference numbers overlap; the bare number would not say which report's entry this is
    const label = citation.ref !== null ? "Reference [" + (citation.label || citation.ref) + "]" : "Document";
    $("panel-title").textContent = label;
    $("citation-entry").textContent = citation.text || citation.doc;
    const link = $("citation-url");
    const url = QA.safeUrl(citation.url);
    link.hidden = !url;
    if (url) { link.href = url; link.textContent = url; }
    const passages = answer.sources.filter((s) => s.doc === citation.doc && (citation.ref === null || s.refs.includes(citation.ref)));
    const box = $("citation-passage");
    box.replaceChildren();
    if (!passages.length) {
      box.append(el("p", { className: "muted", text: "No passage of this answer cites this entry directly." }));
    }
    for (const source of passages.slice(0, 3)) {
      const place = QA.placeName(source.section);
      box.append(el("blockquote", {}, QA.markText(source.text, source.highlights)),
        el("p", { className: "muted", text: QA.docLabel(source.doc) + (place ? " · " + place : "") }));
    }
    document.querySelectorAll(".cite.active").forEach((b) => b.classList.remove("active"));
    if (trigger && trigger.classList.contains("cite")) trigger.classList.add("active");
    panel.hidden = false;
    document.body.classList.add("panel-open");
    $("panel-close").focus({ preventScroll: true });
    panel._trigger = trigger;
  }

  function closePanel() {
    panel.hidden = true;
    document.body.classList.remove("panel-open");
    document.querySelectorAll(".cite.active").forEach((b) => b.classList.remove("active"));
    if (panel._trigger) panel._trigger.focus({ preventScroll: true });
  }

  function scrollToEnd() {
    conversationEl.scrollTop = conversationEl.scrollHeight;
    window.scrollTo(0, document.body.scrollHeight);
  }

  // -- asking --------------------------------------------------------------------------------
  async function ask(question) {
    if (busy || !ready) return;
    question = question.trim();
    if (!question) { input.focus(); return; }
    $("intro").hidden = true;
    conversationEl.append(el("div", { className: "message user", "data-testid": "user-message", text: question }));
    const pending = el("div", { className: "message pending", "data-testid": "pending", text: "Searching the reports…" });
    conversationEl.append(pending);
    scrollToEnd();
    input.value = "";
    updateCounter();
    setBusy(true);
    const outgoing = messages.slice(-HISTORY_TURNS).concat([{ role: "user", content: question }]);
    const body = { messages: outgoing };
    if (docSelect.value) body.doc = docSelect.value;
    if (countrySelect.value) body.country = countrySelect.value;
    if (yearSelect.value) body.year = Number(yearSelect.value);
    try {
      const reply = await api("chat", { method: "POST", body: JSON.stringify(body) });
      messages = outgoing;
      pending.replaceWith(renderAnswer(reply.answer, reply.message.content));
    } catch (error) {
      pending.replaceWith(el("div", { className: "message error", "data-testid": "error", text: "Sorry — " + error.message }));
    } finally {
      setBusy(false);
      scrollToEnd();
      input.focus();
    }
  }

  function updateCounter() {
    counter.textContent = input.value.length + " / 2000";
  }

  function newConversation() {
    messages = [];
    conversationEl.querySelectorAll(".message").forEach((m) => m.remove());
    $("intro").hidden = false;
    closePanel();
    input.focus();
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); ask(input.value); });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); ask(input.value); }
  });
  input.addEventListener("input", updateCounter);
  countrySelect.addEventListener("change", narrowFilters);
  yearSelect.addEventListener("change", narrowFilters);
  $("new-conversation").addEventListener("click", newConversation);
  $("panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", (event) => { if (event.key === "Escape" && !panel.hidden) closePanel(); });
  document.querySelectorAll(".example").forEach((b) => b.addEventListener("click", () => ask(b.textContent)));

  setBusy(false);
  waitUntilReady();
})(window.QA);
