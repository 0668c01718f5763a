// An answer's sources (the quoted passages, what the answer uses marked, the section or table
// named), its references (each expands to the bibliography entry and its link), and the document
// view that opens a report at a passage. Server text is inserted as text, never as HTML.
"use strict";

window.QA = window.QA || {};

(function (QA) {
  const $ = (id) => document.getElementById(id);
  const TRAILING_MARKERS = /\s*\[[\d,;\s\u2013-]+\]\s*$/;
  const texts = new Map(); // doc id -> GET documents/{id}/text body

  function el(tag, attrs, children) {
    return QA.el(tag, attrs, children);
  }

  // The passage text with each [start, end) highlight wrapped in <mark>.
  QA.markText = function (text, highlights) {
    const nodes = [];
    let pos = 0;
    const spans = (highlights || []).slice().sort((a, b) => a[0] - b[0]);
    for (const [start, end] of spans) {
      if (start < pos || end > text.length || end <= start) continue;
      nodes.push(text.slice(pos, start), el("mark", { "data-testid": "highlight", text: text.slice(start, end) }));
      pos = end;
    }
    nodes.push(text.slice(pos));
    return nodes;
  };

  function docLabel(docId) {
    const doc = (QA.docs || {})[docId];
    if (!doc) return docId;
    const title = doc.title || docId;
    const parts = [doc.country, doc.year].filter(Boolean).join(" ");
    // "2019 Findings on the Worst Forms of Child Labor: Mali" names its country and year already
    const named = [doc.country, doc.year].filter(Boolean).every((p) => title.includes(String(p)));
    return parts && !named ? parts + " · " + title : title;
  }
  QA.docLabel = docLabel;

  // "Table 6. Labor Law Enforcement ... [2, 4]" -> "Table 6. Labor Law Enforcement ..."; a section
  // key or heading -> "Section ...".
  QA.placeName = function (section) {
    const name = (section || "").replace(TRAILING_MARKERS, "").trim();
    if (!name) return "";
    return /^table\b/i.test(name) ? name : "Section: " + name;
  };

  QA.renderSources = function (answer) {
    const box = el("section", { className: "sources", "data-testid": "sources" },
      [el("h3", { className: "refs-title", text: "Sources" })]);
    for (const source of answer.sources) {
      const where = [docLabel(source.doc), QA.placeName(source.section)].filter(Boolean).join(" — ");
      const open = el("button", { type: "button", className: "secondary small", "data-testid": "open-in-report",
        text: "Open in the report" });
      open.addEventListener("click", () => QA.openDocument(source.doc, source.anchor, source, answer.units));
      const cites = source.refs.length ? "Cites [" + source.refs.join(", ") + "]" : "";
      box.append(el("article", { className: "source", "data-testid": "source", "data-anchor": source.anchor,
        "data-doc": source.doc }, [
        el("p", { className: "source-where", "data-testid": "source-where", text: where }),
        el("blockquote", { className: "source-text", "data-testid": "source-text" },
          QA.markText(source.text, source.highlights)),
        el("div", { className: "source-foot" }, [el("span", { className: "muted", text: cites }), open]),
      ]));
    }
    return box;
  };

  function shorten(text, limit) {
    text = (text || "").replace(/\s+/g, " ").trim();
    return text.length <= limit ? text : text.slice(0, limit - 1).replace(/\s+\S*$/, "") + "…";
  }

  // A bibliography URL as a link: http(s) as written; one the report prints without its scheme
  // ("unodc.org/unodc/en/...", "www.ilo.org/...") gets "https://" (as a bare href it pointed at
  // this server); anything else ("javascript:...") is no link.
  function safeUrl(url) {
    if (typeof url !== "string") return null;
    if (/^https?:\/\//i.test(url)) return url;
    return /^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\//i.test(url) ? "https://" + url : null;
  }
  QA.safeUrl = safeUrl;

  // Each reference is a <details>: the marker and the start of the entry; opened, the whole
  // bibliography entry and its URL as a link.
  QA.renderReferences = function (answer) {
    const list = el("ol", { className: "references", "data-testid": "references" });
    for (const citation of answer.citations) {
      // the marker as the answer writes it: "[4]", "[Mali 2019: 4]", or a document cited as a whole,
      // "[ilo-2021-aejt-kayes-sikasso]" (a bare "[doc]" did not say which of several documents)
      const label = "[" + (citation.label || (citation.ref !== null ? citation.ref : citation.doc)) + "]";
      const entry = el("div", { className: "reference-entry", "data-testid": "reference-entry" },
        [el("p", { text: citation.text || docLabel(citation.doc) })]);
      const url = safeUrl(citation.url);
      if (url) {
        entry.append(el("p", { className: "entry-link" }, [el("a", { href: url, target: "_blank",
          rel: "noopener noreferrer", "data-testid": "reference-url", text: url })]));
      }
      if (citation.ref === null) entry.append(el("p", { className: "muted", text: "The document as a whole." }));
      const details = el("details", { className: "reference", "data-testid": "reference",
        "data-ref": String(citation.ref) }, [
        el("summary", { "data-testid": "reference-summary" }, [
          el("span", { className: "ref-num", text: label }), " ",
          el("span", { className: "ref-short", text: shorten(citation.text || citation.doc, 80) }),
        ]),
        entry,
      ]);
      list.append(el("li", { "data-ref": String(citation.ref) }, [details]));
    }
    return list;
  };

  // -- the document view -------------------------------------------------------------------
  QA.forgetTexts = function () { texts.clear(); };

  // Where the sentences or cells a source highlights sit in the report's own text of the passage
  // (the source's text writes markers as "[2, 4]" and may label table cells "2019: ..."; the
  // report writes "(2,4)"): [start, end) ranges in passageText.
  // Where the answer quotes the passage, in passage coordinates: the answer's units name their exact
  // places in the report text (doc_spans); an answer without units (an LLM's) falls back to finding
  // each highlighted sentence in the passage.
  function quotedRanges(passageText, target, source, units) {
    const exact = (units || []).filter((u) => u.anchor === source.anchor).flatMap((u) => u.doc_spans || []);
    const ranges = exact.map(([start, end]) => [Math.max(0, start - target.start), Math.min(passageText.length, end - target.start)])
      .filter(([start, end]) => end > start);
    if (!ranges.length) {
      for (const [start, end] of (source && source.highlights) || []) {
        const quoted = source.text.slice(start, end).replace(TRAILING_MARKERS, "").trim();
        for (const candidate of [quoted, quoted.replace(/^[^:]{1,40}:\s+/, "")]) {
          const at = candidate.length >= 8 ? passageText.indexOf(candidate) : -1;
          if (at >= 0) { ranges.push([at, at + candidate.length]); break; }
        }
      }
    }
    return ranges.sort((a, b) => a[0] - b[0]).filter((r, i, all) => i === 0 || r[0] >= all[i - 1][1]);
  }

  QA.openDocument = async function (docId, anchor, source, units) {
    const dialog = $("document-view");
    const box = $("document-text");
    $("document-title").textContent = docLabel(docId);
    box.replaceChildren(el("p", { className: "muted", text: "Loading the report…" }));
    if (!dialog.open) dialog.showModal();
    let body = texts.get(docId);
    try {
      if (!body) {
        body = await QA.api("documents/" + encodeURIComponent(docId) + "/text");
        texts.set(docId, body);
      }
    } catch (error) {
      box.replaceChildren(el("p", { className: "muted", text: "Cannot open the report: " + error.message }));
      return;
    }
    $("document-title").textContent = body.title || docId;
    const target = body.passages.find((p) => p.anchor === anchor);
    if (!target) {
      box.replaceChildren(body.text);
      return;
    }
    const passageText = body.text.slice(target.start, target.end);
    const passage = el("mark", { className: "passage-target", "data-testid": "document-passage",
      "data-anchor": anchor });
    let pos = 0;
    for (const [start, end] of quotedRanges(passageText, target, source, units)) {
      passage.append(passageText.slice(pos, start),
        el("strong", { className: "quoted", "data-testid": "document-quoted", text: passageText.slice(start, end) }));
      pos = end;
    }
    passage.append(passageText.slice(pos));
    box.replaceChildren(body.text.slice(0, target.start), passage, body.text.slice(target.end));
    passage.scrollIntoView({ block: "center" });
  };

  document.addEventListener("DOMContentLoaded", () => {
    const dialog = $("document-view");
    $("document-close").addEventListener("click", () => dialog.close());
  });
})(window.QA);
