// Tidebreak replay viewer: draws a battle from the JSON inlined in the page.
// No network access; everything it needs is in #tb-data.
// Every string in the data comes from a file: it reaches the page only as
// textContent, canvas text or a DOM property, never as markup.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("tb-data").textContent);
  var scene = data.scene, frames = data.frames, events = data.events;
  // Integer codes of the frames, from the arena's layout (scene.codes).
  var STATUS = scene.codes.status;
  var LAYER = scene.codes.layer;
  var SENSOR_DASH = { radar: [], visual: [2, 4], sonar: [8, 5] };
  var PROJ_COLOR = ["#212121", "#6a1b9a", "#00695c"];
  var PROJ_NAME = ["gun shell", "torpedo", "ASW weapon"];
  function own(o, k) { return o !== null && typeof o === "object" && Object.prototype.hasOwnProperty.call(o, k); }

  var canvas = document.getElementById("tb-canvas");
  var ctx = canvas.getContext("2d");
  var scrub = document.getElementById("tb-scrub");
  var playBtn = document.getElementById("tb-play");
  var speedSel = document.getElementById("tb-speed");
  var povSel = document.getElementById("tb-pov");
  var tickLabel = document.getElementById("tb-tick");
  var eventList = document.getElementById("tb-events");
  var pingBox = document.getElementById("tb-pings");
  var shipBody = document.querySelector("#tb-ships tbody");

  var state = { index: 0, playing: false, pov: null, layers: {}, drawnShips: 0, drawnTracks: 0, timer: null, last: 0, acc: 0 };
  // Maps, not objects: a ship may be called "__proto__" or "constructor".
  var shipMeta = new Map();
  scene.ships.forEach(function (s) { shipMeta.set(s.id, s); });
  var tickIndex = new Map();
  frames.forEach(function (f, i) { tickIndex.set(f.tick, i); });
  function tracksOf(f, id) { return own(f.tracks, id) && Array.isArray(f.tracks[id]) ? f.tracks[id] : []; }

  // --- coordinates -------------------------------------------------------
  var b = scene.bounds, pad = 12;
  var scale = Math.min((canvas.width - 2 * pad) / (b[2] - b[0]), (canvas.height - 2 * pad) / (b[3] - b[1]));
  function sx(x) { return pad + (x - b[0]) * scale; }
  function sy(y) { return canvas.height - pad - (y - b[1]) * scale; }
  function sr(r) { return r * scale; }

  function shapePath(sh) {
    ctx.beginPath();
    if (sh.kind === "circle") { ctx.arc(sx(sh.x), sy(sh.y), sr(sh.r), 0, 2 * Math.PI); }
    else { sh.points.forEach(function (p, i) { if (i === 0) ctx.moveTo(sx(p[0]), sy(p[1])); else ctx.lineTo(sx(p[0]), sy(p[1])); }); ctx.closePath(); }
  }
  function centre(sh) {
    if (sh.kind === "circle") return [sh.x, sh.y];
    var x = 0, y = 0; sh.points.forEach(function (p) { x += p[0]; y += p[1]; });
    return [x / sh.points.length, y / sh.points.length];
  }

  // --- static layers ------------------------------------------------------
  function drawZones() {
    var w = scene.weather || {};
    if (w.fog || w.precipitation === "rain" || w.precipitation === "storm") {
      ctx.fillStyle = w.precipitation === "storm" ? "rgba(69,90,100,0.18)" : "rgba(144,164,174,0.14)";
      ctx.fillRect(sx(b[0]), sy(b[3]), sr(b[2] - b[0]), sr(b[3] - b[1]));
    }
    scene.zones.forEach(function (z) {
      shapePath(z);
      ctx.globalAlpha = 0.12 + 0.2 * z.intensity; ctx.fillStyle = z.color; ctx.fill();
      ctx.globalAlpha = 1; ctx.setLineDash([6, 4]); ctx.strokeStyle = z.color; ctx.lineWidth = 1.5; ctx.stroke(); ctx.setLineDash([]);
      var c = centre(z); ctx.fillStyle = z.color; ctx.font = "11px sans-serif"; ctx.textAlign = "center";
      ctx.fillText(z.type.replace("_", " ") + " " + Math.round(z.intensity * 100) + "%", sx(c[0]), sy(c[1])); ctx.textAlign = "left";
    });
  }
  function drawObstacles() {
    scene.obstacles.forEach(function (o) {
      shapePath(o);
      var soft = o.material === "soft";
      ctx.fillStyle = soft ? "rgba(188,170,164,0.55)" : "#a1887f"; ctx.fill();
      ctx.strokeStyle = "#5d4037"; ctx.lineWidth = 1; ctx.setLineDash(soft ? [4, 3] : []); ctx.stroke(); ctx.setLineDash([]);
    });
  }
  function drawCurrents() {
    ctx.strokeStyle = "rgba(79,131,168,0.7)"; ctx.lineWidth = 1.2;
    scene.currents.arrows.forEach(function (a) {
      var m = Math.hypot(a[2], a[3]); if (m === 0) return;
      var len = Math.min(40, 14 + 20 * m), ux = a[2] / m, uy = -a[3] / m;
      var x = sx(a[0]), y = sy(a[1]), x2 = x + ux * len, y2 = y + uy * len;
      ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x2, y2);
      ctx.moveTo(x2, y2); ctx.lineTo(x2 - 6 * ux + 3 * uy, y2 - 6 * uy - 3 * ux);
      ctx.moveTo(x2, y2); ctx.lineTo(x2 - 6 * ux - 3 * uy, y2 - 6 * uy + 3 * ux); ctx.stroke();
    });
  }
  // Hook: a frame with a "noise" grid {origin, cell, values[row][col] in dB} is drawn as a heat map;
  // without one the ambient constant is shown in the legend.
  function drawNoise(f) {
    var g = f.noise; if (!g) return;
    var o = g.origin || [b[0], b[1]], cell = g.cell, lo = Infinity, hi = -Infinity;
    g.values.forEach(function (row) { row.forEach(function (v) { lo = Math.min(lo, v); hi = Math.max(hi, v); }); });
    g.values.forEach(function (row, j) {
      row.forEach(function (v, i) {
        var t = hi > lo ? (v - lo) / (hi - lo) : 0;
        ctx.fillStyle = "rgba(" + Math.round(120 + 135 * t) + ",40," + Math.round(160 - 120 * t) + "," + (0.08 + 0.25 * t) + ")";
        ctx.fillRect(sx(o[0] + i * cell), sy(o[1] + (j + 1) * cell), sr(cell) + 1, sr(cell) + 1);
      });
    });
  }

  // --- dynamic layers -----------------------------------------------------
  function visibleShips(f) {
    if (state.pov === null) return f.ships;
    return f.ships.filter(function (s) { return s.id === state.pov; });
  }
  function drawShip(s) {
    var m = shipMeta.get(s.id), sub = s.layer === 1, alive = s.status === 0;
    if (m === undefined) return;
    var color = alive ? m.color : "#757575", x = sx(s.x), y = sy(s.y);
    if (state.layers.sensors && alive) {
      m.sensors.forEach(function (sen) {
        ctx.beginPath(); ctx.arc(x, y, sr(sen.effective), 0, 2 * Math.PI);
        ctx.strokeStyle = color; ctx.globalAlpha = 0.35; ctx.lineWidth = 1; ctx.setLineDash(SENSOR_DASH[sen.type] || []); ctx.stroke();
        ctx.setLineDash([]); ctx.globalAlpha = 1;
      });
    }
    if (s.status === 2) {
      ctx.strokeStyle = "#424242"; ctx.lineWidth = 2.5; ctx.beginPath();
      ctx.moveTo(x - 6, y - 6); ctx.lineTo(x + 6, y + 6); ctx.moveTo(x + 6, y - 6); ctx.lineTo(x - 6, y + 6); ctx.stroke();
    } else {
      ctx.save(); ctx.translate(x, y); ctx.rotate(-s.h);
      ctx.beginPath(); ctx.moveTo(11, 0); ctx.lineTo(-7, 6); ctx.lineTo(-4, 0); ctx.lineTo(-7, -6); ctx.closePath();
      if (sub) { ctx.globalAlpha = 0.5; ctx.setLineDash([3, 2]); ctx.strokeStyle = color; ctx.lineWidth = 1.8; ctx.stroke(); }
      else { ctx.fillStyle = color; ctx.fill(); ctx.strokeStyle = "#0d1b2a"; ctx.lineWidth = 0.8; ctx.stroke(); }
      ctx.restore(); ctx.setLineDash([]); ctx.globalAlpha = 1;
    }
    if (s.trans) {  // transition: ring with a progress arc
      ctx.strokeStyle = "#ff9800"; ctx.lineWidth = 2;
      ctx.beginPath(); ctx.arc(x, y, 15, -Math.PI / 2, -Math.PI / 2 + 2 * Math.PI * s.trans.p); ctx.stroke();
    }
    if (state.layers.labels) {
      var label = s.id + " " + Math.round(s.hp) + "/" + Math.round(m.max_hp);
      if (!alive) label += " (" + STATUS[s.status] + ")";
      if (s.trans) label += " → " + LAYER[s.trans.to] + " " + Math.round(100 * s.trans.p) + "%";
      else if (sub) label += " (sub)";
      queueLabel(label, color, 11, x, y);
    }
  }

  // --- labels -------------------------------------------------------------
  // Labels are placed after everything is drawn, each where it covers no
  // other label and no ship: beside its anchor if it can, otherwise stacked
  // further out with a leader line. labels() reports what was drawn.
  var pending = [], placed = [];
  function queueLabel(text, color, size, x, y) { pending.push({ text: text, color: color, size: size, ax: x, ay: y }); }
  function overlaps(a, b) { return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h; }
  function placeLabels() {
    var CELL = 40, grid = new Map();
    function cells(r, fn) {
      for (var i = Math.floor(r.x / CELL); i <= Math.floor((r.x + r.w) / CELL); i++)
        for (var j = Math.floor(r.y / CELL); j <= Math.floor((r.y + r.h) / CELL); j++) fn(i + "," + j);
    }
    function add(r) { cells(r, function (k) { if (!grid.has(k)) grid.set(k, []); grid.get(k).push(r); }); }
    function free(r) {
      var ok = true;
      cells(r, function (k) { if (ok && grid.has(k)) ok = !grid.get(k).some(function (o) { return overlaps(r, o); }); });
      return ok;
    }
    pending.forEach(function (l) { add({ x: l.ax - 7, y: l.ay - 7, w: 14, h: 14 }); });  // the markers
    placed = [];
    ctx.textBaseline = "top";
    pending.forEach(function (l) {
      ctx.font = l.size + "px sans-serif";
      var w = Math.ceil(ctx.measureText(l.text).width) + 2, h = l.size + 3, box = null, far = false;
      var right = l.ax + 10, left = l.ax - 10 - w, above = l.ay - 6 - h, below = l.ay + 6;
      var tries = [[right, above], [right, below], [left, above], [left, below]];
      for (var k = 1; k <= 60; k++) {
        tries.push([right, above - k * h], [right, below + k * h], [left, above - k * h], [left, below + k * h]);
      }
      for (var t = 0; t < tries.length && box === null; t++) {
        var r = { x: Math.max(0, Math.min(canvas.width - w, tries[t][0])), y: Math.max(0, Math.min(canvas.height - h, tries[t][1])), w: w, h: h };
        if (free(r)) { box = r; far = t >= 4; }
      }
      if (box === null) box = { x: Math.max(0, Math.min(canvas.width - w, right)), y: Math.max(0, above), w: w, h: h };
      add(box);
      if (far) {
        ctx.strokeStyle = l.color; ctx.globalAlpha = 0.5; ctx.lineWidth = 0.8; ctx.beginPath(); ctx.moveTo(l.ax, l.ay);
        ctx.lineTo(box.x < l.ax ? box.x + box.w : box.x, box.y + box.h / 2); ctx.stroke(); ctx.globalAlpha = 1;
      }
      ctx.fillStyle = "rgba(255,255,255,0.7)"; ctx.fillRect(box.x, box.y, box.w, box.h);
      ctx.fillStyle = l.color; ctx.fillText(l.text, box.x + 1, box.y + 2);
      placed.push({ text: l.text, x: box.x, y: box.y, w: box.w, h: box.h });
    });
    ctx.textBaseline = "alphabetic";
    pending = [];
  }
  function drawTracks(f) {
    var n = 0, observers = state.pov === null ? f.ships.map(function (s) { return s.id; }) : [state.pov];
    observers.forEach(function (obs) {
      tracksOf(f, obs).forEach(function (t) {
        var c = scene.quality_colors[Math.max(0, Math.min(3, t.q))], x = sx(t.x), y = sy(t.y);
        n++;
        if (!state.layers.tracks) return;
        ctx.strokeStyle = c; ctx.lineWidth = 1.5; ctx.globalAlpha = t.layer === 1 ? 0.6 : 1;
        ctx.beginPath(); ctx.moveTo(x - 5, y); ctx.lineTo(x + 5, y); ctx.moveTo(x, y - 5); ctx.lineTo(x, y + 5); ctx.stroke();
        if (t.err > 0) { ctx.setLineDash([2, 3]); ctx.beginPath(); ctx.arc(x, y, Math.max(3, sr(t.err)), 0, 2 * Math.PI); ctx.stroke(); ctx.setLineDash([]); }
        ctx.globalAlpha = 1;
        if (state.pov !== null && state.layers.labels) queueLabel(t.target + " Q" + t.q, c, 10, x, y);
      });
    });
    return n;
  }
  function drawProjectiles(f) {
    f.projectiles.forEach(function (p) {
      if (state.pov !== null && p.owner !== state.pov) return;
      ctx.fillStyle = PROJ_COLOR[p.kind] || "#000";
      ctx.beginPath(); ctx.arc(sx(p.x), sy(p.y), p.kind === 1 ? 3.5 : 2, 0, 2 * Math.PI); ctx.fill();
    });
  }

  function draw() {
    var f = frames[state.index];
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = "#dbe9f4"; ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = "#546e7a"; ctx.lineWidth = 1; ctx.strokeRect(sx(b[0]), sy(b[3]), sr(b[2] - b[0]), sr(b[3] - b[1]));
    if (state.layers.noise) drawNoise(f);
    if (state.layers.zones) drawZones();
    if (state.layers.currents) drawCurrents();
    if (state.layers.obstacles) drawObstacles();
    state.drawnTracks = drawTracks(f);
    if (state.layers.projectiles) drawProjectiles(f);
    var ships = visibleShips(f).filter(function (s) { return shipMeta.has(s.id); });
    ships.forEach(drawShip);
    state.drawnShips = ships.length;
    placeLabels();
    ctx.fillStyle = "#37474f"; ctx.font = "12px sans-serif";
    ctx.fillText("tick " + f.tick + " · " + clock(f.tick) + (state.pov === null ? " · ground truth" : " · POV " + state.pov), 16, 26);
    drawScaleBar();
    scrub.value = String(state.index);
    tickLabel.textContent = "tick " + f.tick + " / " + frames[frames.length - 1].tick;
    updateTable(f);
    updateEvents(f.tick);
  }

  // Battle time of a tick (one tick is 1 s) as m:ss.
  function clock(tick) { var m = Math.floor(tick / 60), sec = tick % 60; return m + ":" + (sec < 10 ? "0" : "") + sec; }

  // A bar of a round length (1, 2 or 5 × 10^n m) about a sixth of the map wide.
  function drawScaleBar() {
    var want = (b[2] - b[0]) / 6, p = Math.pow(10, Math.floor(Math.log10(want))), len = p;
    [2, 5, 10].forEach(function (k) { if (k * p <= want) len = k * p; });
    var x = canvas.width - pad - 8 - sr(len), y = canvas.height - pad - 10;
    ctx.strokeStyle = "#37474f"; ctx.lineWidth = 2; ctx.beginPath();
    ctx.moveTo(x, y - 4); ctx.lineTo(x, y); ctx.lineTo(x + sr(len), y); ctx.lineTo(x + sr(len), y - 4); ctx.stroke();
    ctx.fillStyle = "#37474f"; ctx.font = "11px sans-serif"; ctx.textAlign = "center";
    ctx.fillText(len >= 1000 ? len / 1000 + " km" : len + " m", x + sr(len) / 2, y - 6); ctx.textAlign = "left";
  }

  // --- side panels ----------------------------------------------------------
  function updateTable(f) {
    shipBody.replaceChildren();
    f.ships.forEach(function (s) {
      if (state.pov !== null && s.id !== state.pov) return;
      var m = shipMeta.get(s.id); if (m === undefined) return;
      var tr = document.createElement("tr");
      [s.id, Math.round(s.hp) + "/" + Math.round(m.max_hp), s.trans ? "→ " + LAYER[s.trans.to] : LAYER[s.layer], STATUS[s.status]]
        .forEach(function (v, i) { var td = document.createElement("td"); td.textContent = v; if (i === 0) td.style.color = m.color; tr.appendChild(td); });
      shipBody.appendChild(tr);
    });
  }
  var eventItems = [];
  // Events are the engine's (kind, source, target, trace, cause, value), each
  // with its sentence ("text", written by tidebreak.engine.events.event_lines:
  // "t566 submarine's torpedo hits corvette (−30 hp)"); an event of tick t
  // shows its outcome in the frame of tick t + 1.
  function eventText(e) { return typeof e.text === "string" ? e.text : "t" + e.tick + " " + e.kind; }
  function buildEvents() {
    eventList.replaceChildren(); eventItems = [];
    events.forEach(function (e) {
      if (e.kind === "ping" && !pingBox.checked) return;
      if (state.pov !== null && e.source !== state.pov && e.target !== state.pov) return;
      var li = document.createElement("li");
      li.textContent = eventText(e); li.dataset.tick = String(e.tick + 1);
      li.addEventListener("click", function () { pause(); seek(e.tick + 1); });
      eventList.appendChild(li); eventItems.push(li);
    });
  }
  function updateEvents(tick) {
    var first = null;
    eventItems.forEach(function (li) {
      var t = Number(li.dataset.tick);
      li.className = t === tick ? "now" : (t < tick ? "past" : "");
      if (first === null && t >= tick) first = li;
    });
    if (first !== null) eventList.scrollTop = Math.max(0, first.offsetTop - eventList.offsetTop - 60);
  }
  // The legend, built from elements and text nodes (team ids are data).
  function legend() {
    var el = document.getElementById("tb-legend");
    function line(title) { var d = document.createElement("div"); if (title) d.appendChild(document.createTextNode(title)); el.appendChild(d); return d; }
    function swatch(d, color, text, round) {
      var sw = document.createElement("span"); sw.className = round ? "swatch dot" : "swatch"; sw.style.background = color;
      d.appendChild(sw); d.appendChild(document.createTextNode(text));
    }
    el.replaceChildren();
    var teams = line("");
    scene.teams.forEach(function (t) { swatch(teams, t.color, t.name && t.name !== t.id ? t.name + " (" + t.id + ")" : t.id); });
    var tracks = line("tracks:");
    scene.quality_colors.forEach(function (c, q) { swatch(tracks, c, "Q" + q); });
    var proj = line("projectiles:");
    PROJ_COLOR.forEach(function (c, k) { swatch(proj, c, PROJ_NAME[k], true); });
    line("ships: filled triangle, ✕ destroyed · submerged: dashed outline");
    line("sensors: radar solid, visual dotted, sonar dashed");
    line("noise: " + (frames.some(function (f) { return !!f.noise; }) ? "field from frames" : "ambient " + scene.ambient_noise_db + " dB (no field recorded)"));
  }

  // --- playback -------------------------------------------------------------
  function seek(tick) {
    var i = tickIndex.get(tick);
    if (i === undefined) {  // nearest frame at or before tick
      i = 0; for (var k = 0; k < frames.length; k++) { if (frames[k].tick <= tick) i = k; }
    }
    state.index = Math.max(0, Math.min(frames.length - 1, i));
    draw(); writeHash();
    return frames[state.index].tick;
  }
  function loop(ts) {
    if (!state.playing) return;
    var dt = state.last ? (ts - state.last) / 1000 : 0; state.last = ts;
    state.acc += dt * 10 * Number(speedSel.value);  // 1× = 10 ticks per second
    if (state.acc >= 1) {
      var n = Math.floor(state.acc); state.acc -= n;
      state.index = Math.min(frames.length - 1, state.index + n); draw();
      if (state.index === frames.length - 1) { pause(); return; }
    }
    state.timer = window.requestAnimationFrame(loop);
  }
  function play() {
    if (state.playing) return;
    if (state.index >= frames.length - 1) state.index = 0;
    state.playing = true; state.last = 0; state.acc = 0; playBtn.textContent = "❚❚";
    state.timer = window.requestAnimationFrame(loop);
  }
  function pause() {
    state.playing = false; playBtn.textContent = "▶";
    if (state.timer !== null) { window.cancelAnimationFrame(state.timer); state.timer = null; }
    writeHash();
  }
  function setPov(id) {
    var pov = id === null || id === undefined || id === "" ? null : String(id);
    if (pov !== null && !shipMeta.has(pov)) throw new Error("no ship " + JSON.stringify(pov));
    state.pov = pov;
    povSel.value = state.pov || "";
    buildEvents(); draw(); writeHash();
  }

  // --- the address: #tick=120&pov=corvette opens the page there -------------
  function hashText() {
    var q = new URLSearchParams();
    q.set("tick", String(frames[state.index].tick));
    if (state.pov !== null) q.set("pov", state.pov);
    return "#" + q.toString();
  }
  function writeHash() {
    if (state.playing || window.location.hash === hashText()) return;
    try { window.history.replaceState(null, "", hashText()); } catch (e) { /* some file: pages refuse; the view still works */ }
  }
  function applyHash() {
    var q = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var pov = q.get("pov"), tick = q.get("tick"), notes = [];
    if (pov !== null) {
      if (pov === "" || shipMeta.has(pov)) { state.pov = pov === "" ? null : pov; povSel.value = pov; buildEvents(); }
      else notes.push("no ship " + JSON.stringify(pov) + " in this battle");
    }
    if (tick !== null) {
      var t = Number(tick);
      if (Number.isFinite(t)) { pause(); seek(Math.round(t)); } else notes.push("tick " + JSON.stringify(tick) + " is not a number");
    }
    document.getElementById("tb-note").textContent = notes.length ? "address: " + notes.join("; ") : "";
    draw();
  }

  // --- wiring ---------------------------------------------------------------
  document.getElementById("tb-title").textContent = scene.battle_id + " · seed " + data.seed + " · " + frames.length + " frames";
  var w = scene.weather || {};
  document.getElementById("tb-weather").textContent = "sea state " + (w.sea_state || 0) + " · " + (w.precipitation || "none") +
    (w.fog ? " · fog" : "") + (w.visibility_km ? " · visibility " + w.visibility_km.toFixed(1) + " km" : "") + " · result: " + data.summary;
  scene.ships.forEach(function (s) { var o = document.createElement("option"); o.value = s.id; o.textContent = s.id + " (" + s.team + ")"; povSel.appendChild(o); });
  scrub.max = String(frames.length - 1);
  scrub.addEventListener("input", function () { state.index = Number(scrub.value); draw(); writeHash(); });
  playBtn.addEventListener("click", function () { if (state.playing) pause(); else play(); });
  povSel.addEventListener("change", function () { setPov(povSel.value || null); });
  pingBox.addEventListener("change", function () { buildEvents(); draw(); });
  document.querySelectorAll("#tb-layers input").forEach(function (cb) {
    state.layers[cb.dataset.layer] = cb.checked;
    cb.addEventListener("change", function () { state.layers[cb.dataset.layer] = cb.checked; draw(); });
  });
  document.addEventListener("keydown", function (e) {
    if (e.target && e.target.tagName === "INPUT" && e.target.type !== "checkbox") return;
    if (e.key === " ") { e.preventDefault(); if (state.playing) pause(); else play(); }
    else if (e.key === "ArrowRight") seek(frames[Math.min(frames.length - 1, state.index + 1)].tick);
    else if (e.key === "ArrowLeft") seek(frames[Math.max(0, state.index - 1)].tick);
  });
  window.addEventListener("hashchange", function () { if (window.location.hash !== hashText()) applyHash(); });
  legend(); buildEvents(); draw();
  if (window.location.hash.length > 1) applyHash();

  // Small API for scripts and tests.
  window.tidebreak = {
    seek: seek, play: play, pause: pause, setPov: setPov,
    tick: function () { return frames[state.index].tick; },
    ticks: function () { return frames.map(function (f) { return f.tick; }); },
    pov: function () { return state.pov; },
    playing: function () { return state.playing; },
    visibleShips: function () { return state.drawnShips; },
    visibleTracks: function () { return state.drawnTracks; },
    eventCount: function () { return eventItems.length; },
    labels: function () { return placed.map(function (l) { return { text: l.text, x: l.x, y: l.y, w: l.w, h: l.h }; }); },
    setLayer: function (name, on) {
      document.querySelectorAll("#tb-layers input").forEach(function (cb) { if (cb.dataset.layer === name) cb.checked = !!on; });
      state.layers[name] = !!on; draw();
    },
    ready: true
  };
})();
