// collect.js captures the rendered page in one pass, in storecheck's isolated
// world, and returns it as a JSON string. It is an expression evaluating to a
// function of the caps: every list is capped here, so a monster page cannot
// exhaust memory on either side.
//
// The composed tree is walked: open shadow roots and same-origin iframe
// documents belong to the page. Their elements get selectors of the form
// "<host or iframe selector> >>> <path inside>". In the HTML, an open shadow
// root is serialised as its host's first child <template shadowrootmode="open">
// (declarative shadow DOM) and a same-origin iframe keeps its element,
// followed by <div data-storecheck-frame="URL"> holding the frame's <body>
// content, so an HTML parser sees the frame's text as ordinary DOM.
//
// It runs once the page is scrolled back to the top, and also returns the
// page's layout (crawler.Layout): the viewport, the elements that widen the
// document, the navigation candidates, the text cut off by its box and the
// boxes of limits.selectors (an array of CSS selectors; an invalid one
// matches nothing). Text boxes carry their nearest text-box ancestor as an
// index + 1 into the final list (visible boxes first, then hidden ones).
//
// It also returns the main document's web font families (crawler.WebFont)
// and the visible text drawn in each. That part waits, briefly, for font
// loads to settle, so the function returns a promise; everything else is
// captured before it waits.
async (limits) => {
  const MAX_NODES = 200000;
  const MAX_LINES = 12; // line boxes kept per text element
  const collapse = (s) => (s || '').replace(/\s+/g, ' ').trim();
  const cut = (s, n) => {
    const cps = Array.from(s);
    return cps.length > n ? cps.slice(0, n).join('') : s;
  };
  const excerpt = (s) => cut(collapse(s), 80);
  const round = (x) => Math.round(x * 100) / 100;
  const out = {
    title: document.title || '',
    html: '',
    htmlTruncated: false,
    links: [],
    images: [],
    texts: [],
    headings: [],
    truncated: [],
    docWidth: 0,
    docHeight: 0,
    signals: { buy: false, gallery: 0, jsonld: false, og: false, cards: [] },
    logoCandidates: [],
    view: null,
    layout: { viewportWidth: 0, viewportHeight: 0, scrollWidth: 0, overflowing: [], navs: [], clipped: [], selected: null },
  };
  const trunc = (name) => {
    if (!out.truncated.includes(name)) out.truncated.push(name);
  };

  // ---- selectors -------------------------------------------------------
  // "#id" when the id is unique in its tree, else a tag:nth-of-type(n) path
  // from the nearest ancestor with a unique id (or from html); no classes.
  const idCounts = new Map(); // tree root -> Map(id -> count)
  const uniqueId = (el) => {
    const id = el.id;
    if (!id) return false;
    const root = el.getRootNode();
    let m = idCounts.get(root);
    if (!m) {
      m = new Map();
      for (const e of root.querySelectorAll('[id]')) m.set(e.id, (m.get(e.id) || 0) + 1);
      idCounts.set(root, m);
    }
    return m.get(id) === 1;
  };
  const esc = (id) => (window.CSS && CSS.escape ? CSS.escape(id) : id);
  const prefixes = new Map(); // tree root -> selector prefix
  const selCache = new Map();
  const sel = (el) => {
    let s = selCache.get(el);
    if (s !== undefined) return s;
    const parts = [];
    let n = el;
    while (n) {
      if (uniqueId(n)) {
        parts.unshift('#' + esc(n.id));
        break;
      }
      const tag = n.localName;
      if (tag === 'html' && !n.parentElement) {
        parts.unshift('html');
        break;
      }
      let i = 1;
      for (let p = n.previousElementSibling; p; p = p.previousElementSibling) if (p.localName === tag) i++;
      parts.unshift(tag + ':nth-of-type(' + i + ')');
      n = n.parentElement;
    }
    s = (prefixes.get(el.getRootNode()) || '') + parts.join(' > ');
    selCache.set(el, s);
    return s;
  };

  // ---- geometry --------------------------------------------------------
  // Boxes are in CSS px of the top document; a frame's offset is added.
  const box = (r, off) => ({ x: round(r.left + off.x), y: round(r.top + off.y), w: round(r.width), h: round(r.height) });
  const visibleEl = (el, r, off) => {
    if (r.width <= 0 || r.height <= 0) return false;
    if (r.right + off.x <= 0 || r.bottom + off.y <= 0) return false;
    if (el.checkVisibility)
      return el.checkVisibility({ opacityProperty: true, visibilityProperty: true, checkOpacity: true, checkVisibilityCSS: true });
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.opacity !== '0';
  };

  const absURL = (href, base) => {
    try {
      const u = new URL(href, base);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') return '';
      u.hash = '';
      return u.href;
    } catch (e) {
      return '';
    }
  };
  const cssURLs = (v) => {
    const urls = [];
    const re = /url\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^)]*?))\s*\)/g;
    let m;
    while ((m = re.exec(v))) {
      const u = (m[1] || m[2] || m[3] || '').replace(/\\(.)/g, '$1');
      if (u) urls.push(u);
    }
    return urls;
  };

  // ---- walk the composed tree ------------------------------------------
  const skip = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'meta', 'link', 'base']);
  const buyRe = /立即购买|加入购物车|马上抢|立即抢购|buy now|add to cart/i;
  const galleryRe = /gallery|swiper|carousel|slider|slick|thumb|zoom|album|preview|product-?image|main-?image|pic/i;
  const priceRe = /[¥￥$€£]\s*\d|\d+(?:\.\d+)?\s*元/;
  const galleryImgs = new Set();
  const seenLinks = new Set();
  const cards = new Set();
  const visTexts = [];
  const hidTexts = [];
  let nodes = 0;

  const inGallery = (el) => {
    let n = el.parentElement;
    for (let i = 0; n && i < 6; i++, n = n.parentElement) {
      const cls = typeof n.className === 'string' ? n.className : '';
      if (galleryRe.test(cls) || galleryRe.test(n.id || '')) return true;
    }
    return false;
  };
  // A card is a link that wraps an image, or whose nearest container that
  // holds an image and a price links to nothing else.
  const isCard = (a, href) => {
    if (a.querySelector('img, picture')) return true;
    let n = a.parentElement;
    for (let i = 0; n && i < 3; i++, n = n.parentElement) {
      const t = n.textContent || '';
      if (t.length > 1000) return false;
      const targets = new Set();
      for (const o of n.querySelectorAll('a[href]')) targets.add(absURL(o.getAttribute('href'), o.baseURI));
      if (targets.size > 1 || !targets.has(href)) return false;
      if (n.querySelector('img') && priceRe.test(t)) return true;
    }
    return false;
  };

  // ---- logo candidates -------------------------------------------------
  // An <img>, a top-level inline <svg> or an element with a background
  // image is a candidate when it is "named" (its URL, alt, label, class or id,
  // or a near ancestor's class or id, says logo or brand) or sits in the
  // page's "header". Only the main document is searched: the ancestor tests
  // below stop at frame and shadow boundaries anyway.
  const logoRe = /logo|brand/i;
  const headerRe = /header|topbar|top-bar|navbar|masthead/i;
  const logoMin = 12; // CSS px, both sides: smaller is an icon or a spacer
  const logoMax = 480; // CSS px, longest side: larger is a banner
  const namedLogos = [];
  const headerLogos = [];
  let logoMatches = 0;
  const classOrId = (n, re) => re.test(n.getAttribute('class') || '') || re.test(n.id || '');
  // urlSays tests the path of an image URL only: the host is the same for
  // every image of brandname.com, and a long data: URL holds "logo" by chance.
  const urlSays = (u) => {
    try {
      const pu = new URL(u);
      return (pu.protocol === 'http:' || pu.protocol === 'https:') && logoRe.test(decodeURIComponent(pu.pathname));
    } catch (e) {
      return false;
    }
  };
  const logoNamed = (el, src, label) => {
    if ((src && urlSays(src)) || logoRe.test(label)) return true;
    let n = el;
    for (let i = 0; n && i <= 3; i++, n = n.parentElement) if (classOrId(n, logoRe)) return true;
    return false;
  };
  const inHeader = (el) => {
    for (let n = el.parentElement; n; n = n.parentElement) {
      if (n.localName === 'header' || n.getAttribute('role') === 'banner' || classOrId(n, headerRe)) return true;
    }
    return false;
  };
  // insetBox is r without the border (and the padding when content is set):
  // what an <img> or <svg> draws into, or a background's positioning area.
  const insetBox = (r, cs, content) => {
    const px = (name) => parseFloat(cs[name]) || 0;
    let l = px('borderLeftWidth');
    let t = px('borderTopWidth');
    let rt = px('borderRightWidth');
    let b = px('borderBottomWidth');
    if (content) {
      l += px('paddingLeft');
      t += px('paddingTop');
      rt += px('paddingRight');
      b += px('paddingBottom');
    }
    return { left: r.left + l, top: r.top + t, width: r.width - l - rt, height: r.height - t - b };
  };
  const logoCandidate = (el, tag, r, cs, off) => {
    let kind = '';
    let src = '';
    if (tag === 'img') {
      kind = 'img';
      src = el.currentSrc || (el.getAttribute('src') !== null ? el.src : '');
    } else if (tag === 'svg') {
      if (el.ownerSVGElement) return; // part of a bigger drawing
      kind = 'svg';
    } else if (cs.backgroundImage && cs.backgroundImage.includes('url(')) {
      const raw = cssURLs(cs.backgroundImage)[0];
      if (!raw) return;
      try {
        src = new URL(raw, el.baseURI).href;
        kind = 'background';
      } catch (e) {
        return;
      }
    }
    if (!kind) return;
    const b = box(insetBox(r, cs, kind !== 'background'), off);
    if (b.w < logoMin || b.h < logoMin || Math.max(b.w, b.h) > logoMax) return;
    const label = el.getAttribute('aria-label') || '';
    const alt = kind === 'img' ? el.getAttribute('alt') || '' : label;
    let why = '';
    if (logoNamed(el, src, alt + ' ' + label)) why = 'named';
    else if (b.y < 160 || inHeader(el)) why = 'header';
    else return;
    logoMatches++;
    const list = why === 'named' ? namedLogos : headerLogos;
    if (list.length >= limits.logoCandidates) return;
    list.push({
      selector: sel(el),
      kind,
      src,
      alt,
      box: b,
      why,
      naturalWidth: kind === 'img' ? el.naturalWidth : 0,
      naturalHeight: kind === 'img' ? el.naturalHeight : 0,
    });
  };

  const pushImage = (img) => {
    if (out.images.length >= limits.images) {
      trunc('images');
      return false;
    }
    out.images.push(img);
    return true;
  };

  // Text facts for the HTML: whether an element's own text is shown and
  // struck through, and its font size, written as data-sc-* attributes by
  // the serialiser (the page's DOM is never changed). A line-through
  // decoration is drawn over every descendant's text, so it is inherited
  // here though the computed property is not.
  const struck = new Set();
  const textFacts = new Map(); // element -> {hidden, struck, fs}
  const parentOf = (el) => el.parentElement || (el.getRootNode() && el.getRootNode().host) || null;

  // ---- layout ----------------------------------------------------------
  // Facts inherited down the tree are kept in sets filled as the walk goes:
  // it visits a parent before its children, so one lookup of the parent
  // answers "has an ancestor that …".
  const se = document.scrollingElement || document.documentElement;
  // The viewport is innerWidth × innerHeight, except on a mobile page wider
  // than the device: Chromium then reports innerWidth (and innerHeight, in
  // proportion) as the content's width, at visualViewport.scale 1. The
  // device's size is the initial containing block's, the root's client
  // size; it differs from innerWidth otherwise only by a classic scrollbar.
  const rootEl = document.documentElement;
  const grown = !!rootEl && window.innerWidth > rootEl.clientWidth + 24;
  const iw = grown ? rootEl.clientWidth : window.innerWidth;
  const ih = grown ? rootEl.clientHeight : window.innerHeight;
  const docW = Math.max(se ? se.scrollWidth : 0, document.body ? document.body.scrollWidth : 0);
  // Overflowing elements are looked for only when the document is wider
  // than the viewport: otherwise nothing can be.
  const wantOverflow = docW > iw + 1;
  const posOf = new Map(); // element -> computed position, when not static
  const pinned = new Set(); // it or an ancestor is position fixed or sticky
  const fixedIn = new Set(); // it or an ancestor is position fixed
  const clipRect = new Map(); // element -> {l, t, r, b}: where its content may be drawn
  const frameClip = new Map(); // a frame's document -> its viewport {l, t, r, b}, in its coordinates
  const clippers = new Set(); // overflow-x not visible and right edge inside the viewport
  const clippedIn = new Set(); // an ancestor is a clipper
  const overflowing = [];
  const mediaTags = new Set(['img', 'video', 'canvas', 'picture', 'svg']);
  const clipsOverflow = (v) => v === 'hidden' || v === 'clip';
  const alpha0 = (c) => c === 'transparent' || /^rgba\(.*,\s*0(\.0*)?\)$/.test(c) || /\/\s*0(\.0*)?\)$/.test(c);
  const clipText = (c) => c.backgroundClip === 'text' || c.webkitBackgroundClip === 'text';
  const classOf = (n) => (n && n.getAttribute ? n.getAttribute('class') || '' : '');
  const isAncestor = (a, el) => {
    for (let n = parentOf(el); n; n = parentOf(n)) if (n === a) return true;
    return false;
  };
  // layered: el (or an ancestor up to 4 levels) is absolutely or fixed
  // positioned and the centre of its text (tb, client px of its document)
  // hits media that is not one of its ancestors. Text outside the viewport
  // is not tested: that would need scrolling.
  const layered = (el, tb) => {
    let positioned = false;
    for (let n = el, i = 0; n && i <= 4; n = parentOf(n), i++) {
      const p = posOf.get(n);
      if (p === 'absolute' || p === 'fixed') {
        positioned = true;
        break;
      }
    }
    if (!positioned) return false;
    const view = el.ownerDocument.defaultView;
    const cx = (tb.l + tb.r) / 2;
    const cy = (tb.t + tb.b) / 2;
    if (!view || cx < 0 || cy < 0 || cx >= view.innerWidth || cy >= view.innerHeight) return false;
    const root = el.getRootNode();
    const hits = root.elementsFromPoint ? root.elementsFromPoint(cx, cy) : [];
    for (const h of hits) {
      if (h === el || el.contains(h) || isAncestor(h, el)) continue;
      if (mediaTags.has(h.localName) || 'ownerSVGElement' in h) return true; // any part of a drawing
      const bg = getComputedStyle(h).backgroundImage;
      if (bg && bg !== 'none') return true;
    }
    return false;
  };

  // Navigation candidates: nav and [role=navigation] (kind "nav"), and
  // ul / ol / div with at least 2 links whose class or id names a menu
  // ("named-list") or that sit in the header ("header-list"). Nothing
  // inside a listed nav is listed again, nor a list inside a listed one
  // holding the same links (a wrapper and its list are one menu).
  const navRe = /menu|nav|category|categories|cate|tab-bar|tabbar/i;
  const MAX_NAVS = 20;
  const MAX_NAV_LINKS = 200;
  const headerOrIn = new Set(); // a header (by tag, role or name) or inside one
  const navNear = new Map(); // element -> nearest listed candidate, it or an ancestor
  const isHeader = (n) => n.localName === 'header' || n.getAttribute('role') === 'banner' || classOrId(n, headerRe);
  const topItems = (el) => {
    const list = el.localName === 'ul' || el.localName === 'ol' ? el : el.querySelector('ul, ol');
    let n = 0;
    if (list) {
      for (let c = list.firstElementChild; c; c = c.nextElementSibling) if (c.localName === 'li') n++;
      return n;
    }
    const isLink = (c) => c.localName === 'a' && c.hasAttribute('href');
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
      if (isLink(c)) n++;
      else for (let g = c.firstElementChild; g; g = g.nextElementSibling) if (isLink(g)) n++;
    }
    return n;
  };
  // A link leads nowhere when its href is empty, "#" or "#!" alone (it
  // resolves to the page itself), or a javascript: URL. A named fragment
  // (#faq) is an in-page anchor, not dead.
  const deadHref = (h) => h === '' || h === '#' || h === '#!' || /^javascript:/i.test(h);
  const navCandidate = (el, tag, par, r, vis, off) => {
    const near = par ? navNear.get(par) : undefined;
    let kind = '';
    if (tag === 'nav' || el.getAttribute('role') === 'navigation') kind = 'nav';
    else if (tag === 'ul' || tag === 'ol' || tag === 'div') {
      if (classOrId(el, navRe)) kind = 'named-list';
      else if (par && headerOrIn.has(par)) kind = 'header-list';
    }
    let listed = null;
    if (kind && !(near && near.kind === 'nav')) {
      const anchors = el.querySelectorAll('a[href]');
      if ((kind === 'nav' || anchors.length >= 2) && !(near && near.count === anchors.length)) {
        if (out.layout.navs.length < MAX_NAVS) {
          const links = [];
          let dead = 0;
          const deadHrefs = [];
          for (const a of anchors) {
            const raw = (a.getAttribute('href') || '').trim();
            if (deadHref(raw)) {
              dead++;
              if (deadHrefs.length < 5 && !deadHrefs.includes(raw)) deadHrefs.push(raw);
              continue;
            }
            if (links.length >= MAX_NAV_LINKS) continue;
            const u = absURL(raw, a.baseURI);
            if (u) links.push(u);
          }
          listed = { selector: sel(el), kind, links, dead, deadHrefs, topItems: topItems(el), visible: vis, box: box(r, off) };
          out.layout.navs.push(listed);
          navNear.set(el, { kind, count: anchors.length });
        } else trunc('navs');
      }
    }
    if (!listed && near) navNear.set(el, near);
  };

  // Clipped text: el's own text cut off by el's box or its parent's (a
  // span in a fixed-height overflow: hidden box), on an axis that clips.
  const MAX_CLIPPED = 200;
  const clippedSeen = new Set();
  const cuts = (n, c) =>
    (clipsOverflow(c.overflowX) && n.scrollWidth > n.clientWidth + 1) || (clipsOverflow(c.overflowY) && n.scrollHeight > n.clientHeight + 1);
  const clamps = (c) => !!c && !!c.webkitLineClamp && c.webkitLineClamp !== 'none';
  // concealed says why text cut by `at` is hidden there on purpose rather
  // than cut off: the classic image replacement (text-indent: -9999px or
  // 100% on a logo <h1>, padding pushing the text below a fixed height), a
  // visually-hidden / sr-only box (1 px, clip: rect(0 0 0 0), clip-path:
  // inset(50%)), font-size 0 or transparent text. tb is the text's own
  // rectangle (client px); "" when none of these holds.
  const tinyPx = 2; // a box this thin on an axis shows nothing readable
  const clipNothing = (c) => {
    const m = /^rect\(([^)]*)\)$/.exec(c.clip || '');
    if (m) {
      const v = m[1].split(/[\s,]+/).map((x) => parseFloat(x));
      if (v.length === 4 && v.every((x) => !isNaN(x)) && (v[1] - v[3] <= tinyPx || v[2] - v[0] <= tinyPx)) return true;
    }
    const ins = /^inset\(\s*(\d+(?:\.\d+)?)%/.exec(c.clipPath || '');
    return !!ins && parseFloat(ins[1]) >= 50;
  };
  const concealed = (cs, at, acs, tb) => {
    if ((parseFloat(cs.fontSize) || 0) === 0) return 'zero-font';
    if (alpha0(cs.webkitTextFillColor || cs.color) && !clipText(cs)) return 'transparent';
    if (clipNothing(cs) || clipNothing(acs)) return 'clip';
    if (at.clientWidth <= tinyPx || at.clientHeight <= tinyPx) return 'tiny-box';
    // Outside: less than half a glyph of the text lies inside the box on
    // an axis (a glyph's rectangle is taller than a tight line box, so an
    // exact edge test misses text pushed just below a fixed height).
    const ar = at.getBoundingClientRect();
    const half = (parseFloat(cs.fontSize) || 0) / 2;
    if (tb && (Math.min(tb.r, ar.right) - Math.max(tb.l, ar.left) < half || Math.min(tb.b, ar.bottom) - Math.max(tb.t, ar.top) < half))
      return 'outside-box';
    return '';
  };
  const clippedText = (el, cs, par, own, off, tb) => {
    let at = null;
    let acs = null;
    if (cuts(el, cs)) {
      at = el;
      acs = cs;
    } else if (par && par.nodeType === 1) {
      const pcs = getComputedStyle(par);
      if (cuts(par, pcs)) {
        at = par;
        acs = pcs;
      }
    }
    if (!at || clippedSeen.has(at)) return;
    clippedSeen.add(at);
    if (out.layout.clipped.length >= MAX_CLIPPED) {
      trunc('clipped');
      return;
    }
    const ap = parentOf(at);
    const apcs = ap && ap.nodeType === 1 ? getComputedStyle(ap) : null;
    out.layout.clipped.push({
      selector: sel(at),
      text: cut(own, 80),
      hint: collapse(classOf(at) + ' ' + (at.id || '') + ' ' + classOf(ap) + ' ' + ((ap && ap.id) || '')),
      box: box(at.getBoundingClientRect(), off),
      scrollW: at.scrollWidth,
      clientW: at.clientWidth,
      scrollH: at.scrollHeight,
      clientH: at.clientHeight,
      ellipsis: acs.textOverflow === 'ellipsis' || cs.textOverflow === 'ellipsis' || clamps(acs) || clamps(cs) || clamps(apcs),
      concealed: concealed(cs, at, acs, tb),
    });
  };

  // ---- web fonts -------------------------------------------------------
  // The families document.fonts holds (CSS @font-face rules and faces added
  // by script), the src URLs of their rules, and, per family, the visible
  // elements whose computed font-family names it first.
  const MAX_FONTS = 50;
  const MAX_FONT_SRCS = 10;
  const MAX_FONT_CHECKS = 1000; // elements per family tested for fallback
  const puaRe = /[\uE000-\uF8FF]/;
  const unquote = (s) => {
    const t = (s || '').trim();
    const m = /^(["'])((?:\\.|(?!\1).)*)\1$/.exec(t);
    return m ? m[2].replace(/\\(.)/g, '$1') : t;
  };
  const famKey = (f) => collapse(unquote(f)).toLowerCase();
  const firstFamily = (list) => {
    const m = /^\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^,]*)/.exec(list || '');
    return m ? famKey(m[1]) : '';
  };
  const fontFams = new Map(); // famKey -> {family, faces, srcs, uses, elements, pua}
  let fontsSeen = 0;
  try {
    if (document.fonts)
      document.fonts.forEach((ff) => {
        const k = famKey(ff.family);
        if (!k) return;
        let f = fontFams.get(k);
        if (!f) {
          if (fontFams.size >= MAX_FONTS) {
            fontsSeen++;
            return;
          }
          f = { family: unquote(ff.family), faces: [], srcs: [], uses: [], elements: 0, pua: 0 };
          fontFams.set(k, f);
        }
        f.faces.push(ff);
      });
  } catch (e) {}
  if (fontsSeen) trunc('fonts');
  // Src URLs come from the rules: a FontFace does not tell its URL. A
  // cross-origin stylesheet's rules cannot be read.
  const fontSrcs = (rules, base, depth) => {
    if (!rules || depth > 4) return;
    for (const r of rules) {
      if (r.type === 5) {
        const f = fontFams.get(famKey(r.style.getPropertyValue('font-family')));
        if (!f) continue;
        for (const raw of cssURLs(r.style.getPropertyValue('src'))) {
          const u = absURL(raw, base);
          if (u && !f.srcs.includes(u) && f.srcs.length < MAX_FONT_SRCS) f.srcs.push(u);
        }
      } else if (r.type === 3 && r.styleSheet) {
        let sub = null;
        try {
          sub = r.styleSheet.cssRules;
        } catch (e) {}
        fontSrcs(sub, r.styleSheet.href || base, depth + 1);
      } else if (r.cssRules) fontSrcs(r.cssRules, base, depth + 1);
    }
  };
  if (fontFams.size)
    for (const sh of document.styleSheets) {
      let rules = null;
      try {
        rules = sh.cssRules;
      } catch (e) {}
      fontSrcs(rules, sh.href || document.baseURI, 0);
    }
  // fontUse records el when its visible text is drawn in a web font: its
  // own text, or, for an empty element (an icon), the string its ::before
  // or ::after draws.
  const fontUse = (el, cs, own, shown, vis) => {
    let text = own;
    let fcs = cs;
    if (own) {
      if (!shown) return;
    } else {
      if (!vis || el.firstElementChild) return;
      for (const ps of ['::before', '::after']) {
        const pcs = getComputedStyle(el, ps);
        const c = pcs.content || '';
        if (c[0] !== '"' && c[0] !== "'") continue;
        const t = collapse(unquote(c));
        if (t) {
          text = t;
          fcs = pcs;
          break;
        }
      }
      if (!text) return;
    }
    const f = fontFams.get(firstFamily(fcs.fontFamily));
    if (!f) return;
    const pua = puaRe.test(text);
    f.elements++;
    if (pua) f.pua++;
    if (f.uses.length < MAX_FONT_CHECKS) {
      const fam = '"' + f.family.replace(/["\\]/g, '\\$&') + '"';
      f.uses.push({ el, font: fcs.fontStyle + ' ' + fcs.fontWeight + ' 16px ' + fam, text: cut(text, 200), pua });
    }
  };

  const textEl = new Map(); // text box entry -> element
  const textOf = new Map(); // element -> text box entry

  const visitEl = (el, off) => {
    const tag = el.localName;
    const r = el.getBoundingClientRect();
    const vis = visibleEl(el, r, off);
    const cs = getComputedStyle(el);
    const par = parentOf(el);
    if ((cs.textDecorationLine || '').includes('line-through') || tag === 'del' || tag === 's' || tag === 'strike' || struck.has(par))
      struck.add(el);
    const pos = cs.position;
    if (pos !== 'static') posOf.set(el, pos);
    if (pos === 'fixed' || pos === 'sticky' || pinned.has(par)) pinned.add(el);
    if (pos === 'fixed' || fixedIn.has(par)) fixedIn.add(el);
    // The clip rectangle (viewport coordinates) the element's content is
    // drawn within: its ancestors' boxes on the axes they do not let
    // overflow. Text boxes are cut to it, so a cut-off title does not
    // "cover" its neighbour.
    // A frame's document starts clipped to the frame's viewport: what
    // overflows a 120 px iframe is not drawn (its coordinates are the
    // frame's own).
    let cr = par ? clipRect.get(par) : frameClip.get(el.ownerDocument);
    if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') {
      const c = cr ? { l: cr.l, t: cr.t, r: cr.r, b: cr.b } : { l: -Infinity, t: -Infinity, r: Infinity, b: Infinity };
      if (cs.overflowX !== 'visible') {
        c.l = Math.max(c.l, r.left);
        c.r = Math.min(c.r, r.right);
      }
      if (cs.overflowY !== 'visible') {
        c.t = Math.max(c.t, r.top);
        c.b = Math.min(c.b, r.bottom);
      }
      cr = c;
    }
    if (cr) clipRect.set(el, cr);
    if (wantOverflow) {
      if (par && (clippedIn.has(par) || clippers.has(par))) clippedIn.add(el);
      const right = r.right + off.x;
      if (cs.overflowX !== 'visible' && right <= iw + 1) clippers.add(el);
      // A fixed drawer parked right of the viewport does not widen the page.
      if (vis && right > iw + 1 && !clippedIn.has(el) && !(fixedIn.has(el) && r.left + off.x >= iw - 0.5))
        overflowing.push({ el, right, box: box(r, off) });
    }
    if (isHeader(el) || headerOrIn.has(par)) headerOrIn.add(el);
    navCandidate(el, tag, par, r, vis, off);

    if (tag === 'a' || tag === 'area') {
      const raw = el.getAttribute('href');
      if (raw !== null) {
        const u = absURL(raw, el.baseURI);
        if (u) {
          let text = excerpt(el.textContent);
          if (!text) {
            const img = el.querySelector('img[alt]');
            text = excerpt(el.getAttribute('aria-label') || el.getAttribute('title') || (img ? img.getAttribute('alt') : ''));
          }
          if (out.links.length < limits.links) out.links.push({ url: u, text, rel: el.getAttribute('rel') || '' });
          else trunc('links');
          if (!seenLinks.has(u)) {
            seenLinks.add(u);
            if (cards.size < limits.links && isCard(el, u)) cards.add(u);
          }
        }
      }
    }
    if (tag === 'h1') out.headings.push(cut(collapse(el.textContent), 300));
    if (!out.signals.buy && (tag === 'button' || tag === 'a' || tag === 'input' || el.getAttribute('role') === 'button')) {
      const t = tag === 'input' ? el.value || '' : el.textContent || el.getAttribute('aria-label') || '';
      if (t.length < 200 && buyRe.test(t)) out.signals.buy = true;
    }

    if (tag === 'img') {
      const src = el.getAttribute('src') !== null ? el.src : '';
      const cur = el.currentSrc || src;
      const gallery = !!(vis && cur && (inGallery(el) || (r.width >= 250 && r.height >= 250)));
      if (gallery) galleryImgs.add(cur);
      pushImage({
        src,
        currentSrc: cur,
        selector: sel(el),
        alt: el.getAttribute('alt') || '',
        hasAlt: el.hasAttribute('alt'),
        background: false,
        naturalWidth: el.naturalWidth,
        naturalHeight: el.naturalHeight,
        box: box(r, off),
        objectFit: cs.objectFit,
        backgroundSize: '',
        visible: vis,
        complete: el.complete,
        gallery,
      });
    }
    if (vis && cs.backgroundImage && cs.backgroundImage !== 'none' && cs.backgroundImage.includes('url(')) {
      for (const raw of cssURLs(cs.backgroundImage)) {
        let u = '';
        try {
          u = new URL(raw, el.baseURI).href;
        } catch (e) {
          continue;
        }
        pushImage({
          src: u,
          currentSrc: u,
          selector: sel(el),
          alt: el.getAttribute('aria-label') || '',
          hasAlt: el.hasAttribute('aria-label') || el.getAttribute('role') === 'img',
          background: true,
          naturalWidth: 0,
          naturalHeight: 0,
          box: box(r, off),
          objectFit: '',
          backgroundSize: cs.backgroundSize,
          visible: vis,
          complete: true,
          gallery: false,
        });
      }
    }
    if (vis && limits.logoCandidates > 0 && el.getRootNode() === document) logoCandidate(el, tag, r, cs, off);

    // A text box is an element with its own (direct) text.
    let own = '';
    let tb = null;
    // The lines of the text, cut to the clip rectangle: a wrapped title is
    // two line boxes, not the rectangle around both.
    const lines = [];
    const clip = clipRect.get(el);
    for (let c = el.firstChild; c; c = c.nextSibling) {
      if (c.nodeType !== 3 || !/\S/.test(c.data)) continue;
      own += ' ' + c.data;
      const range = document.createRange();
      range.selectNodeContents(c);
      const rr = range.getBoundingClientRect();
      if (rr.width > 0 || rr.height > 0) {
        if (!tb) tb = { l: rr.left, t: rr.top, r: rr.right, b: rr.bottom };
        else {
          tb.l = Math.min(tb.l, rr.left);
          tb.t = Math.min(tb.t, rr.top);
          tb.r = Math.max(tb.r, rr.right);
          tb.b = Math.max(tb.b, rr.bottom);
        }
        for (const lr of range.getClientRects()) {
          const l = clip ? Math.max(lr.left, clip.l) : lr.left;
          const t = clip ? Math.max(lr.top, clip.t) : lr.top;
          const rgt = clip ? Math.min(lr.right, clip.r) : lr.right;
          const btm = clip ? Math.min(lr.bottom, clip.b) : lr.bottom;
          if (rgt > l && btm > t && lines.length < MAX_LINES) lines.push({ left: l, top: t, width: rgt - l, height: btm - t });
        }
      }
    }
    own = collapse(own);
    if (own) {
      const shown = !!(vis && tb);
      textFacts.set(el, { hidden: !shown, struck: struck.has(el), fs: Math.round(parseFloat(cs.fontSize) || 0) });
      const list = shown ? visTexts : hidTexts;
      if (list.length < limits.textBoxes) {
        const b = tb ? { left: tb.l, top: tb.t, width: tb.r - tb.l, height: tb.b - tb.t } : r;
        const pcs = par && par.nodeType === 1 ? getComputedStyle(par) : null;
        const entry = {
          selector: sel(el),
          text: cut(own, 80),
          box: box(b, off),
          fontSizePx: parseFloat(cs.fontSize) || 0,
          visible: shown,
          parent: 0,
          transparent: alpha0(cs.webkitTextFillColor || cs.color) && !clipText(cs) && !(pcs && clipText(pcs)),
          layered: shown && layered(el, tb),
          fixed: pinned.has(el),
          rects: lines.map((lr) => box(lr, off)),
          clippedAway: shown && lines.length === 0,
        };
        list.push(entry);
        textEl.set(entry, el);
        textOf.set(el, entry);
      } else trunc('text_boxes');
      if (shown) clippedText(el, cs, par, own, off, tb);
    }
    if (fontFams.size && el.ownerDocument === document) fontUse(el, cs, own, !!(own && vis && tb), vis);
  };

  const walk = (root, off) => {
    const stack = [];
    for (let c = root.lastElementChild; c; c = c.previousElementSibling) stack.push(c);
    while (stack.length) {
      const el = stack.pop();
      if (++nodes > MAX_NODES) {
        trunc('dom');
        return;
      }
      if (skip.has(el.localName)) continue;
      visitEl(el, off);
      if (el.localName === 'iframe' || el.localName === 'frame') {
        let doc = null;
        try {
          doc = el.contentDocument;
        } catch (e) {}
        if (doc && doc.documentElement) {
          const r = el.getBoundingClientRect();
          prefixes.set(doc, sel(el) + ' >>> ');
          frameClip.set(doc, { l: 0, t: 0, r: el.clientWidth, b: el.clientHeight });
          walk(doc, { x: off.x + r.left + el.clientLeft, y: off.y + r.top + el.clientTop });
        }
      }
      if (el.shadowRoot) {
        prefixes.set(el.shadowRoot, sel(el) + ' >>> ');
        for (let c = el.shadowRoot.lastElementChild; c; c = c.previousElementSibling) stack.push(c);
      }
      for (let c = el.lastElementChild; c; c = c.previousElementSibling) stack.push(c);
    }
  };

  walk(document, { x: window.scrollX, y: window.scrollY });
  out.texts = visTexts.concat(hidTexts.slice(0, Math.max(0, limits.textBoxes - visTexts.length)));
  if (visTexts.length + hidTexts.length > limits.textBoxes) trunc('text_boxes');
  // Parent indexes refer to the final list: visible boxes come first.
  const textIndex = new Map();
  out.texts.forEach((t, i) => textIndex.set(t, i));
  for (const t of out.texts) {
    for (let n = parentOf(textEl.get(t)); n; n = parentOf(n)) {
      const i = textIndex.get(textOf.get(n));
      if (i !== undefined) {
        t.parent = i + 1;
        break;
      }
    }
  }
  out.layout.viewportWidth = iw;
  out.layout.viewportHeight = ih;
  out.layout.scrollWidth = docW;
  overflowing.sort((a, b) => b.right - a.right); // stable: an outer box before an equal inner one
  out.layout.overflowing = overflowing.slice(0, 10).map((o) => ({ selector: sel(o.el), box: o.box }));
  for (const s of limits.selectors || []) {
    let found = [];
    try {
      found = document.querySelectorAll(s);
    } catch (e) {
      continue; // an invalid selector matches nothing
    }
    const boxes = [];
    for (const e of found) {
      if (boxes.length >= 5) break;
      boxes.push(box(e.getBoundingClientRect(), { x: window.scrollX, y: window.scrollY }));
    }
    if (boxes.length) (out.layout.selected = out.layout.selected || {})[s] = boxes;
  }
  out.signals.gallery = galleryImgs.size;
  out.logoCandidates = namedLogos.concat(headerLogos).slice(0, limits.logoCandidates);
  if (logoMatches > out.logoCandidates.length) trunc('logo_candidates');
  // Where the page is scrolled now: the shots of boxes outside it need the
  // browser to draw beyond the viewport.
  const vv = window.visualViewport;
  out.view = vv
    ? { x: vv.pageLeft, y: vv.pageTop, w: vv.width, h: vv.height }
    : { x: window.scrollX, y: window.scrollY, w: window.innerWidth, h: window.innerHeight };
  out.signals.cards = Array.from(cards);
  out.docWidth = docW;
  out.docHeight = Math.max(se ? se.scrollHeight : 0, document.body ? document.body.scrollHeight : 0);

  // ---- kind signals from metadata --------------------------------------
  const isProduct = (v, depth) => {
    if (!v || depth > 8) return false;
    if (Array.isArray(v)) return v.some((x) => isProduct(x, depth + 1));
    if (typeof v !== 'object') return false;
    const t = v['@type'];
    if (t === 'Product' || (Array.isArray(t) && t.includes('Product'))) return true;
    return isProduct(v['@graph'], depth + 1) || isProduct(v.mainEntity, depth + 1);
  };
  for (const s of document.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      if (isProduct(JSON.parse(s.textContent), 0)) {
        out.signals.jsonld = true;
        break;
      }
    } catch (e) {}
  }
  const og = document.querySelector('meta[property="og:type"]');
  out.signals.og = !!og && /^product/i.test((og.getAttribute('content') || '').trim());

  // ---- HTML ------------------------------------------------------------
  const voids = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen']);
  const raws = new Set(['script', 'style', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext', 'noscript']);
  const escText = (s) => s.replace(/&/g, '&amp;').replace(/\u00a0/g, '&nbsp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const escAttr = (s) => s.replace(/&/g, '&amp;').replace(/\u00a0/g, '&nbsp;').replace(/"/g, '&quot;');
  const parts = [];
  let size = 0;
  let full = false;
  const emit = (s) => {
    if (full) return;
    if (size + s.length > limits.htmlChars) {
      parts.push(s.slice(0, Math.max(0, limits.htmlChars - size)));
      full = true;
      out.htmlTruncated = true;
      return;
    }
    parts.push(s);
    size += s.length;
  };
  const openTag = (el) => {
    let s = '<' + el.localName;
    for (const a of el.attributes) {
      if (a.name === 'elementtiming' && a.value === 'storecheck') continue;
      if (a.name.startsWith('data-sc-')) continue; // ours alone
      s += ' ' + a.name + '="' + escAttr(a.value) + '"';
    }
    const f = textFacts.get(el);
    if (f) {
      if (f.hidden) s += ' data-sc-hidden=""';
      if (f.struck) s += ' data-sc-struck=""';
      s += ' data-sc-fs="' + f.fs + '"';
    }
    return s + '>';
  };
  const ser = (node, rawParent) => {
    for (let c = node.firstChild; c && !full; c = c.nextSibling) {
      switch (c.nodeType) {
        case 1: {
          const tag = c.localName;
          emit(openTag(c));
          if (voids.has(tag)) break;
          if (c.shadowRoot) {
            emit('<template shadowrootmode="open">');
            ser(c.shadowRoot, false);
            emit('</template>');
          }
          if (tag === 'template') ser(c.content, false);
          else ser(c, raws.has(tag));
          emit('</' + tag + '>');
          if (tag === 'iframe' || tag === 'frame') {
            let doc = null;
            try {
              doc = c.contentDocument;
            } catch (e) {}
            if (doc && doc.body) {
              emit('<div data-storecheck-frame="' + escAttr(doc.URL) + '">');
              ser(doc.body, false);
              emit('</div>');
            }
          }
          break;
        }
        case 3:
          emit(rawParent ? c.data : escText(c.data));
          break;
        case 8:
          emit('<!--' + c.data + '-->');
          break;
      }
    }
  };
  if (document.doctype) emit('<!DOCTYPE ' + document.doctype.name + '>');
  if (document.documentElement) {
    emit(openTag(document.documentElement));
    ser(document.documentElement, false);
    emit('</' + document.documentElement.localName + '>');
  }
  out.html = parts.join('');

  // ---- web fonts: settle, then read -------------------------------------
  // Loading, for the text it draws, a face an element is drawn in asks for
  // nothing the browser did not need (document.fonts.load honours style
  // and unicode-range); it only settles what is still pending. Bounded:
  // a font that hangs stays "loading".
  out.fonts = [];
  if (fontFams.size) {
    const wait = (ms) => new Promise((res) => setTimeout(res, ms));
    const loads = [];
    for (const f of fontFams.values())
      for (const u of f.uses.slice(0, 3))
        loads.push(
          Promise.resolve()
            .then(() => document.fonts.load(u.font, u.text))
            .catch(() => null),
        );
    if (loads.length) await Promise.race([Promise.all(loads), wait(1500)]);
    await Promise.race([document.fonts.ready, wait(1000)]);
    for (const f of fontFams.values()) {
      const st = f.faces.map((ff) => ff.status);
      const status = ['error', 'loading', 'loaded'].find((s) => st.includes(s)) || 'unloaded';
      let fallback = 0;
      let fallbackPUA = 0;
      const exFall = [];
      const exOK = [];
      for (const u of f.uses) {
        let ok = true;
        try {
          ok = document.fonts.check(u.font, u.text);
        } catch (e) {}
        if (!ok) {
          fallback++;
          if (u.pua) fallbackPUA++;
        }
        const list = ok ? exOK : exFall;
        if (list.length < 3) list.push({ selector: sel(u.el), text: excerpt(u.text), privateUse: u.pua, fallback: !ok });
      }
      const ex = exFall.concat(exOK);
      out.fonts.push({
        family: f.family,
        status,
        faces: f.faces.length,
        srcs: f.srcs,
        elements: f.elements,
        privateUse: f.pua,
        fallback,
        fallbackPrivateUse: fallbackPUA,
        examples: ex.slice(0, 3),
      });
    }
  }
  return JSON.stringify(out);
};
