// Tidebreak replay viewer: draws a battle from the JSON inlined in the page.
// No network access; everything it needs is in #tb-data.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("tb-data").textContent);
  var scene = data.scene, frames = data.frames, events = data.events;
  // Integer codes of the frames, from the arena's layout (scene.codes).
  var STATUS = scene.codes.status;
  var LAYER = scene.codes.layer;
  var SENSOR_DASH = { radar: [], visual: [2, 4], sonar: [8, 5] };
  var PROJ_COLOR = ["#212121", "#6a1b9a", "#00695c"];

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
  var shipMeta = {};
  scene.ships.forEach(function (s) { shipMeta[s.id] = s; });
  var tickIndex = {};
  frames.forEach(function (f, i) { tickIndex[f.tick] = i; });

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
    var m = shipMeta[s.id], sub = s.layer === 1, alive = s.status === 0;
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
      ctx.fillStyle = color; ctx.font = "11px sans-serif";
      var label = s.id + " " + Math.round(s.hp) + "/" + Math.round(m.max_hp);
      if (!alive) label += " (" + STATUS[s.status] + ")";
      if (s.trans) label += " → " + LAYER[s.trans.to] + " " + Math.round(100 * s.trans.p) + "%";
      else if (sub) label += " (sub)";
      ctx.fillText(label, x + 10, y - 8);
    }
  }
  function drawTracks(f) {
    var n = 0, observers = state.pov === null ? f.ships.map(function (s) { return s.id; }) : [state.pov];
    observers.forEach(function (obs) {
      (f.tracks[obs] || []).forEach(function (t) {
        var c = scene.quality_colors[Math.max(0, Math.min(3, t.q))], x = sx(t.x), y = sy(t.y);
        n++;
        if (!state.layers.tracks) return;
        ctx.strokeStyle = c; ctx.lineWidth = 1.5; ctx.globalAlpha = t.layer === 1 ? 0.6 : 1;
        ctx.beginPath(); ctx.moveTo(x - 5, y); ctx.lineTo(x + 5, y); ctx.moveTo(x, y - 5); ctx.lineTo(x, y + 5); ctx.stroke();
        if (t.err > 0) { ctx.setLineDash([2, 3]); ctx.beginPath(); ctx.arc(x, y, Math.max(3, sr(t.err)), 0, 2 * Math.PI); ctx.stroke(); ctx.setLineDash([]); }
        ctx.globalAlpha = 1;
        if (state.pov !== null && state.layers.labels) { ctx.fillStyle = c; ctx.font = "10px sans-serif"; ctx.fillText(t.target + " Q" + t.q, x + 6, y + 12); }
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
    var ships = visibleShips(f);
    ships.forEach(drawShip);
    state.drawnShips = ships.length;
    ctx.fillStyle = "#37474f"; ctx.font = "12px sans-serif";
    ctx.fillText("tick " + f.tick + (state.pov === null ? " · ground truth" : " · POV " + state.pov), 16, 26);
    scrub.value = String(state.index);
    tickLabel.textContent = "tick " + f.tick + " / " + frames[frames.length - 1].tick;
    updateTable(f);
    updateEvents(f.tick);
  }

  // --- side panels ----------------------------------------------------------
  function updateTable(f) {
    shipBody.innerHTML = "";
    f.ships.forEach(function (s) {
      if (state.pov !== null && s.id !== state.pov) return;
      var tr = document.createElement("tr");
      [s.id, Math.round(s.hp) + "/" + Math.round(shipMeta[s.id].max_hp), s.trans ? "→ " + LAYER[s.trans.to] : LAYER[s.layer], STATUS[s.status]]
        .forEach(function (v, i) { var td = document.createElement("td"); td.textContent = v; if (i === 0) td.style.color = shipMeta[s.id].color; tr.appendChild(td); });
      shipBody.appendChild(tr);
    });
  }
  var eventItems = [];
  // Events are the engine's (kind, source, target, trace, cause, value); an
  // event of tick t shows its outcome in the frame of tick t + 1.
  function eventText(e) {
    var who = e.source === null ? "environment" : e.source;
    if (e.target !== null && e.target !== e.source) who += " → " + e.target;
    var enumName = scene.codes.event_values[e.kind], detail = "";
    if (enumName) detail = " (" + e[enumName] + ")";
    else if (e.value) detail = " (" + (Math.round(e.value * 10) / 10) + ")";
    return "t" + e.tick + " " + e.kind + ": " + who + detail;
  }
  function buildEvents() {
    eventList.innerHTML = ""; eventItems = [];
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
  function legend() {
    var el = document.getElementById("tb-legend"), html = "";
    scene.teams.forEach(function (t) { html += '<span class="swatch" style="background:' + t.color + '"></span>' + t.id; });
    html += "<br>tracks:";
    scene.quality_colors.forEach(function (c, q) { html += '<span class="swatch" style="background:' + c + '"></span>Q' + q; });
    html += "<br>sensors: radar solid, visual dotted, sonar dashed · submerged: dashed outline";
    html += "<br>noise: " + (frames.some(function (f) { return !!f.noise; }) ? "field from frames" : "ambient " + scene.ambient_noise_db + " dB (no field recorded)");
    el.innerHTML = html;
  }

  // --- playback -------------------------------------------------------------
  function seek(tick) {
    var i = tickIndex[tick];
    if (i === undefined) {  // nearest frame at or before tick
      i = 0; for (var k = 0; k < frames.length; k++) { if (frames[k].tick <= tick) i = k; }
    }
    state.index = Math.max(0, Math.min(frames.length - 1, i));
    draw();
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
  }
  function setPov(id) {
    state.pov = id ? String(id) : null;
    if (state.pov !== null && !shipMeta[state.pov]) throw new Error("no ship " + id);
    povSel.value = state.pov || "";
    buildEvents(); draw();
  }

  // --- wiring ---------------------------------------------------------------
  document.getElementById("tb-title").textContent = scene.battle_id + " · seed " + scene.seed + " · " + frames.length + " frames";
  var w = scene.weather || {};
  document.getElementById("tb-weather").textContent = "sea state " + (w.sea_state || 0) + " · " + (w.precipitation || "none") +
    (w.fog ? " · fog" : "") + (w.visibility_km ? " · visibility " + w.visibility_km.toFixed(1) + " km" : "") + " · result: " + data.summary;
  scene.ships.forEach(function (s) { var o = document.createElement("option"); o.value = s.id; o.textContent = s.id + " (" + s.team + ")"; povSel.appendChild(o); });
  scrub.max = String(frames.length - 1);
  scrub.addEventListener("input", function () { state.index = Number(scrub.value); draw(); });
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
  legend(); buildEvents(); draw();

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
    setLayer: function (name, on) { var cb = document.querySelector('#tb-layers input[data-layer="' + name + '"]'); cb.checked = !!on; state.layers[name] = !!on; draw(); },
    ready: true
  };
})();
