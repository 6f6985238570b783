// Keeps a draft safe while it is typed: every change goes to this device's storage at once, and to the
// server a moment later. If the session has ended, the draft stays on the device and comes back after sign-in.
(function () {
  const form = document.querySelector("[data-autosave]");
  if (!form) return;
  const status = document.querySelector("[data-autosave-status]");
  const key = "outstanding-draft-" + form.dataset.autosave;
  let serverSavedAt = Number(form.dataset.savedAt || 0);
  let timer = null;

  function show(message) { if (status) status.textContent = message; }

  function fields() {
    return Array.from(form.elements).filter((el) => el.name && !["hidden", "submit", "button"].includes(el.type));
  }

  function values() {
    const data = {};
    for (const el of fields()) {
      if (el.type === "checkbox") {
        data[el.name] = data[el.name] || [];
        if (el.checked) data[el.name].push(el.value);
      } else if (el.type === "radio") {
        if (el.checked || !(el.name in data)) data[el.name] = el.checked ? el.value : "";
      } else {
        data[el.name] = el.value;
      }
    }
    return data;
  }

  function restore(data) {
    for (const el of fields()) {
      if (!(el.name in data)) continue;
      const value = data[el.name];
      if (el.type === "checkbox") el.checked = value.includes(el.value);
      else if (el.type === "radio") el.checked = el.value === value;
      else el.value = value;
    }
  }

  async function save() {
    const started = Date.now();
    const body = new FormData(form);
    body.set("autosave", "1");
    try {
      // getAttribute: a button named "action" would shadow form.action
      const response = await fetch(form.getAttribute("action"), {
        method: "POST", body: body, credentials: "same-origin", redirect: "manual",
        headers: { "X-Requested-With": "fetch" },
      });
      if (response.ok && (response.headers.get("content-type") || "").includes("json")) {
        const result = await response.json();
        serverSavedAt = result.saved_at_ms;
        // forget the device copy only if nothing was typed while this save was on its way; if something
        // was, it now builds on what the server just saved
        const stored = JSON.parse(localStorage.getItem(key) || "null");
        if (stored && stored.at <= started) localStorage.removeItem(key);
        else if (stored) localStorage.setItem(key, JSON.stringify({ ...stored, base: serverSavedAt }));
        show("Draft saved at " + result.saved_at);
      } else {
        show("Not saved to the system: sign in again. Your text is kept on this device.");
      }
    } catch (error) {
      show("Not saved to the system: no connection. Your text is kept on this device.");
    }
  }

  // Bring back a device copy only if it was typed on top of the draft the server still has: a copy from an
  // older page (another tab, another day) must never overwrite newer text.
  const kept = JSON.parse(localStorage.getItem(key) || "null");
  if (kept && kept.base !== serverSavedAt) localStorage.removeItem(key);
  else if (kept && JSON.stringify(kept.values) !== JSON.stringify(values())) {
    restore(kept.values);  // typed after the last save reached the server: bring it back, then save it
    show("Restored text typed before your session ended.");
    save();
  }
  function changed() {
    localStorage.setItem(key, JSON.stringify({ values: values(), at: Date.now(), base: serverSavedAt }));
    show("Saving…");
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
})();
