/** The page's inline CSS and its only script (hover texts); nothing is loaded from anywhere. */

export const STYLE = `
:root { --fg: #1d1d1f; --muted: #666; --line: #ddd; --bg-soft: #f6f7f9; --accent: #4c78a8; --bad: #b42318; --good: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
header, main { max-width: 1280px; margin: 0 auto; padding: 0 24px; }
body.compare header, body.compare main { max-width: 2200px; }
header { padding-top: 20px; border-bottom: 1px solid var(--line); }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; padding-top: 8px; border-top: 1px solid var(--line); }
h3 { font-size: 15px; margin: 16px 0 6px; }
nav { margin: 10px 0 12px; display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; }
nav a { color: var(--accent); text-decoration: none; }
.lede { color: var(--muted); margin: 0 0 8px; }
.cols { display: grid; grid-template-columns: 1fr; gap: 24px; }
body.compare .cols { grid-template-columns: 1fr 1fr; }
.col { min-width: 0; }
.col > .col-title { font-weight: 600; color: var(--muted); margin: 6px 0; font-size: 13px; }
.row { display: flex; flex-wrap: wrap; gap: 20px; align-items: flex-start; }
.chart svg { max-width: 100%; height: auto; }
.chart svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
table { border-collapse: collapse; margin: 6px 0 10px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 10px 3px 0; text-align: left; vertical-align: top; }
th { font-weight: 600; color: var(--muted); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.absent { color: var(--muted); font-style: italic; background: var(--bg-soft); padding: 8px 12px; border-radius: 6px; }
.notes { color: var(--muted); font-size: 13px; }
.bad { color: var(--bad); } .good { color: var(--good); }
.headline { display: flex; flex-wrap: wrap; gap: 10px 28px; margin: 10px 0 16px; }
.headline div { min-width: 120px; }
.headline b { display: block; font-size: 20px; }
.headline span { color: var(--muted); font-size: 12px; }
.dag { display: flex; align-items: stretch; gap: 6px; overflow-x: auto; padding: 6px 0; }
.rank { display: flex; flex-direction: column; gap: 8px; justify-content: center; }
.arrow { align-self: center; color: var(--muted); font-size: 18px; }
.stage { border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 6px; padding: 6px 10px; min-width: 150px; max-width: 260px; background: #fff; font-size: 12px; }
.stage .sid { font-weight: 600; font-size: 13px; }
.stage .blk { color: var(--muted); }
.stage .params { margin-top: 4px; }
.stage .param { line-height: 1.3; margin: 1px 0; overflow-wrap: anywhere; }
.stage .param .k { color: var(--muted); }
.stage .param code { font-size: 11px; }
.stage .from { color: var(--muted); font-size: 11px; margin-top: 4px; }
.kind-data, .kind-input { border-left-color: #9d755d; } .kind-dsp { border-left-color: #f58518; } .kind-learn { border-left-color: #4c78a8; }
.kind-quantize { border-left-color: #54a24b; } .kind-evaluate { border-left-color: #b279a2; } .kind-profile { border-left-color: #e45756; }
.kind-deploy { border-left-color: #72b7b2; } .kind-report { border-left-color: #bab0ac; }
details summary { cursor: pointer; color: var(--accent); font-size: 13px; }
#tip { position: fixed; pointer-events: none; background: #222; color: #fff; font-size: 12px; padding: 4px 8px; border-radius: 4px; max-width: 420px; z-index: 10; }
footer { max-width: 1280px; margin: 40px auto 24px; padding: 0 24px; color: var(--muted); font-size: 12px; }
`;

/**
 * Hover texts: each chart mark carries its text as aria-label (vega writes it from the mark's
 * description); this shows it beside the pointer. The page reads the same without it.
 */
export const HOVER_SCRIPT = `
(function () {
  var tip = document.getElementById('tip');
  document.addEventListener('mouseover', function (e) {
    var t = e.target && e.target.closest ? e.target.closest('[aria-label]') : null;
    if (!t || !t.parentElement || !t.parentElement.classList.contains('role-mark')) { tip.hidden = true; return; }
    tip.textContent = t.getAttribute('aria-label');
    tip.hidden = false;
  });
  document.addEventListener('mousemove', function (e) {
    tip.style.left = Math.min(e.clientX + 14, window.innerWidth - 440) + 'px';
    tip.style.top = (e.clientY + 14) + 'px';
  });
})();
`;
