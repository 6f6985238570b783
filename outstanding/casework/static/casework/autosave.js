// Keeps a draft safe while it is typed: every keystroke goes to this device's storage at once, and to the
// server a moment later. If the session has ended, the text stays on the device and comes back after sign-in.
(function () {
  const form = document.querySelector("[data-autosave]");
  if (!form) return;
  const text = form.querySelector("textarea[name=text]");
  const status = document.querySelector("[data-autosave-status]");
  const key = "outstanding-draft-" + form.dataset.autosave;
  const serverSavedAt = Number(form.dataset.savedAt || 0);
  let timer = null;

  function show(message) { if (status) status.textContent = message; }

  async function save() {
    const body = new FormData(form);
    body.set("autosave", "1");
    try {
      const response = await fetch(form.action, {
        method: "POST", body: body, credentials: "same-origin", redirect: "manual",
        headers: { "X-Requested-With": "fetch" },
      });
      if (response.ok && (response.headers.get("content-type") || "").includes("json")) {
        const result = await response.json();
        localStorage.removeItem(key);
        show("Draft saved at " + result.saved_at);
      } else {
        show("Not saved to the system: sign in again. Your text is kept on this device.");
      }
    } catch (error) {
      show("Not saved to the system: no connection. Your text is kept on this device.");
    }
  }

  const kept = JSON.parse(localStorage.getItem(key) || "null");
  if (kept && kept.at > serverSavedAt && kept.text !== text.value) {
    text.value = kept.text;  // typed after the last save reached the server: bring it back, then save it
    show("Restored text typed before your session ended.");
    save();
  }
  text.addEventListener("input", function () {
    localStorage.setItem(key, JSON.stringify({ text: text.value, at: Date.now() }));
    show("Saving…");
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  });
})();
