"""The audit report's inline style sheet and script (nothing is loaded from anywhere else)."""

from __future__ import annotations

CSS = """
body { font: 14px/1.5 system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei",
       sans-serif; margin: 1.5em auto; max-width: 1400px; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; margin: .5em 0; }
th, td { border: 1px solid #ddd; padding: 2px 8px; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.big { font-size: 1.4em; font-weight: bold; }
.note { color: #666; font-style: italic; }
section.cluster { border: 1px solid #bbb; border-radius: 4px; margin: 1.2em 0; padding: .5em 1em; }
section.cluster[hidden] { display: none; }
.kind { display: inline-block; padding: 0 .5em; border-radius: 3px; background: #eef;
        font-family: monospace; }
.comparison { margin: 1em 0; border-top: 1px dashed #ccc; padding-top: .5em; }
.sbs { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.sbs h4 { margin: .2em 0; font-size: 1em; }
.text { white-space: pre-wrap; word-break: break-all; font-size: 13px; background: #fafafa;
        border: 1px solid #eee; padding: .5em; max-height: 32em; overflow: auto; margin: 0; }
mark { background: #ffe27a; }
.gap { color: #777; background: #eee; font-style: italic; }
code { font-size: 12px; word-break: break-all; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
svg rect.bar { fill: #5b8bd0; }
"""

# Filter the cluster sections by kind; nothing else runs.
JS = """
(function () {
  var select = document.getElementById('kind-filter');
  var status = document.getElementById('filter-status');
  var sections = document.querySelectorAll('section.cluster');
  function apply() {
    var kind = select.value, shown = 0;
    for (var i = 0; i < sections.length; i++) {
      var on = !kind || sections[i].getAttribute('data-kind') === kind;
      sections[i].hidden = !on;
      if (on) { shown += 1; }
    }
    status.textContent = shown + ' of ' + sections.length + ' cluster sections shown';
  }
  select.addEventListener('change', apply);
  apply();
})();
"""
