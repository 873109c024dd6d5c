// accord's pages: draw the charts the server describes, run what-ifs from the sliders, and send
// the editor's fields, showing each problem at its field. Plain browser JavaScript, no framework.
(function () {
  "use strict";

  var CONFIG = { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

  function draw(figures, root) {
    if (!window.Plotly || !figures) return;
    (root || document).querySelectorAll("[data-figure]").forEach(function (el) {
      var fig = figures[el.dataset.figure];
      if (fig) window.Plotly.react(el, fig.data, fig.layout, CONFIG);
    });
  }

  function postJSON(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    }).then(function (r) {
      return r.json().then(function (data) { return { ok: r.ok, status: r.status, data: data }; });
    });
  }

  // -- messages at their fields ---------------------------------------------------------------

  function clearMessages(root) {
    root.querySelectorAll(".field.invalid").forEach(function (el) { el.classList.remove("invalid"); });
    root.querySelectorAll(".message").forEach(function (el) { el.textContent = ""; });
  }

  // the field a problem is about: the same path, else the nearest one above or below it
  function fieldFor(root, path) {
    if (!path) return null;
    var fields = Array.prototype.slice.call(root.querySelectorAll(".field[data-field]"));
    var exact = fields.filter(function (el) { return el.dataset.field === path; });
    if (exact.length) return exact[0];
    var below = fields.filter(function (el) { return el.dataset.field.indexOf(path + ".") === 0; });
    if (below.length) return below[0];
    var above = fields.filter(function (el) { return path.indexOf(el.dataset.field + ".") === 0; });
    return above.length ? above[above.length - 1] : null;
  }

  function problemText(p) {
    return p.message + (p.hint ? " (" + p.hint + ")" : "");
  }

  // show an error's problems at their fields; the rest (and the summary) in `general`
  function showError(root, err, general) {
    var problems = (err.problems && err.problems.length) ? err.problems
      : [{ field: err.field, message: err.message, hint: err.hint }];
    var unplaced = [];
    problems.forEach(function (p) {
      var el = fieldFor(root, p.field);
      if (el) {
        el.classList.add("invalid");
        var msg = el.querySelector(".message");
        msg.textContent = (msg.textContent ? msg.textContent + " · " : "") + problemText(p);
      } else {
        unplaced.push(p.text || problemText(p));
      }
    });
    if (general) general.textContent = unplaced.length ? unplaced.join(" · ") : err.message;
  }

  // -- the what-if panel ----------------------------------------------------------------------

  function whatIf(panel) {
    var timer = null;
    var seq = 0;
    var status = panel.querySelector("#whatif-status");
    var result = panel.querySelector("#whatif-result");
    var general = panel.querySelector("#whatif-error");
    var sliders = panel.querySelectorAll("input[type=range]");
    var variant = panel.querySelector("#whatif-variant");

    function changes() {
      var out = {};
      sliders.forEach(function (s) {
        if (Number(s.value) !== Number(s.dataset.base)) out[s.name] = Number(s.value);
      });
      return out;
    }

    function run() {
      var ch = changes();
      clearMessages(panel);
      if (!Object.keys(ch).length && !variant.value) {
        result.innerHTML = '<p class="hint">No change yet.</p>';
        status.textContent = "";
        return;
      }
      var mine = ++seq;
      var t0 = performance.now();
      status.textContent = "running…";
      panel.classList.add("busy");
      postJSON("/scenarios/" + encodeURIComponent(panel.dataset.scenario) + "/whatif", {
        models: panel.dataset.model,
        runs: Number(panel.dataset.runs),
        seed: Number(panel.dataset.seed),
        variant: variant.value || null,
        changes: ch,
      }).then(function (r) {
        if (mine !== seq) return; // a newer move is on its way
        panel.classList.remove("busy");
        if (!r.ok) {
          status.textContent = "";
          showError(panel, r.data.error || { message: "the what-if failed" }, general);
          return;
        }
        result.innerHTML = r.data.html;
        draw(r.data.figures, result);
        var ms = Math.round(performance.now() - t0);
        status.textContent = "updated in " + ms + " ms";
        panel.dataset.roundTripMs = String(ms);
        panel.dispatchEvent(new CustomEvent("whatif:rendered", { detail: { ms: ms } }));
      }).catch(function (e) {
        panel.classList.remove("busy");
        status.textContent = "";
        general.textContent = "could not reach the server: " + e;
      });
    }

    function later() {
      clearTimeout(timer);
      timer = setTimeout(run, 250);
    }

    sliders.forEach(function (s) {
      var out = s.parentElement.querySelector("output");
      s.addEventListener("input", function () { out.textContent = s.value; later(); });
      s.addEventListener("change", later);
    });
    variant.addEventListener("change", later);
    panel.querySelector("#whatif-reset").addEventListener("click", function () {
      sliders.forEach(function (s) {
        s.value = s.dataset.base;
        s.parentElement.querySelector("output").textContent = s.value;
      });
      variant.value = "";
      run();
    });
  }

  // -- the editor -------------------------------------------------------------------------------

  function editor(form) {
    var status = document.getElementById("edit-status");
    var general = document.getElementById("edit-error");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearMessages(form);
      general.textContent = "";
      var body = { base: form.dataset.base, changes: {} };
      form.querySelectorAll("input[name]").forEach(function (el) {
        if (el.name === "id") { body.id = el.value.trim(); return; }
        if (el.value === el.dataset.base) return;
        var v = el.value.trim();
        body.changes[el.name] = (el.name === "title" || v === "" || isNaN(Number(v))) ? (v === "" ? null : v) : Number(v);
      });
      status.textContent = "checking…";
      postJSON("/api/scenarios/edit", body).then(function (r) {
        if (!r.ok) {
          status.textContent = "not saved";
          showError(form, r.data.error, general);
          return;
        }
        status.textContent = "saved as " + r.data.id;
        window.location.href = r.data.url + "/forecast";
      });
    });
  }

  function yamlEditor(form) {
    var status = document.getElementById("yaml-status");
    var list = document.getElementById("yaml-problems");
    var area = form.querySelector("textarea");

    function show(problems) {
      list.innerHTML = "";
      problems.forEach(function (p) {
        var li = document.createElement("li");
        li.textContent = p.text || problemText(p);
        if (p.line) {
          li.classList.add("jump");
          li.title = "go to line " + p.line;
          li.addEventListener("click", function () { goTo(p.line, p.column); });
        }
        list.appendChild(li);
      });
    }

    function goTo(line, column) {
      var lines = area.value.split("\n");
      var at = 0;
      for (var k = 0; k < line - 1 && k < lines.length; k++) at += lines[k].length + 1;
      at += Math.max((column || 1) - 1, 0);
      area.focus();
      area.setSelectionRange(at, at);
    }

    function check(save) {
      clearMessages(form);
      status.textContent = "checking…";
      postJSON("/api/validate", { text: area.value }).then(function (r) {
        var problems = r.ok ? r.data.problems : (r.data.error.problems || [r.data.error]);
        show(problems);
        if (problems.length) {
          status.textContent = problems.length + (problems.length === 1 ? " problem" : " problems");
          form.querySelector(".field").classList.add("invalid");
          return;
        }
        if (!save) { status.textContent = "valid"; return; }
        postJSON("/api/scenarios/edit", { text: area.value }).then(function (s) {
          if (!s.ok) { status.textContent = "not saved"; show([s.data.error]); return; }
          window.location.href = s.data.url + "/forecast";
        });
      });
    }

    form.querySelector("#yaml-check").addEventListener("click", function () { check(false); });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); check(true); });
  }

  // -- keeping a run: started in the background, followed by server-sent events ----------------

  function keeper(box) {
    var status = box.querySelector("#keep-status");
    box.querySelector("#keep-run").addEventListener("click", function () {
      var d = box.dataset;
      status.textContent = "starting…";
      postJSON("/api/runs", {
        kind: "forecast", scenario: d.scenario, models: d.models, runs: Number(d.runs),
        seed: Number(d.seed), variant: d.variant || null,
      }).then(function (r) {
        if (!r.ok) { status.textContent = r.data.error.message; return; }
        var events = new EventSource(r.data.events);
        events.addEventListener("progress", function (e) {
          var st = JSON.parse(e.data);
          status.textContent = st.status + ": " + st.done + " of " + st.total + " draws";
        });
        events.addEventListener("end", function (e) {
          events.close();
          var st = JSON.parse(e.data);
          status.textContent = st.status;
          if (st.status === "complete") window.location.href = "/runs/" + st.id;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var data = document.getElementById("figures");
    if (data) draw(JSON.parse(data.textContent));
    var panel = document.getElementById("whatif");
    if (panel) whatIf(panel);
    var form = document.getElementById("edit-form");
    if (form) editor(form);
    var keep = document.getElementById("keep");
    if (keep) keeper(keep);
    var yaml = document.getElementById("yaml-form");
    if (yaml) yamlEditor(yaml);
    document.documentElement.dataset.ready = "1";
  });
})();
