// A job's page: polls its JSON status (the page's address with .json for its trailing slash) and redraws
// the bar, "done of total rows" (its forms from the page: data-count-*), the time left and the message; once the job has ended the page is
// loaded again, for its outcome drawn by the server. Words come from the page (data-words-*).
(() => {
  const job = document.getElementById("job");
  if (!job || job.dataset.state === "done" || job.dataset.state === "failed") return;
  const bar = document.getElementById("job-bar");
  const meter = bar.parentElement;
  const count = document.getElementById("job-count");
  const left = document.getElementById("job-left");
  const message = document.getElementById("job-message");
  const state = document.getElementById("job-state");
  const words = job.dataset;
  // "1 of 1 row", "2 of 5 rows": the sentence's forms come from the page, picked by the language's plural rules
  const plurals = new Intl.PluralRules(document.documentElement.lang || undefined);
  const counted = (status) =>
    (plurals.select(status.total) === "one" ? words.countOne : words.countOther)
      .replace("%(done)s", status.done)
      .replace("%(total)s", status.total);
  let first = null; // {time, done} when rows were first seen moving, for the rate
  let wait = 1000;

  const timeLeft = (status) => {
    const now = Date.now();
    if (status.state !== "running" || !status.total) return "";
    if (first === null || status.done < first.done) first = { time: now, done: status.done };
    const rate = (status.done - first.done) / ((now - first.time) / 1000);
    if (!(rate > 0) || status.done >= status.total) return "";
    const seconds = Math.ceil((status.total - status.done) / rate);
    const shown = seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
    return `· ~${shown} ${words.wordsLeft}`;
  };

  const draw = (status) => {
    const percent = status.total ? Math.round((100 * status.done) / status.total) : 0;
    bar.style.width = `${percent}%`;
    meter.setAttribute("aria-valuenow", String(status.done));
    meter.setAttribute("aria-valuemax", String(status.total || 1));
    if (status.total) count.textContent = counted(status);
    left.textContent = timeLeft(status);
    message.textContent = status.message;
    if (status.state === "running") {
      state.className = "badge text-bg-primary";
      state.textContent = words.wordsRunning;
    }
  };

  const poll = async () => {
    try {
      const response = await fetch(job.dataset.statusUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const status = await response.json();
        if (status.state === "done" || status.state === "failed") {
          window.location.reload();
          return;
        }
        draw(status);
        wait = 1000;
      } else {
        wait = Math.min(wait * 2, 10000);
      }
    } catch {
      wait = Math.min(wait * 2, 10000); // the connection dropped: try again, less often
    }
    window.setTimeout(poll, wait);
  };
  window.setTimeout(poll, 500);
})();
