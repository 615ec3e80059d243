// Keep htmx requests carrying Django's CSRF token after a partial swap.
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
});
// Ask before destructive actions (forms marked class="confirm").
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.classList && form.classList.contains("confirm") && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
// Charts: elements with data-plotly hold a Plotly figure as JSON (no inline scripts);
// drawn on load and again in content htmx swaps in.
function drawCharts(root) {
  if (!window.Plotly) { return; }
  root.querySelectorAll("[data-plotly]").forEach(function (el) {
    var figure = JSON.parse(el.dataset.plotly);
    window.Plotly.newPlot(el, figure.data, figure.layout, {displaylogo: false, responsive: true});
  });
}
document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
document.addEventListener("htmx:afterSettle", function (event) { drawCharts(event.detail.elt.parentNode || document); });
