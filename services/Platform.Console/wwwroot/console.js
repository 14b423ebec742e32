// The console's one script, no build step: each dashboard widget loads its own fragment (showing loading, then its
// data, empty or error state) and reloads it on the chosen refresh interval; custom range fields show when chosen.
(() => {
  "use strict";

  const escape = (text) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

  async function describe(response) {
    try {
      const problem = await response.json();
      const fields = problem.errors ? Object.entries(problem.errors).map(([f, r]) => `${f}: ${r.join(", ")}`).join("; ") : "";
      return [problem.title, problem.detail, fields].filter(Boolean).join(" ");
    } catch {
      return `${response.status} ${response.statusText}`;
    }
  }

  async function load(widget) {
    const body = widget.querySelector(".widget-body");
    widget.dataset.state = "loading";
    widget.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(widget.dataset.widgetSrc, { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" });
      if (response.status === 401) {
        window.location.href = "/login?ReturnUrl=" + encodeURIComponent(window.location.pathname + window.location.search);
        return;
      }
      if (!response.ok) {
        throw new Error(await describe(response));
      }
      body.innerHTML = await response.text();
      widget.dataset.state = body.firstElementChild?.dataset.state ?? "ready";
    } catch (error) {
      body.innerHTML = `<p class="state error" role="alert">This widget could not load: ${escape(String(error.message || error))}</p>`;
      widget.dataset.state = "error";
    } finally {
      widget.removeAttribute("aria-busy");
    }
  }

  function loadAll() {
    document.querySelectorAll("[data-widget-src]").forEach(load);
  }

  document.addEventListener("DOMContentLoaded", () => {
    loadAll();
    const grid = document.querySelector("[data-refresh]");
    const seconds = Number(grid?.dataset.refresh ?? 0);
    if (seconds > 0) {
      setInterval(loadAll, seconds * 1000);
    }
    document.querySelectorAll("[data-reload-widgets]").forEach((b) => b.addEventListener("click", loadAll));
    document.querySelectorAll("[data-custom-toggle]").forEach((select) => {
      const custom = select.parentElement.querySelector("[data-custom]");
      select.addEventListener("change", () => { if (custom) custom.hidden = select.value !== "custom"; });
    });
    document.querySelectorAll("[data-language]").forEach((radio) => radio.addEventListener("change", () => {
      const only = document.querySelector("[data-insights-only]");
      if (only) only.hidden = radio.value !== "insights" || !radio.checked;
    }));
  });
})();
