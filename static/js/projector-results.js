/* Results on the projector, for the three ways of prioritising:
   dots  → ranked bars with counts; with two or more roles shown, a small bar per role;
   agree → agree / disagree / pass as a diverging bar, per statement and per role;
   rate  → the benefit–effort matrix: a 2×2 with numbered dots and a legend list.
   Planverksted.results.build(analysis) / .fromTally(tally, …) / .merge(model, tally, …) make a
   model; .render(refs, model, strings) draws it. Text goes in with textContent only; SVG is not
   needed: positions are set through element.style, which the CSP allows. */
(function () {
  "use strict";
  var P = window.Planverksted;
  if (!P) return;

  var QUADRANTS = ["quick_win", "big_project", "fill_in", "time_sink"];
  var BENEFIT_KEYS = ["gevinst", "benefit", "nytte", "viktighet", "verdi", "value", "impact"];
  var EFFORT_KEYS = ["innsats", "effort", "vanskelighet", "kostnad", "cost", "difficulty"];
  var HIGH_BENEFIT = 3;
  var LOW_EFFORT = 3;

  function fmt(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  function plural(S, key, n, extra) {
    var values = { n: n };
    Object.keys(extra || {}).forEach(function (name) { values[name] = extra[name]; });
    return fmt(n === 1 ? S[key + "_one"] : S[key + "_other"], values);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  /* Which criteria are benefit and effort (the same rule as workshop/analytics.py). */
  function axesOf(criteria) {
    criteria = criteria || [];
    var keys = criteria.map(function (c) { return String(c.key); });
    function find(axis, known) {
      var explicit = criteria.filter(function (c) { return c.axis === axis; })[0];
      if (explicit) return String(explicit.key);
      return keys.filter(function (k) { return known.indexOf(k.toLowerCase()) >= 0; })[0] || null;
    }
    var benefit = find("benefit", BENEFIT_KEYS);
    var effort = find("effort", EFFORT_KEYS);
    if (benefit === null && effort === null && keys.length === 2) return { benefit: keys[0], effort: keys[1] };
    return { benefit: benefit, effort: effort };
  }

  function quadrantOf(benefit, effort) {
    if (benefit === null || benefit === undefined || effort === null || effort === undefined) return null;
    if (benefit >= HIGH_BENEFIT) return effort < LOW_EFFORT ? "quick_win" : "big_project";
    return effort < LOW_EFFORT ? "fill_in" : "time_sink";
  }

  function blankRow(id, title) {
    return { id: id, title: title, dots: 0, agree: 0, disagree: 0, pass: 0, means: {}, counts: {},
             raters: 0, benefit: null, effort: null, quadrant: null, roles: {}, flags: [] };
  }

  /* ---- models ---------------------------------------------------------------------------- */

  function build(analysis) {
    var axes = analysis.matrix
      ? { benefit: analysis.matrix.benefit, effort: analysis.matrix.effort }
      : axesOf(analysis.criteria);
    var rows = (analysis.proposals || []).map(function (p) {
      var row = blankRow(p.id, p.title);
      ["dots", "agree", "disagree", "pass", "raters", "benefit", "effort", "quadrant"].forEach(function (name) {
        if (p[name] !== undefined) row[name] = p[name];
      });
      row.means = p.means || {};
      row.counts = p.counts || {};
      row.roles = p.roles || {};
      row.tables = p.tables || {};
      row.flags = p.flags || [];
      row.voters = p.voters || 0;
      row.level = p.change_level || null;
      return row;
    });
    var levelLabels = {};
    (analysis.change_levels || []).forEach(function (g) { levelLabels[g.change_level || ""] = g.label; });
    return {
      only: analysis.change_level ? rows.map(function (r) { return r.id; }) : null, // one level
      levelLabels: levelLabels,
      kind: analysis.kind || "dots",
      step: analysis.step ? analysis.step.position : null,
      voters: analysis.voters || 0,
      rows: rows,
      roles: analysis.roles_shown || [],
      roleVoters: analysis.role_voters || {},
      tables: analysis.tables_shown || [],
      tableVoters: analysis.table_voters || {},
      explanation: analysis.explanation || "",
      suppressed: analysis.suppressed_note || "",
      consensusNote: analysis.consensus_note || "",
      criteria: analysis.criteria || [],
      axes: axes,
      analysed: true
    };
  }

  function fromTally(tally, criteria, titleOf) {
    var model = {
      kind: tally.kind || "dots", step: tally.step, voters: 0, rows: [], roles: [], roleVoters: {},
      explanation: "", suppressed: "", consensusNote: "", criteria: criteria || [],
      axes: axesOf(criteria), analysed: false
    };
    return merge(model, tally, titleOf);
  }

  /* New counts from a tally; the role breakdown stays until the next analysis arrives. */
  function merge(model, tally, titleOf) {
    var byId = {};
    (tally.proposals || []).forEach(function (row) { byId[row.id] = row; });
    var known = {};
    model.rows.forEach(function (row) {
      known[row.id] = true;
      apply(model, row, byId[row.id]);
    });
    (tally.proposals || []).forEach(function (fresh) {
      if (known[fresh.id]) return;
      if (model.only) return; // a results step of one change level: the analysis decides
      var row = blankRow(fresh.id, titleOf(fresh.id));
      apply(model, row, fresh);
      model.rows.push(row);
    });
    model.voters = tally.voters || 0;
    return model;
  }

  function apply(model, row, fresh) {
    fresh = fresh || {};
    if (model.kind === "dots") {
      row.dots = fresh.dots || 0;
    } else if (model.kind === "agree") {
      row.agree = fresh.agree || 0;
      row.disagree = fresh.disagree || 0;
      row.pass = fresh.pass || 0;
    } else {
      row.means = fresh.means || {};
      row.counts = fresh.counts || {};
      row.raters = fresh.raters || 0;
      var benefit = model.axes.benefit ? row.means[model.axes.benefit] : undefined;
      var effort = model.axes.effort ? row.means[model.axes.effort] : undefined;
      row.benefit = benefit === undefined ? null : benefit;
      row.effort = effort === undefined ? null : effort;
      row.quadrant = quadrantOf(row.benefit, row.effort);
    }
  }

  /* ---- drawing --------------------------------------------------------------------------- */

  function flagsOf(row, S) {
    var holder = el("span", "result-flag");
    (row.flags || []).forEach(function (flag) {
      if (S[flag]) holder.appendChild(el("span", "flag flag-" + flag, S[flag]));
    });
    return holder;
  }

  /* The groups a row is broken down by: roles, or the tables on a results step with breakdown
     "table" (table mode). Either way a group below the small-group threshold is not shown. */
  function groupsOf(model) {
    return model.byTable
      ? { names: model.tables || [], voters: model.tableVoters || {}, of: "tables" }
      : { names: model.roles, voters: model.roleVoters, of: "roles" };
  }

  function rolesLine(refs, model, S) {
    var line = refs.roles;
    var groups = groupsOf(model);
    line.textContent = "";
    if (groups.names.length < 2) { line.hidden = true; return; }
    line.appendChild(el("strong", null, (model.byTable ? S.tables_shown : S.roles_shown) + " "));
    line.appendChild(document.createTextNode(groups.names.map(function (role) {
      return fmt(S.role_group, { role: role, n: groups.voters[role] || 0 });
    }).join(" · ")));
    line.hidden = false;
  }

  function diverging(bar, agree, disagree, pass, scale) {
    bar.classList.add("diverge");
    var half = 50 / Math.max(1, scale);
    function seg(name, left, width) {
      if (width <= 0) return;
      var node = el("span", "seg seg-" + name);
      node.style.left = left.toFixed(2) + "%";
      node.style.width = width.toFixed(2) + "%";
      bar.appendChild(node);
    }
    seg("disagree", 50 - (disagree + pass / 2) * half, disagree * half);
    seg("pass", 50 - (pass / 2) * half, pass * half);
    seg("agree", 50 + (pass / 2) * half, agree * half);
  }

  function roleCells(row, model, S) {
    var groups = groupsOf(model);
    if (groups.names.length < 2) return null;
    var list = el("ul", "result-roles");
    groups.names.forEach(function (role) {
      var data = (row[groups.of] || {})[role];
      if (!data) return;
      var item = el("li", "role");
      item.setAttribute("data-role", role);
      item.appendChild(el("span", "role-name", role));
      var bar = el("span", "role-bar");
      bar.setAttribute("aria-hidden", "true");
      var voters = data.voters || 0;
      if (model.kind === "agree") {
        item.appendChild(el("span", "role-count", fmt(S.stances, {
          agree: data.agree || 0, disagree: data.disagree || 0, pass: data.pass || 0 })));
        diverging(bar, data.agree || 0, data.disagree || 0, data.pass || 0, Math.max(1, voters));
        bar.classList.add("role-diverge");
      } else {
        var k = data.supporters || 0;
        item.appendChild(el("span", "role-count", fmt(S.role_support, { k: k, n: voters })));
        var fill = el("span", "role-fill");
        fill.style.width = (voters ? Math.max(1, (k / voters) * 100) : 0).toFixed(1) + "%";
        bar.appendChild(fill);
      }
      item.appendChild(bar);
      list.appendChild(item);
    });
    return list;
  }

  /* A results step with breakdown change_level: each row says who can make the change. */
  function levelCell(row, model) {
    if (!model.byLevel) return null;
    return el("span", "result-level", (model.levelLabels || {})[row.level || ""] || "");
  }

  function renderDots(list, model, S) {
    var rows = model.rows.filter(function (r) { return r.dots > 0; }).sort(function (a, b) {
      return b.dots - a.dots || (b.voters || 0) - (a.voters || 0) || a.id - b.id;
    });
    var top = rows.length ? rows[0].dots : 1;
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row, index) {
      var item = el("li");
      item.setAttribute("data-id", String(row.id));
      item.setAttribute("data-dots", String(row.dots));
      item.setAttribute("data-share", String(row.dots / top));
      item.setAttribute("data-flag", (row.flags || []).join(" "));
      item.appendChild(el("span", "result-rank", String(index + 1)));
      item.appendChild(el("span", "result-title", row.title));
      var flags = flagsOf(row, S);
      var level = levelCell(row, model);
      if (level) flags.appendChild(level); // in the flag cell: the grid keeps its areas
      item.appendChild(flags);
      item.appendChild(el("span", "result-count", plural(S, "dots", row.dots)));
      var bar = el("span", "result-bar");
      bar.setAttribute("aria-hidden", "true");
      var fill = el("span", "result-fill");
      fill.style.width = Math.max(0.5, (row.dots / top) * 100).toFixed(1) + "%";
      bar.appendChild(fill);
      item.appendChild(bar);
      var roles = roleCells(row, model, S);
      if (roles) item.appendChild(roles);
      fragment.appendChild(item);
    });
    list.textContent = "";
    list.appendChild(fragment);
    return rows.length;
  }

  function agreement(row) { return (row.agree + 1) / (row.agree + row.disagree + 2); }

  function renderAgree(list, model, S) {
    var rows = model.rows.filter(function (r) { return r.agree + r.disagree + r.pass > 0; }).sort(function (a, b) {
      return agreement(b) - agreement(a) || b.agree - a.agree || a.id - b.id;
    });
    var scale = 1;
    rows.forEach(function (r) { scale = Math.max(scale, r.disagree + r.pass / 2, r.agree + r.pass / 2); });
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row, index) {
      var item = el("li");
      item.setAttribute("data-id", String(row.id));
      item.setAttribute("data-agree", String(row.agree));
      item.setAttribute("data-disagree", String(row.disagree));
      item.setAttribute("data-pass", String(row.pass));
      item.setAttribute("data-flag", (row.flags || []).join(" "));
      item.appendChild(el("span", "result-rank", String(index + 1)));
      item.appendChild(el("span", "result-title", row.title));
      var flags = flagsOf(row, S);
      var level = levelCell(row, model);
      if (level) flags.appendChild(level); // in the flag cell: the grid keeps its areas
      item.appendChild(flags);
      item.appendChild(el("span", "result-count", fmt(S.stances, {
        agree: row.agree, disagree: row.disagree, pass: row.pass })));
      var bar = el("span", "result-bar");
      bar.setAttribute("aria-hidden", "true");
      diverging(bar, row.agree, row.disagree, row.pass, scale);
      item.appendChild(bar);
      var roles = roleCells(row, model, S);
      if (roles) item.appendChild(roles);
      fragment.appendChild(item);
    });
    list.textContent = "";
    list.appendChild(fragment);
    return rows.length;
  }

  /* ---- the benefit–effort matrix --------------------------------------------------------- */

  function criterion(model, key) {
    var found = (model.criteria || []).filter(function (c) { return String(c.key) === key; })[0];
    return found || { key: key, label: key };
  }

  function labelOf(c) { return String(c.label || c.key || ""); }

  function lower(text) { return text.toLocaleLowerCase(); }

  function position(benefit, effort) {
    var x = 6 + ((effort - 1) / 4) * 88;
    var y = 6 + ((5 - benefit) / 4) * 88;
    if (effort === LOW_EFFORT) x += 2; // on the line: into its own quadrant (high effort)
    if (benefit === HIGH_BENEFIT) y -= 2; // on the line: into its own quadrant (high benefit)
    return { x: x, y: y };
  }

  /* Move dots that would cover each other apart, inside their own quadrant. dx, dy: the size
     of a dot in percent of the plot's width and height. */
  function spread(points, dx, dy) {
    var placed = [];
    points.forEach(function (point) {
      var left = point.x < 50;
      var upper = point.y < 50;
      var mx = dx / 2 + 0.5;
      var my = dy / 2 + 0.5;
      var bounds = { x0: left ? mx : 50 + mx, x1: left ? 50 - mx : 100 - mx,
                     y0: upper ? my : 50 + my, y1: upper ? 50 - my : 100 - my };
      var x = Math.min(bounds.x1, Math.max(bounds.x0, point.x));
      var y = Math.min(bounds.y1, Math.max(bounds.y0, point.y));
      var startX = x;
      var startY = y;
      function clashes(cx, cy) {
        return placed.some(function (other) {
          var ex = (other.x - cx) / dx;
          var ey = (other.y - cy) / dy;
          return ex * ex + ey * ey < 1.1;
        });
      }
      for (var attempt = 1; attempt < 60 && clashes(x, y); attempt += 1) {
        var angle = attempt * 2.4;
        var radius = 0.35 * Math.sqrt(attempt) + 0.65;
        x = Math.min(bounds.x1, Math.max(bounds.x0, startX + Math.cos(angle) * radius * dx));
        y = Math.min(bounds.y1, Math.max(bounds.y0, startY + Math.sin(angle) * radius * dy));
      }
      point.x = x;
      point.y = y;
      placed.push(point);
    });
  }

  function renderMatrix(refs, model, S, number) {
    var benefitC = criterion(model, model.axes.benefit || "gevinst");
    var effortC = criterion(model, model.axes.effort || "innsats");
    var benefitName = labelOf(benefitC);
    var effortName = labelOf(effortC);
    var rated = model.rows.filter(function (r) { return r.quadrant; }).sort(function (a, b) {
      return QUADRANTS.indexOf(a.quadrant) - QUADRANTS.indexOf(b.quadrant) ||
        b.benefit - a.benefit || a.effort - b.effort || a.id - b.id;
    });

    var matrix = refs.matrix;
    matrix.textContent = "";
    var areas = { quick_win: ["qtl", "tl"], big_project: ["qtr", "tr"], fill_in: ["qbl", "bl"], time_sink: ["qbr", "br"] };
    QUADRANTS.forEach(function (key) {
      var label = el("div", "quad-label", S["quadrant_" + key]);
      label.setAttribute("data-quadrant", key);
      label.style.gridArea = areas[key][0];
      matrix.appendChild(label);
      var box = el("div", "quad");
      box.setAttribute("data-quadrant", key);
      box.style.gridArea = areas[key][1];
      matrix.appendChild(box);
    });
    var yAxis = el("div", "matrix-y");
    yAxis.appendChild(el("span", null, benefitC.low || S.axis_low));
    yAxis.appendChild(el("span", "axis-name", benefitName + " →"));
    yAxis.appendChild(el("span", null, benefitC.high || S.axis_high));
    matrix.appendChild(yAxis);
    var xAxis = el("div", "matrix-x");
    xAxis.appendChild(el("span", null, effortC.low || S.axis_low));
    xAxis.appendChild(el("span", "axis-name", effortName + " →"));
    xAxis.appendChild(el("span", null, effortC.high || S.axis_high));
    matrix.appendChild(xAxis);

    var layer = el("div", "matrix-points");
    var points = rated.map(function (row, index) {
      var at = position(row.benefit, row.effort);
      return { row: row, n: index + 1, x: at.x, y: at.y };
    });
    var dots = points.map(function (point) {
      var dot = el("span", "point", String(point.n));
      dot.setAttribute("data-id", String(point.row.id));
      dot.setAttribute("data-quadrant", point.row.quadrant);
      layer.appendChild(dot);
      return dot;
    });
    matrix.appendChild(layer);
    // How big a dot is next to the plot decides how far apart they must be.
    var size = dots.length ? dots[0].offsetWidth : 0;
    var dx = size && layer.clientWidth ? (size / layer.clientWidth) * 100 : 9;
    var dy = size && layer.clientHeight ? (size / layer.clientHeight) * 100 : 9;
    spread(points, dx, dy);
    points.forEach(function (point, index) {
      dots[index].style.left = point.x.toFixed(2) + "%";
      dots[index].style.top = point.y.toFixed(2) + "%";
    });
    matrix.setAttribute("aria-label", fmt(S.matrix_label, { benefit: benefitName, effort: effortName, n: rated.length }));

    var legend = refs.legend;
    var fragment = document.createDocumentFragment();
    points.forEach(function (point) {
      var row = point.row;
      var item = el("li");
      item.setAttribute("data-id", String(row.id));
      item.setAttribute("data-quadrant", row.quadrant);
      var badge = el("span", "point", String(point.n));
      badge.setAttribute("data-quadrant", row.quadrant);
      badge.setAttribute("aria-hidden", "true");
      item.appendChild(badge);
      item.appendChild(el("span", "legend-title", row.title));
      var meta = el("span", "legend-meta");
      meta.appendChild(el("strong", null, S["quadrant_" + row.quadrant]));
      meta.appendChild(document.createTextNode(" · " + fmt(S.rate_line, {
        benefit: benefitName, b: number(row.benefit), effort: effortName, e: number(row.effort), n: row.raters })));
      item.appendChild(meta);
      fragment.appendChild(item);
    });
    legend.textContent = "";
    legend.appendChild(fragment);

    var quick = rated.filter(function (r) { return r.quadrant === "quick_win"; }).length;
    var where = fmt(S.where, { b: S.high, benefit: lower(benefitName), e: S.low, effort: lower(effortName) });
    refs.summary.textContent = (quick ? plural(S, "quick_count", quick) : S.quick_none) + " (" + where + ")";
    var unrated = Math.max(0, (refs.visibleCount || 0) - rated.length);
    refs.unrated.hidden = unrated === 0;
    refs.unrated.textContent = unrated ? plural(S, "unrated", unrated) : "";
    return rated.length;
  }

  /* Draw a model; returns how many rows are shown. */
  function render(refs, model, S) {
    var kind = model.kind;
    var number = function (value) { return P.mean(value, S.lang); };
    refs.voters.textContent = plural(S, "voted_" + kind, model.voters);
    rolesLine(refs, model, S);
    refs.legendKey.hidden = kind !== "agree";
    refs.list.hidden = kind === "rate";
    refs.matrixLayout.hidden = kind !== "rate";
    var shown;
    if (kind === "rate") {
      refs.list.textContent = "";
      shown = renderMatrix(refs, model, S, number);
    } else {
      shown = kind === "agree" ? renderAgree(refs.list, model, S) : renderDots(refs.list, model, S);
    }
    refs.empty.textContent = S["empty_" + kind] || S.empty_dots;
    refs.empty.hidden = shown > 0;
    var roles = model.roles.length >= 2;
    refs.explanation.hidden = !(roles && model.explanation);
    refs.explanation.textContent = roles ? model.explanation : "";
    var note = roles ? model.suppressed : (model.roles.length === 1 ? model.consensusNote : "");
    refs.suppressed.hidden = !note;
    refs.suppressed.textContent = note || "";
    return shown;
  }

  P.results = { build: build, fromTally: fromTally, merge: merge, render: render, axesOf: axesOf, quadrantOf: quadrantOf };
})();
