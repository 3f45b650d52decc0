// chainmatch pages: the few behaviours plain HTML lacks. No inline scripts (the CSP allows only this origin).
(function () {
  "use strict";
  // Node picker: a suggestion button adds its node to the textarea named by data-target, one per line.
  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("button[data-node]") : null;
    if (!b) return;
    e.preventDefault();
    var box = document.getElementById(b.getAttribute("data-target") || "f-nodes");
    if (!box) return;
    var have = box.value.split(/\n/).map(function (s) { return s.trim(); }).filter(Boolean);
    if (have.indexOf(b.getAttribute("data-node")) < 0) have.push(b.getAttribute("data-node"));
    box.value = have.join("\n");
    box.focus();
  });
  // Buttons that end something ask first.
  document.addEventListener("submit", function (e) {
    var q = e.target.getAttribute && e.target.getAttribute("data-confirm");
    if (q && !window.confirm(q)) e.preventDefault();
  });
  // Charts and the chain graph: ECharts options come from a JSON block next to the element.
  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var src = document.getElementById(el.getAttribute("data-chart"));
      if (!src) return;
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(JSON.parse(src.textContent));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
