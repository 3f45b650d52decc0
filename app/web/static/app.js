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
  // Charts and the chain graph: ECharts options come from a JSON block next to the element. ECharts cannot lay
  // out a box of no size (its view transform has no inverse and it throws), and a box can have none for a
  // moment while the page is laid out again: a chart is drawn once its box has a size and follows the box's
  // size changes only while it has one. Changes are taken in the next frame, outside the observer's callback.
  function draw() {
    if (!window.echarts) return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var src = document.getElementById(el.getAttribute("data-chart"));
      if (!src) return;
      var options = JSON.parse(src.textContent);
      var chart = null;
      var pending = false;
      function fit() {
        pending = false;
        if (!el.clientWidth || !el.clientHeight) return;
        if (chart) { chart.resize(); return; }
        chart = window.echarts.init(el, null, { renderer: "canvas" });
        chart.setOption(options);
      }
      function later() {
        if (!pending) { pending = true; window.requestAnimationFrame(fit); }
      }
      if (window.ResizeObserver) new window.ResizeObserver(later).observe(el);
      else window.addEventListener("resize", later);
      fit();
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
