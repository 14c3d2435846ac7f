'use strict';
/*
 * A small line chart on a <canvas>: a few series of numbers over time, with a y axis that fits the data,
 * time labels and grid lines. Sharp on high-density screens; redraws when the canvas is resized.
 */
class LineChart {
  constructor(canvas, series, windowSeconds) {
    this.canvas = canvas;
    this.series = series; // [{ name, color }]
    this.windowMillis = windowSeconds * 1000;
    this.points = []; // [{ time, values: [..] }]
    new ResizeObserver(() => this.draw()).observe(canvas);
  }

  add(time, values) {
    this.points.push({ time, values });
    const oldest = time - this.windowMillis;
    while (this.points.length > 0 && this.points[0].time < oldest) {
      this.points.shift();
    }
    this.draw();
  }

  draw() {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight || 220;
    if (width === 0) {
      return;
    }
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const pad = { left: 48, right: 12, top: 10, bottom: 24 };
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    const now = this.points.length ? this.points[this.points.length - 1].time : Date.now();
    const start = now - this.windowMillis;
    let max = 0;
    for (const p of this.points) {
      for (const v of p.values) {
        max = Math.max(max, v);
      }
    }
    const top = niceCeiling(max);
    const x = t => pad.left + ((t - start) / this.windowMillis) * plotW;
    const y = v => pad.top + plotH - (v / top) * plotH;

    g.font = '11px system-ui, sans-serif';
    g.fillStyle = '#677489';
    g.strokeStyle = '#e3e8ef';
    g.lineWidth = 1;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    const steps = 4;
    for (let i = 0; i <= steps; i++) {
      const value = (top / steps) * i;
      const yy = Math.round(y(value)) + 0.5;
      g.beginPath();
      g.moveTo(pad.left, yy);
      g.lineTo(pad.left + plotW, yy);
      g.stroke();
      g.fillText(formatNumber(value), pad.left - 8, yy);
    }
    g.textAlign = 'center';
    g.textBaseline = 'top';
    for (let minutesAgo = 0; minutesAgo * 60000 <= this.windowMillis; minutesAgo++) {
      const t = now - minutesAgo * 60000;
      g.fillText(minutesAgo === 0 ? 'now' : `-${minutesAgo} min`, x(t), pad.top + plotH + 6);
    }
    this.series.forEach((s, index) => {
      g.strokeStyle = s.color;
      g.lineWidth = 2;
      g.lineJoin = 'round';
      g.beginPath();
      this.points.forEach((p, i) => {
        const px = x(p.time);
        const py = y(p.values[index]);
        if (i === 0) {
          g.moveTo(px, py);
        } else {
          g.lineTo(px, py);
        }
      });
      g.stroke();
    });
    if (this.points.length === 0) {
      g.fillStyle = '#677489';
      g.textAlign = 'center';
      g.fillText('waiting for data…', pad.left + plotW / 2, pad.top + plotH / 2);
    }
  }
}

/** A round number at or above v, for the top of the y axis (1, 2, 5 × a power of ten). */
function niceCeiling(v) {
  if (v <= 0) {
    return 1;
  }
  const power = Math.pow(10, Math.floor(Math.log10(v)));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= v) {
      return step * power;
    }
  }
  return 10 * power;
}

function formatNumber(v) {
  if (v >= 1e6) {
    return (v / 1e6).toFixed(v >= 1e7 ? 0 : 1) + 'M';
  }
  if (v >= 1e3) {
    return (v / 1e3).toFixed(v >= 1e4 ? 0 : 1) + 'k';
  }
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(v < 1 ? 2 : 1)));
}
