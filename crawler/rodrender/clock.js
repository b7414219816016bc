// clock.js runs in the main world of every new document when the sweep pins
// its clock: Date (new Date(), Date.now(), Date() and Intl formatting without
// a date) starts at the pinned instant and advances with real time.
// performance.now() is left alone so the vitals stay true.
(() => {
  const NOW = __STORECHECK_NOW__;
  const Real = Date;
  const offset = NOW - Real.now();
  const nowMs = () => Real.now() + offset;
  // The real Date, with "now" moved; Real.prototype stays the prototype.
  function PinnedDate(...args) {
    if (!new.target) return new Real(nowMs()).toString();
    return Reflect.construct(Real, args.length ? args : [nowMs()], new.target === PinnedDate ? Real : new.target);
  }
  Object.defineProperties(PinnedDate, {
    name: { value: 'Date' },
    length: { value: 7 },
    prototype: { value: Real.prototype },
    now: { value: nowMs, writable: true, configurable: true },
    parse: { value: Real.parse, writable: true, configurable: true },
    UTC: { value: Real.UTC, writable: true, configurable: true },
  });
  Object.defineProperty(Real.prototype, 'constructor', { value: PinnedDate, writable: true, configurable: true });
  globalThis.Date = PinnedDate;

  const DTF = Intl.DateTimeFormat.prototype;
  const format = Object.getOwnPropertyDescriptor(DTF, 'format');
  if (format && format.get) {
    Object.defineProperty(DTF, 'format', {
      configurable: true,
      get() {
        const f = format.get.call(this);
        return (d) => f(d === undefined ? nowMs() : d);
      },
    });
  }
  const parts = DTF.formatToParts;
  DTF.formatToParts = function formatToParts(d) {
    return parts.call(this, d === undefined ? nowMs() : d);
  };
})();
