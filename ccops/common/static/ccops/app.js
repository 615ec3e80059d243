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
// Charts: elements with data-plotly hold a Plotly figure as JSON (no inline scripts).
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Plotly) { return; }
  document.querySelectorAll("[data-plotly]").forEach(function (el) {
    var figure = JSON.parse(el.dataset.plotly);
    window.Plotly.newPlot(el, figure.data, figure.layout, {displaylogo: false, responsive: true});
  });
});
