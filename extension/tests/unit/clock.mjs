// A fake clock for the timers the renderer's parts take: time moves only when a test says so.

export const settle = () => new Promise(setImmediate);

export function fakeClock() {
  let now = 0;
  let next = 0;
  const due = new Map();
  return {
    setTimeout: (fn, ms) => { due.set(++next, { at: now + ms, fn }); return next; },
    clearTimeout: (id) => { due.delete(id); },
    get timers() { return due.size; }, // timers set and not yet run or cleared
    async tick(ms) {
      const end = now + ms;
      for (;;) {
        const [id, timer] = [...due].filter(([, t]) => t.at <= end).sort((a, z) => a[1].at - z[1].at)[0] || [];
        if (!timer) break;
        due.delete(id);
        now = timer.at;
        timer.fn();
        await settle();
      }
      now = end;
      await settle();
    },
  };
}
