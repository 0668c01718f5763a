// The upload control: shown when the server allows uploads (GET /documents says so). Sends the
// file with XMLHttpRequest (fetch reports no upload progress), then follows the document's status
// URL until it is indexed or failed.
"use strict";

window.QA = window.QA || {};

(function (QA) {
  const $ = (id) => document.getElementById(id);
  const POLL_MS = 1000;
  const FIELDS = ["id", "country", "year", "title", "kind"];
  let onIndexed = () => {};
  let polling = null;

  function status(text, kind) {
    const line = $("upload-status");
    line.textContent = text;
    line.className = "upload-status " + (kind || "");
  }

  function progress(value) {
    const bar = $("upload-progress");
    bar.hidden = value === null;
    if (value !== null) bar.value = value;
  }

  // Called with GET /documents' "uploads" ({allowed, max_bytes, types}) each time documents load.
  QA.initUpload = function (uploads, indexed) {
    onIndexed = indexed || onIndexed;
    const allowed = Boolean(uploads && uploads.allowed);
    $("upload-open").hidden = !allowed;
    if (allowed) {
      $("upload-limit").textContent = "up to " + Math.floor(uploads.max_bytes / 1e6) + " MB";
    }
  };

  function send(event) {
    event.preventDefault();
    const file = $("upload-file").files[0];
    if (!file) { status("Choose a file first.", "error"); return; }
    const data = new FormData();
    data.append("file", file);
    for (const name of FIELDS) {
      const value = $("upload-" + name).value.trim();
      if (value) data.append(name, value);
    }
    if ($("upload-replace").checked) data.append("replace", "true");
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "documents");
    const key = sessionStorage.getItem("qa-api-key");
    if (key) xhr.setRequestHeader("Authorization", "Bearer " + key);
    xhr.upload.onprogress = (e) => {
      if (!e.lengthComputable) return;
      const percent = Math.round((e.loaded / e.total) * 100);
      progress(percent);
      status("Uploading… " + percent + "%");
    };
    xhr.onload = () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
      if (xhr.status === 202 && body) {
        progress(100);
        status("Uploaded. Indexing " + body.id + " (" + body.state + ")…");
        follow(body.id);
        return;
      }
      progress(null);
      $("upload-submit").disabled = false;
      if (xhr.status === 401 && QA.askForKey) QA.askForKey();
      const message = body && body.error ? body.error.message : "the server answered " + xhr.status;
      status("Not uploaded: " + message, "error");
    };
    xhr.onerror = () => {
      progress(null);
      $("upload-submit").disabled = false;
      status("Not uploaded: the server could not be reached.", "error");
    };
    $("upload-submit").disabled = true;
    progress(0);
    status("Uploading…");
    xhr.send(data);
  }

  // Poll the document's state until it is indexed (ready) or failed.
  function follow(docId) {
    clearTimeout(polling);
    polling = setTimeout(async () => {
      let body;
      try {
        body = await QA.api("documents/" + encodeURIComponent(docId));
      } catch (error) {
        status("Lost track of " + docId + ": " + error.message, "error");
        $("upload-submit").disabled = false;
        return;
      }
      if (body.state === "ready") {
        status("Ready: " + docId + " is indexed; ask about it.", "ok");
        $("upload-submit").disabled = false;
        $("upload-form").reset();
        progress(null);
        onIndexed(docId);
      } else if (body.state === "failed") {
        status("Indexing failed: " + (body.reason || "unknown reason"), "error");
        $("upload-submit").disabled = false;
        progress(null);
      } else {
        status("Uploaded. Indexing " + docId + " (" + body.state + ")…");
        follow(docId);
      }
    }, POLL_MS);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const dialog = $("upload-dialog");
    $("upload-open").addEventListener("click", () => { status(""); dialog.showModal(); });
    $("upload-cancel").addEventListener("click", () => dialog.close());
    $("upload-form").addEventListener("submit", send);
  });
})(window.QA);
