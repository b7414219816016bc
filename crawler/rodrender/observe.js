// observe.js runs in storecheck's isolated world of every new document,
// before any page script. It buffers the web-vitals entries of the top
// document and exposes window.__storecheck to the renderer (only inside the
// isolated world: page scripts cannot see or change it).
(() => {
  if (window.__storecheck || window !== window.top) return;
  const now = () => performance.now();
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const st = {
    fcp: null,
    lcp: [], // LCP candidate times
    lcpSize: 0, // largest candidate's area
    el: [], // element-timing entries of <img>: {t, a}
    lastPaint: 0, // when the last LCP or element-timing entry arrived
    shifts: [], // [startTime, value] without recent input
    tasks: [], // [startTime, duration]
    cut: Infinity, // entries after this are ignored (scrolling started)
  };
  const observe = (type, fn) => {
    try {
      if (!PerformanceObserver.supportedEntryTypes.includes(type)) return false;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) fn(e);
      }).observe({ type, buffered: true });
      return true;
    } catch (e) {
      return false;
    }
  };
  observe('paint', (e) => {
    if (e.name === 'first-contentful-paint') st.fcp = e.startTime;
  });
  observe('largest-contentful-paint', (e) => {
    st.lcp.push(e.startTime);
    st.lcpSize = Math.max(st.lcpSize, e.size || 0);
    st.lastPaint = now();
  });
  // Chromium sometimes drops the LCP entry of a big late image; element
  // timing on every <img> is the cross-check.
  observe('element', (e) => {
    const r = e.intersectionRect;
    const t = e.renderTime || e.loadTime;
    if (t > 0) st.el.push({ t, a: r ? r.width * r.height : 0 });
    st.lastPaint = now();
  });
  const shiftsOK = observe('layout-shift', (e) => {
    if (!e.hadRecentInput && e.startTime <= st.cut) st.shifts.push([e.startTime, e.value]);
  });
  const tasksOK = observe('longtask', (e) => {
    if (e.startTime <= st.cut) st.tasks.push([e.startTime, e.duration]);
  });

  const mark = (img) => {
    if (!img.hasAttribute('elementtiming')) img.setAttribute('elementtiming', 'storecheck');
  };
  const scan = (n) => {
    if (n.nodeType !== 1) return;
    if (n.localName === 'img') mark(n);
    else if (n.firstElementChild) for (const i of n.getElementsByTagName('img')) mark(i);
  };
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) scan(n);
  }).observe(document, { childList: true, subtree: true });

  // A frame callback that still resolves when the page does not paint.
  const frame = () =>
    new Promise((resolve) => {
      let done = false;
      const fin = () => {
        if (!done) {
          done = true;
          resolve();
        }
      };
      requestAnimationFrame(() => setTimeout(fin, 20));
      setTimeout(fin, 150);
    });

  const api = {
    // waitPaint resolves once FCP and an LCP candidate exist and no new
    // candidate came for quietMs (at most capMs), then after settleMs more.
    async waitPaint(capMs, quietMs, settleMs) {
      const t0 = now();
      while (now() - t0 < capMs) {
        const lcp = st.lcp.length > 0 || st.el.length > 0;
        if (st.fcp !== null && lcp && now() - st.lastPaint >= quietMs) break;
        await sleep(30);
      }
      await sleep(settleMs);
      return true;
    },

    // metrics returns the vitals so far as JSON and freezes CLS and TBT:
    // shifts and long tasks after this call (scrolling) do not count.
    metrics() {
      st.cut = now();
      const nav = performance.getEntriesByType('navigation')[0];
      const pos = (x) => (x > 0 ? x : null);
      let lcp = st.lcp.length ? Math.max(...st.lcp) : null;
      let best = null;
      for (const e of st.el) if (!best || e.a > best.a) best = e;
      if (best && (lcp === null || best.a > st.lcpSize)) lcp = Math.max(lcp || 0, best.t);
      let cls = null;
      if (shiftsOK) {
        cls = 0;
        let win = 0;
        let first = -1;
        let last = -1;
        for (const [t, v] of st.shifts) {
          if (first < 0 || t - last > 1000 || t - first > 5000) {
            first = t;
            win = 0;
          }
          win += v;
          last = t;
          cls = Math.max(cls, win);
        }
      }
      let tbt = null;
      if (tasksOK && st.fcp !== null) {
        tbt = 0;
        for (const [s, d] of st.tasks) {
          // The blocking part of a task is what runs beyond its first 50 ms;
          // only its part after FCP counts.
          const end = s + d;
          const from = Math.max(s + 50, st.fcp);
          if (end > from) tbt += end - from;
        }
      }
      return JSON.stringify({
        ttfb: nav ? pos(nav.responseStart) : null,
        fcp: st.fcp,
        lcp,
        dcl: nav ? pos(nav.domContentLoadedEventEnd) : null,
        load: nav ? pos(nav.loadEventEnd) : null,
        cls,
        tbt,
      });
    },

    // scroll walks to the bottom in viewport-height steps (at most maxPx CSS
    // px and maxMs), so lazy content loads, then back to the top.
    async scroll(maxPx, maxMs) {
      const t0 = now();
      const se = document.scrollingElement || document.documentElement;
      const to = (y) => window.scrollTo({ top: y, left: 0, behavior: 'instant' });
      const step = Math.max(200, window.innerHeight);
      let y = 0;
      let steps = 0;
      for (;;) {
        const h = Math.min(se ? se.scrollHeight : 0, maxPx);
        if (y + window.innerHeight >= h || now() - t0 > maxMs) break;
        y = Math.min(y + step, h - window.innerHeight);
        to(y);
        steps++;
        await frame();
      }
      if (steps > 0) {
        await frame();
        to(0);
        await frame();
      }
      return steps;
    },
  };
  Object.defineProperty(window, '__storecheck', { value: api });
})();
